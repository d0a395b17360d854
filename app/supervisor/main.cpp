// labbench-supervisor --workspace ROOT --run ID [--lock-fd N] [--foreground]: supervises one run,
// detached from whoever started it (see core/runs/Supervisor.h and core/lifecycle/HelperMain.h).
#include "core/lifecycle/HelperMain.h"
#include "core/runs/Supervisor.h"

int main(int argc, char** argv) {
    const char* program = "labbench-supervisor";
    const auto args = lb::parseHelperArgs(argc, argv, program, "run");
    if (!args)
        return 2;
    if (!lb::detachUnlessForeground(*args, program))
        return 1;
    lb::SupervisorOptions options;
    options.workspaceRoot = args->workspaceRoot;
    options.runId = args->id;
    options.lockFd = args->lockFd;
    return lb::superviseRun(options);
}
