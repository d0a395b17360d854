#include "core/runs/RunSystemSampler.h"

#include "core/lifecycle/RunFinish.h"
#include "core/lifecycle/RunFolder.h"
#include "core/lifecycle/Spawn.h"
#include "core/lifecycle/SystemMetricsIngester.h"
#include "core/util/Error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSysInfo>
#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace lb {

namespace {

// True once `pid` has exited (reaped here, or already reaped by the supervisor's reap loop).
bool exited(pid_t pid) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    return r == pid || (r < 0 && errno == ECHILD);
}

} // namespace

QString RunSystemSampler::program() {
    const QString custom = qEnvironmentVariable("LABBENCH_SYSMON");
    if (!custom.isEmpty()) return custom;
    return QDir::cleanPath(executableDir() +
                           QStringLiteral("/../share/labbench/remote/labbench-sysmon"));
}

RunSystemSampler::RunSystemSampler(const RunFolder& folder, pid_t script, const QString& devices,
                                   const QString& cgroup) {
    SpawnSpec spec;
    spec.program = program();
    spec.arguments = {QStringLiteral("--pid"),
                      QString::number(script),
                      QStringLiteral("--out-dir"),
                      systemMetricsDir(folder.dir()),
                      QStringLiteral("--gpus"),
                      devices.trimmed().isEmpty() ? QStringLiteral("none") : devices.trimmed()};
    if (!cgroup.isEmpty()) spec.arguments << QStringLiteral("--cgroup") << cgroup;
    const QString interval = qEnvironmentVariable("LABBENCH_SYSMON_INTERVAL");
    if (!interval.isEmpty()) spec.arguments << QStringLiteral("--interval") << interval;
    spec.environment = currentEnvironment();
    // Its one line of diagnostics (its own CPU cost, a missing NVML) goes to supervisor.log.
    const int logFd = ::open(QFile::encodeName(folder.supervisorLog()).constData(),
                             O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    spec.stderrFd = logFd;
    QString why;
    if (!QFileInfo(spec.program).isExecutable()) {
        why =
            QStringLiteral("%1 is missing or not executable; reinstall Labbench").arg(spec.program);
    } else {
        try {
            pid_ = spawnProcess(spec);
            startTicks_ = processStartTicks(pid_);
        } catch (const Error& e) {
            why = e.message();
        }
    }
    if (logFd >= 0) ::close(logFd);
    if (!why.isEmpty())
        appendToDriverLog(folder, QStringLiteral("labbench: system metrics unavailable on %1: %2")
                                      .arg(QSysInfo::machineHostName(), why));
}

RunSystemSampler::~RunSystemSampler() {
    stop();
}

void RunSystemSampler::stop(int graceMs) {
    if (pid_ <= 0) return;
    const pid_t pid = pid_;
    pid_ = -1;
    if (exited(pid) || processStartTicks(pid) != startTicks_) return;
    ::kill(pid, SIGTERM);
    for (int waited = 0; waited < graceMs; waited += 20) {
        if (exited(pid)) return;
        timespec ts{0, 20 * 1000000L};
        nanosleep(&ts, nullptr);
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
}

} // namespace lb
