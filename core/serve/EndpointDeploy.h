#pragma once
// Deploying an endpoint (`labbench endpoints deploy`, later the GUI's Deploy…): checks what the
// user asked for, records the endpoint, copies its score.py folder, starts its detached
// labbench-serve process and waits until the server says Healthy or Failed.

#include "core/store/EndpointRepository.h"

#include <QString>
#include <QStringList>

namespace lb {

class Workspace;

struct DeployRequest {
    QString name;
    QStringList models;      // "NAME" or "NAME:VERSION", at least one
    QString entry;           // score.py (relative to source); empty: a native model.npz endpoint
    QString source;          // the folder that holds the entry script
    QStringList pipPackages; // score.py only: built into a cached environment
    int port = 0;            // 0: a free port is picked
    QString host = QStringLiteral("127.0.0.1");
    int workers = 1;
    bool auth = false; // forced on for any host other than a loopback address
    int batchDelayUs = 0;
    int requestTimeoutS = 10; // a client that takes longer to send its request is cut off
    int runTimeoutS = 60;     // score.py: a run() that takes longer gets its worker restarted, 504
    int waitSeconds = 300;    // how long to wait for Healthy or Failed (pip may take a while)
};

// Checks `request` (lb::UsageError naming the option and the fix), records or updates the
// endpoint, starts its server and waits. Returns the endpoint as it stands after the wait:
// Healthy, Failed (with the reason), or still Transitioning when the wait ran out.
EndpointRecord deployEndpoint(Workspace& ws, const DeployRequest& request);

// Starts the server of an endpoint that is Stopped or Failed again, with what it was deployed
// with, and waits like deployEndpoint.
EndpointRecord startEndpoint(Workspace& ws, const QString& name, int waitSeconds = 300);

// True for 127.0.0.1, ::1, "localhost" and the rest of 127.0.0.0/8.
bool isLoopbackHost(const QString& host);

// Whether a server could listen on host:port now (a test bind with SO_REUSEADDR, as the server's
// own). Throws lb::UsageError for a host that is not an IP address or "localhost".
bool portIsFree(const QString& host, int port);

// A port the kernel says is free on `host` now.
int pickFreePort(const QString& host);

} // namespace lb
