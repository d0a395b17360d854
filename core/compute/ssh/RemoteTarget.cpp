#include "core/compute/ssh/RemoteTarget.h"

#include "core/estimator/Estimator.h"
#include "core/lifecycle/RunFolder.h"
#include "core/lifecycle/RunLock.h"
#include "core/lifecycle/Spawn.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/Json.h"
#include "core/workspace/Workspace.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace lb {

namespace {

QString remoteStatePath(const RunRecord& run) { return run.runDir + QStringLiteral("/remote.json"); }

// Starts `labbench remote follow` for the run in its own session, handing it the descriptor
// that holds the run's lock, as the local target hands one to its supervisor.
void spawnFollower(Workspace& ws, const RunRecord& run, RunLock& lock) {
    spawnRunHelper(QStringLiteral("labbench"),
                   {QStringLiteral("--workspace"), ws.root(), QStringLiteral("remote"),
                    QStringLiteral("follow"), run.id},
                   lock.fd(), RunFolder(run.runDir).supervisorLog(), /*logStdout=*/true);
}

} // namespace

void RemoteRunState::write(const QString& path) const {
    Json j;
    j["submitted"] = submitted;
    j["submitting"] = submitting;
    j["job_id"] = toStd(jobId);
    j["remote_dir"] = toStd(remoteDir);
    j["cancel_sent"] = cancelSent;
    j["max_requeues"] = maxRequeues;
    writeJsonFile(path, j);
}

RemoteRunState RemoteRunState::read(const QString& path) {
    RemoteRunState s;
    if (!QFileInfo::exists(path))
        return s;
    try {
        const Json j = readJsonFile(path);
        s.submitted = j.value("submitted", false);
        s.submitting = j.value("submitting", false);
        s.jobId = fromStd(j.value("job_id", std::string()));
        s.remoteDir = fromStd(j.value("remote_dir", std::string()));
        s.cancelSent = j.value("cancel_sent", false);
        s.maxRequeues = j.value("max_requeues", s.maxRequeues);
    } catch (const std::exception&) {
    }
    return s;
}

QList<RunRecord> RemoteTarget::dispatch(Workspace& ws) {
    QList<RunRecord> started;
    const auto runs = ws.store().runs().listByStatus(
        {RunStatus::Queued, RunStatus::Preparing, RunStatus::Running, RunStatus::Finalizing, RunStatus::Preempted},
        name());
    for (const RunRecord& run : runs) {
        if (run.computeTarget != name())
            continue;
        if (!QFileInfo(run.runDir).isDir()) {
            ws.store().runs().transition(run.id, RunStatus::Failed,
                                         QStringLiteral("The run folder %1 was deleted.").arg(run.runDir));
            continue;
        }
        auto lock = RunLock::tryAcquire(RunFolder(run.runDir).lockFile());
        if (!lock)
            continue; // its follower is alive
        try {
            spawnFollower(ws, run, *lock);
            started.append(run);
        } catch (const Error& e) {
            ws.store().runs().transition(run.id, RunStatus::Failed, e.message());
        }
        lock->release();
    }
    return started;
}

void RemoteTarget::requestCancel(Workspace& ws, const RunRecord& run) {
    const RunFolder folder(run.runDir);
    if (!QFileInfo(folder.dir()).isDir())
        return;
    writeFileAtomically(folder.cancelRequest(), QByteArrayLiteral("canceled by user\n"));
    auto lock = RunLock::tryAcquire(folder.lockFile());
    if (!lock)
        return; // the follower sees the request
    if (!RemoteRunState::read(remoteStatePath(run)).submitted) {
        ws.store().runs().transitionIf(run.id, RunStatus::Queued, RunStatus::Canceled,
                                       QStringLiteral("Canceled by the user before it started."));
        return;
    }
    spawnFollower(ws, run, *lock); // it passes the request on and follows the run to its end
}

