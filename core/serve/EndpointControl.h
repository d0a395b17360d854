#pragma once
// What the command line (and later the GUI) does to a deployed endpoint besides deploying it:
// find it with its server's real state, stop it, remove it, and read its log.

#include "core/store/EndpointRepository.h"

#include <QString>

namespace lb {

class Workspace;

// The endpoint as the store has it, after reconciling with its lock: one that claims to be up
// while no labbench-serve process holds its lock is moved to Failed with the reason (its server
// was killed), so nobody is told an endpoint is Healthy that cannot answer. A deploy or start
// holds the lock from before it records Transitioning, so one mid-launch is never taken for
// gone. Throws
// lb::NotFoundError naming `endpoints list` when there is none.
EndpointRecord findEndpoint(Workspace& ws, const QString& name);

// True when a labbench-serve process holds the endpoint's lock.
bool endpointServerRunning(const QString& workspaceRoot, const QString& name);

// Stops the endpoint's server (SIGTERM, then SIGKILL to its process group after `graceMs`) and
// records it Stopped. Returns false when no server was running (it is still recorded Stopped).
bool stopEndpoint(Workspace& ws, const QString& name, int graceMs = 10000);

// Stops the endpoint, forgets it and removes its folder (source copy, key, log).
void removeEndpoint(Workspace& ws, const QString& name);

// The last `maxBytes` of the endpoint's log.
QByteArray endpointLogTail(Workspace& ws, const QString& name, qint64 maxBytes = 1 << 20);

// The endpoint's base URL, "http://127.0.0.1:PORT" (the scoring URI adds /score).
QString endpointUrl(const EndpointRecord& endpoint);

} // namespace lb
