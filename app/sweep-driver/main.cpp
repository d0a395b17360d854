// labbench-sweep-driver --workspace ROOT --sweep ID [--lock-fd N] [--foreground]: drives one
// sweep until it ends, detached from whoever started it (see core/sweep/SweepDriver.h). Like
// labbench-supervisor it forks once, so the starter reaps its first process at once.
#include "sweep/SweepDriver.h"

#include <QString>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

int main(int argc, char** argv) {
    lb::sweep::SweepDriverOptions options;
    bool foreground = false;
    for (int i = 1; i < argc; ++i) {
        const char* a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (!std::strcmp(a, "--workspace") && hasValue)
            options.workspaceRoot = QString::fromLocal8Bit(argv[++i]);
        else if (!std::strcmp(a, "--sweep") && hasValue)
            options.sweepId = QString::fromLocal8Bit(argv[++i]);
        else if (!std::strcmp(a, "--lock-fd") && hasValue)
            options.lockFd = std::atoi(argv[++i]);
        else if (!std::strcmp(a, "--foreground"))
            foreground = true;
        else {
            std::fprintf(stderr, "usage: labbench-sweep-driver --workspace ROOT --sweep ID [--lock-fd N] "
                                 "[--foreground]\n");
            return 2;
        }
    }
    if (options.workspaceRoot.isEmpty() || options.sweepId.isEmpty()) {
        std::fprintf(stderr, "labbench-sweep-driver: --workspace and --sweep are required\n");
        return 2;
    }
    if (const char* poll = std::getenv("LABBENCH_SWEEP_POLL_MS"))
        options.pollMs = std::max(5, std::atoi(poll));
    if (!foreground) {
        const pid_t pid = fork();
        if (pid < 0) {
            std::perror("labbench-sweep-driver: fork");
            return 1;
        }
        if (pid > 0)
            _exit(0);
        setsid();
        if (chdir("/") != 0) {
        }
    }
    return lb::sweep::driveSweep(options);
}
