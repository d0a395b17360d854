// labbench-supervisor --workspace ROOT --run ID [--lock-fd N]: supervises one run, detached from
// whoever started it (see core/runs/Supervisor.h). Started by a compute target's dispatcher in a
// new session; it forks once so that the starter can reap its first process at once and the
// supervisor is never anyone's zombie.
#include "runs/Supervisor.h"

#include <QString>

#include <cstdio>
#include <cstring>
#include <unistd.h>

int main(int argc, char** argv) {
    lb::SupervisorOptions options;
    bool foreground = false;
    for (int i = 1; i < argc; ++i) {
        const char* a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (!std::strcmp(a, "--workspace") && hasValue)
            options.workspaceRoot = QString::fromLocal8Bit(argv[++i]);
        else if (!std::strcmp(a, "--run") && hasValue)
            options.runId = QString::fromLocal8Bit(argv[++i]);
        else if (!std::strcmp(a, "--lock-fd") && hasValue)
            options.lockFd = std::atoi(argv[++i]);
        else if (!std::strcmp(a, "--foreground"))
            foreground = true;
        else {
            std::fprintf(stderr, "usage: labbench-supervisor --workspace ROOT --run ID [--lock-fd N] "
                                 "[--foreground]\n");
            return 2;
        }
    }
    if (options.workspaceRoot.isEmpty() || options.runId.isEmpty()) {
        std::fprintf(stderr, "labbench-supervisor: --workspace and --run are required\n");
        return 2;
    }
    if (!foreground) {
        const pid_t pid = fork();
        if (pid < 0) {
            std::perror("labbench-supervisor: fork");
            return 1;
        }
        if (pid > 0)
            _exit(0);
        setsid(); // already a session of its own when spawned with POSIX_SPAWN_SETSID; harmless
        if (chdir("/") != 0) {
        }
    }
    return lb::superviseRun(options);
}
