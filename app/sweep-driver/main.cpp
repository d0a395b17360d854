// labbench-sweep-driver --workspace ROOT --sweep ID [--lock-fd N] [--foreground]: drives one
// sweep until it ends, detached from whoever started it (see core/sweep/SweepDriver.h and
// core/lifecycle/HelperMain.h).
#include "core/lifecycle/HelperMain.h"
#include "core/sweep/SweepDriver.h"

#include <algorithm>
#include <cstdlib>

int main(int argc, char** argv) {
    const char* program = "labbench-sweep-driver";
    const auto args = lb::parseHelperArgs(argc, argv, program, "sweep");
    if (!args)
        return 2;
    lb::sweep::SweepDriverOptions options;
    options.workspaceRoot = args->workspaceRoot;
    options.sweepId = args->id;
    options.lockFd = args->lockFd;
    if (const char* poll = std::getenv("LABBENCH_SWEEP_POLL_MS"))
        options.pollMs = std::max(5, std::atoi(poll));
    if (!lb::detachUnlessForeground(*args, program))
        return 1;
    return lb::sweep::driveSweep(options);
}
