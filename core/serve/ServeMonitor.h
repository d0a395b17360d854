#pragma once
// The detached labbench-serve process of one endpoint: holds the endpoint's lock for as long as
// the endpoint is up, runs the HTTP server as its child (`labbench-serve --child …`), and starts
// that child again with backoff when it crashes, recording the endpoint Unhealthy while it is
// down. SIGTERM stops the child and records the endpoint Stopped.

#include <QString>

namespace lb {

struct HelperArgs;

// The exit code with which the server child says "do not restart me": it recorded the
// endpoint Failed with the reason (a port in use, an init() that raised, a model that does not
// load).
inline constexpr int kServeExitFailed = 3;

// The monitor's main loop; returns the process's exit code.
int monitorEndpoint(const HelperArgs& args);

} // namespace lb
