// SlurmTarget::submitBatch: a sweep's children as one job array. What each child's follower
// would do before its own sbatch (upload, secrets, datastores) is done here for all of them,
// then one sbatch, then each child's remote.json says "submitted as task ID_i", so that the
// follower each child then gets goes straight to following its task.
#include "core/compute/slurm/SlurmTarget.h"

#include "core/compute/slurm/SbatchArray.h"
#include "core/compute/ssh/RemoteDatastores.h"
#include "core/compute/ssh/RemoteEnvironment.h"
#include "core/compute/ssh/RemoteSecrets.h"
#include "core/estimator/SecretVariables.h"
#include "core/lifecycle/RunFolder.h"
#include "core/lifecycle/Spawn.h"
#include "core/util/Error.h"
#include "core/workspace/Workspace.h"

#include <QDir>

namespace lb {

void SlurmTarget::submitBatch(Workspace& ws, const QList<RunRecord>& runs, int maxConcurrent) {
    if (runs.isEmpty())
        return;
    auto shell = openShell();
    const RemoteLayout where = layout();
    const QString share = QDir(executableDir()).filePath(QStringLiteral("../share/labbench"));
    shell->upload(share, where.shareDir(), false, {QStringLiteral("remote/***"), QStringLiteral("python/***")});
    QList<ArrayChild> children;
    for (const RunRecord& run : runs) {
        const RunFolder folder(run.runDir);
        ArrayChild child{run, Estimator::fromJson(parseJson(run.estimatorJson.toUtf8(), folder.runJson()),
                                                  QStringLiteral("run %1").arg(run.id))};
        restoreSecrets(folder.secretsFile(), child.estimator); // the stored estimator says "***"
        shell->upload(folder.snapshotDir(), where.runDir(run.id) + QStringLiteral("/snapshot"));
        storeRemoteSecrets(*shell, where, run.id, child.estimator);
        child.estimator.scriptParams =
            stageRemoteDatastores(child.estimator.scriptParams, ws.store(), *shell, where);
        children.append(child);
    }
    // The array's own Slurm output (before a task's script takes over) goes beside the runs.
    const QString logDir = where.runDir(runs.first().parentId.isEmpty() ? runs.first().id : runs.first().parentId);
    shell->check({QStringLiteral("mkdir"), QStringLiteral("-p"), logDir},
                 QStringLiteral("create the folder %1 for the job array's output").arg(logDir));
    const SbatchJob job = makeSbatchArray(children, config(), where, logDir, maxConcurrent);
    QStringList argv{QStringLiteral("sbatch")};
    // As for one run (SlurmTarget.cpp): children that prepare an environment are marked first,
    // so that they show as Preparing, not Running, until it is ready. `pending` execs the rest.
    if (remoteEnvironment(children.first().estimator, where, config().python))
        for (const ArrayChild& c : children)
            argv = QStringList{QStringLiteral("sh"), where.helper(), QStringLiteral("pending"),
                               where.runDir(c.run.id), QStringLiteral("--")} +
                   argv;
    const QByteArray out = shell->check(argv + job.arguments,
                                        QStringLiteral("submit the sweep's job array with sbatch"), job.script);
    const QString id = QString::fromUtf8(out).trimmed().section(QLatin1Char(';'), 0, 0);
    bool ok = false;
    id.toLongLong(&ok);
    if (!ok)
        throw Error(QStringLiteral("sbatch answered '%1' instead of a job id; check the Slurm installation on %2.")
                        .arg(QString::fromUtf8(out).trimmed(), shell->display()));
    for (int i = 0; i < children.size(); ++i) {
        RemoteRunState state;
        state.submitted = true;
        state.jobId = arrayTaskJobId(id, i);
        state.remoteDir = where.runDir(children.at(i).run.id);
        state.maxRequeues = children.at(i).estimator.slurmMaxRequeues.value_or(kDefaultSlurmMaxRequeues);
        state.write(children.at(i).run.runDir + QStringLiteral("/remote.json"));
    }
}

} // namespace lb