bool RemoteTarget::reconcile(Workspace& ws, const RunRecord& run) {
    if (!QFileInfo(run.runDir).isDir())
        return ws.store().runs().transition(
            run.id, RunStatus::Failed, QStringLiteral("The run folder %1 was deleted.").arg(run.runDir));
    auto lock = RunLock::tryAcquire(RunFolder(run.runDir).lockFile());
    if (!lock)
        return false;
    spawnFollower(ws, run, *lock);
    return true;
}

QStringList RemoteTarget::selfTest() const {
    QStringList found;
    auto shell = openShell();
    QElapsedTimer clock;
    clock.start();
    const QByteArray uname = shell->check({QStringLiteral("uname"), QStringLiteral("-srm")}, QStringLiteral("connect"));
    found << QStringLiteral("Connected to %1 in %2 ms: %3")
                 .arg(shell->display())
                 .arg(clock.elapsed())
                 .arg(QString::fromUtf8(uname).trimmed());
    const QString dir = layout().root;
    shell->check({QStringLiteral("mkdir"), QStringLiteral("-p"), dir + QStringLiteral("/runs")},
                 QStringLiteral("create the remote folder %1").arg(dir));
    shell->check({QStringLiteral("test"), QStringLiteral("-w"), dir + QStringLiteral("/runs")},
                 QStringLiteral("write to the remote folder %1").arg(dir));
    found << QStringLiteral("Remote folder %1 is writable").arg(dir);
    const QString py = python().isEmpty() ? QStringLiteral("python3") : python();
    const CommandResult v = shell->run({py, QStringLiteral("--version")});
    found << (v.ok() ? QStringLiteral("%1: %2").arg(py, QString::fromUtf8(v.out + v.err).trimmed())
                     : QStringLiteral("%1 was not found there (only needed for Python scripts)").arg(py));
    return found;
}

QStringList remoteProgram(const Estimator& e, const RemoteLayout& layout, const RunRecord& run,
                          const QString& targetPython, Launcher launcher, const QString& venvDir) {
    const QString runDir = layout.runDir(run.id);
    QStringList argv{QStringLiteral("env")};
    auto set = [&](const QString& k, const QString& v) { argv << k + QLatin1Char('=') + v; };
    set(QStringLiteral("PYTHONPATH"), layout.pythonDir());
    set(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
    const auto launchEnv = distributedEnvironment(e);
    for (auto it = launchEnv.begin(); it != launchEnv.end(); ++it)
        set(it.key(), it.value());
    for (auto it = e.environmentVariables.begin(); it != e.environmentVariables.end(); ++it)
        if (!e.isSecretVariable(it.key())) // secrets come from RUN/secrets.env (RemoteSecrets.h)
            set(it.key(), it.value());
    // Last, so that nothing overrides what the helpers rely on.
    set(QStringLiteral("LABBENCH_RUN_ID"), run.id);
    set(QStringLiteral("LABBENCH_RUN_DIR"), runDir);
    set(QStringLiteral("LABBENCH_METRICS_FILE"), runDir + QStringLiteral("/metrics.jsonl"));
    // snapshot/checkpoints comes home with outputs/ (RunFolder::keptFolders).
    set(QStringLiteral("LABBENCH_CHECKPOINT_DIR"),
        runDir + QStringLiteral("/snapshot/checkpoints"));
    set(QStringLiteral("LABBENCH_EXPERIMENT"), run.experiment);
    if (!venvDir.isEmpty()) set(QStringLiteral("VIRTUAL_ENV"), venvDir);
    argv << distributedPrefix(e, launcher, {layout.helper(), runDir, basePortFor(run.id)});
    if (e.runsBuiltinTrainer()) {
        argv << QStringLiteral("labbench-train");
    } else if (e.entryScript.endsWith(QLatin1String(".py"), Qt::CaseInsensitive)) {
        const QString python = !venvDir.isEmpty()        ? venvDir + QStringLiteral("/bin/python")
                               : !e.python.isEmpty()     ? e.python
                               : !targetPython.isEmpty() ? targetPython
                                                         : QStringLiteral("python3");
        argv << python << QStringLiteral("-u") << e.entryScript;
    } else {
        argv << QStringLiteral("./") + e.entryScript;
    }
    argv << e.scriptParams;
    return argv;
}

} // namespace lb
