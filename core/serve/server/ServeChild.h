#pragma once
// The HTTP server of one endpoint: the child that labbench-serve's monitor (ServeMonitor.h)
// starts and restarts. It binds the port first (a port in use fails the endpoint at once), loads
// the model or starts the score.py workers, records the endpoint Healthy and serves until
// SIGTERM. Anything that keeps it from serving records Failed with the reason and exits with
// kServeExitFailed, so the monitor does not restart it.

namespace lb {

struct HelperArgs;

int serveEndpoint(const HelperArgs& args);

} // namespace lb
