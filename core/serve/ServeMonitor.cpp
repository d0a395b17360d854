#include "core/serve/ServeMonitor.h"

#include "core/lifecycle/HelperMain.h"
#include "core/lifecycle/RunHelper.h"
#include "core/lifecycle/RunLock.h"
#include "core/lifecycle/Spawn.h"
#include "core/serve/EndpointFolder.h"
#include "core/util/SafeFile.h"
#include "core/workspace/Workspace.h"

#include <QDateTime>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>

namespace lb {

namespace {

constexpr const char* kWho = "labbench-serve";
volatile std::sig_atomic_t gStopRequested = 0;

void onStopSignal(int) {
    gStopRequested = 1;
}

// Without SA_RESTART, so a waitpid() or sleep in progress returns at once.
void installStopHandler() {
    struct sigaction sa {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    ::signal(SIGHUP, SIG_IGN);
}

// "exit code 1", "signal 9 (Killed)".
QString describeStatus(int status) {
    if (WIFSIGNALED(status))
        return QStringLiteral("signal %1 (%2)")
            .arg(WTERMSIG(status))
            .arg(QString::fromLocal8Bit(strsignal(WTERMSIG(status))));
    return QStringLiteral("exit code %1").arg(WEXITSTATUS(status));
}

pid_t startServer(const HelperArgs& args, int logFd) {
    SpawnSpec spec;
    spec.program = findLabbenchProgram(QStringLiteral("labbench-serve"));
    spec.arguments = {QStringLiteral("--child"), QStringLiteral("--workspace"), args.workspaceRoot,
                      QStringLiteral("--endpoint"), args.id};
    spec.environment = currentEnvironment();
    spec.stdoutFd = logFd;
    spec.stderrFd = logFd;
    spec.closeOtherFds = true;
    return spawnProcess(spec);
}

// Waits for the child; on a stop request passes SIGTERM on, and SIGKILL after 10 s.
int waitForServer(pid_t child) {
    int status = 0;
    qint64 killAt = 0;
    for (;;) {
        // Polled: the stop signal may be taken by another thread (the BLAS library's, started
        // before main()), which would not interrupt a blocking waitpid() here.
        const pid_t got = ::waitpid(child, &status, WNOHANG);
        if (got == child) return status;
        if (got < 0 && errno != EINTR) return 0;
        if (!gStopRequested) sleepMs(50);
        if (gStopRequested) {
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            if (killAt == 0) {
                ::kill(child, SIGTERM);
                killAt = now + 10000;
            } else if (now >= killAt) {
                ::kill(-child, SIGKILL);
                ::kill(child, SIGKILL);
            }
            sleepMs(50);
        }
    }
}

// Sleeps `ms` unless a stop is asked for first.
void backoff(int ms) {
    const qint64 until = QDateTime::currentMSecsSinceEpoch() + ms;
    while (!gStopRequested && QDateTime::currentMSecsSinceEpoch() < until)
        sleepMs(100);
}

} // namespace

int monitorEndpoint(const HelperArgs& args) {
    installStopHandler();
    const EndpointFolder folder(args.workspaceRoot, args.id);
    auto lock = RunLock::adoptOrAcquire(args.lockFd, folder.lockPath());
    if (!lock) {
        helperNote(kWho, QStringLiteral("another labbench-serve looks after endpoint '%1'; leaving")
                             .arg(args.id));
        return 1;
    }
    Workspace ws = Workspace::open(args.workspaceRoot);
    if (!ws.store().endpoints().find(args.id)) {
        helperNote(kWho, QStringLiteral("there is no endpoint '%1'").arg(args.id));
        return 1;
    }
    ws.store().endpoints().setPid(args.id, ::getpid());
    const int logFd = openForAppend(folder.logPath());
    int delayMs = 1000;
    int exitCode = 0;
    while (!gStopRequested) {
        const qint64 started = QDateTime::currentMSecsSinceEpoch();
        pid_t child = -1;
        try {
            child = startServer(args, logFd);
        } catch (const std::exception& e) {
            ws.store().endpoints().transition(args.id, EndpointState::Failed,
                                              QString::fromUtf8(e.what()));
            exitCode = 1;
            break;
        }
        const int status = waitForServer(child);
        if (gStopRequested) break;
        if (WIFEXITED(status) && WEXITSTATUS(status) == kServeExitFailed) {
            exitCode = 1; // the child recorded Failed and why
            break;
        }
        if (QDateTime::currentMSecsSinceEpoch() - started > 60000)
            delayMs = 1000; // it had been up a while: this crash starts a new series
        const QString why = QStringLiteral("The server stopped with %1; restarting it in %2 s.")
                                .arg(describeStatus(status))
                                .arg(delayMs / 1000.0);
        helperNote(kWho, why);
        ws.store().endpoints().transition(args.id, EndpointState::Unhealthy, why);
        backoff(delayMs);
        delayMs = std::min(delayMs * 2, 30000);
        if (!gStopRequested)
            ws.store().endpoints().transition(args.id, EndpointState::Transitioning,
                                              QStringLiteral("Restarting the server."));
    }
    if (gStopRequested) {
        helperNote(kWho, QStringLiteral("stopped"));
        ws.store().endpoints().transition(args.id, EndpointState::Stopped,
                                          QStringLiteral("Stopped."));
    }
    ws.store().endpoints().setPid(args.id, 0);
    if (logFd >= 0) ::close(logFd);
    return exitCode;
}

} // namespace lb
