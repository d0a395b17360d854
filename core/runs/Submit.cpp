#include "core/runs/Submit.h"

#include "core/compute/ComputeTarget.h"
#include "core/datastore/Datastores.h"
#include "core/estimator/Estimator.h"
#include "core/estimator/SecretVariables.h"
#include "core/lifecycle/RunFinish.h"
#include "core/lifecycle/RunFolder.h"
#include "core/util/Error.h"
#include "core/workspace/Workspace.h"

#include <QDir>
#include <QRandomGenerator>

namespace lb {

QString newRunId(const QString& experiment) {
    QString safe;
    for (const QChar c : experiment.left(40))
        safe.append(c.isLetterOrNumber() && c.unicode() < 128 ? c : QLatin1Char('_'));
    if (safe.isEmpty()) safe = QStringLiteral("run");
    const QString time =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss"));
    const quint32 random = QRandomGenerator::system()->generate();
    return QStringLiteral("%1_%2_%3").arg(safe, time).arg(random, 8, 16, QLatin1Char('0'));
}

namespace {

// The one set of snapshot rules for a submit, and for the question before it.
SnapshotOptions snapshotOptionsFor(const Workspace& ws, const SubmitOptions& options) {
    SnapshotOptions snapshot;
    snapshot.sizeLimitBytes = options.snapshotLimitBytes;
    snapshot.excludedFolders = {ws.root()};
    return snapshot;
}

} // namespace

QString submitSnapshotWarning(Workspace& ws, Estimator e, const SubmitOptions& options) {
    e.applyFrameworkDefaults();
    e.validate();
    if (e.runsBuiltinTrainer()) return {};
    return snapshotWarning(QDir(e.sourceDirectory).absolutePath(), snapshotOptionsFor(ws, options));
}

RunRecord submitRun(Workspace& ws, Estimator e, const SubmitOptions& options) {
    const QString experiment = !options.experiment.isEmpty() ? options.experiment
                               : !e.experiment.isEmpty()     ? e.experiment
                                                             : QStringLiteral("default");
    if (experiment.size() > 256 || experiment.contains(QChar(0)))
        throw Error(
            QStringLiteral("The experiment name is too long or holds a NUL character; use a "
                           "short name like 'mnist'."));
    e.experiment = experiment;
    e.applyFrameworkDefaults();
    e.validate();
    e.sourceDirectory = QDir(e.sourceDirectory).absolutePath();
    const QString targetName =
        e.computeTarget.isEmpty() ? ws.config().defaultComputeTarget : e.computeTarget;
    const auto target = openComputeTarget(ws, targetName);
    target->checkCanRun(e);
    // datastore:// arguments are checked now, so an unknown name or a '..' is refused at submit
    // (issue 4); the supervisor resolves them again when the run starts.
    resolveDatastoreArgs(e.scriptParams, ws.store());
    e.computeTarget = targetName;

    RunRecord run;
    run.id = newRunId(experiment);
    run.experiment = experiment;
    run.computeTarget = targetName;
    run.parentId = options.parentId;
    run.name = options.name.trimmed();
    run.runDir = QDir(ws.runsDir()).filePath(run.id);
    // Secret values rest in the run's 0600 secrets file only; the store and run.json say "***".
    run.estimatorJson = QString::fromStdString(e.toJson(Estimator::SecretValues::Masked).dump());
    const RunFolder folder(run.runDir);
    if (!QDir().mkpath(run.runDir))
        throw Error(QStringLiteral("Cannot create the run folder %1; check the permissions of %2.")
                        .arg(run.runDir, ws.runsDir()));
    try {
        const SnapshotOptions snapshot = snapshotOptionsFor(ws, options);
        writeSecretsFile(folder.secretsFile(), secretValues(e));
        if (e.runsBuiltinTrainer()) {
            // The built-in trainer is a program, not a file of the source folder: copying the
            // current folder would only waste space and pass its logs/ off as the run's
            // (#23 item 4). It still gets an empty working directory for outputs/ and logs/.
            if (!QDir().mkpath(folder.snapshotDir()))
                throw Error(QStringLiteral("Cannot create the run's working folder %1; check the "
                                           "permissions of %2.")
                                .arg(folder.snapshotDir(), run.runDir));
        } else {
            const SnapshotResult taken =
                takeSnapshot(e.sourceDirectory, folder.snapshotDir(), snapshot);
            if (!taken.warning.isEmpty() && options.warnings)
                options.warnings->append(taken.warning);
        }
        run = ws.store().runs().create(run, e.tags);
    } catch (...) {
        QDir(run.runDir).removeRecursively();
        throw;
    }
    writeRunJson(ws.store(), run.id);
    if (options.dispatch)
        target->dispatch(ws);
    return ws.store().runs().find(run.id).value_or(run);
}

} // namespace lb
