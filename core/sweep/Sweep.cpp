#include "core/sweep/Sweep.h"

#include "core/compute/ComputeTarget.h"
#include "core/estimator/SecretVariables.h"
#include "core/runs/RunControl.h"
#include "core/lifecycle/RunFinish.h"
#include "core/lifecycle/RunFolder.h"
#include "core/lifecycle/RunLock.h"
#include "core/lifecycle/Spawn.h"
#include "core/runs/Submit.h"
#include "core/store/Store.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/JsonValues.h"
#include "core/workspace/Workspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QThread>

#include <cmath>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace lb::sweep {

namespace {

QString sweepJsonPath(const QString& runDir) { return runDir + QStringLiteral("/sweep.json"); }

// Starts labbench-sweep-driver in its own session with the parent's lock handed over as fd 3.
void spawnDriver(Workspace& ws, const RunRecord& parent, RunLock& lock) {
    spawnRunHelper(QStringLiteral("labbench-sweep-driver"),
                   {QStringLiteral("--workspace"), ws.root(), QStringLiteral("--sweep"), parent.id},
                   lock.fd(), RunFolder(parent.runDir).supervisorLog());
}

// Records a new parent run (Running, tagged, its spec saved), holding its lock, and starts the
// driver. A resumed sweep adopts the old sweep's children before its driver starts.
RunRecord startParent(Workspace& ws, SweepSpec spec, const RunRecord* resumedFrom) {
    Estimator e = spec.estimator;
    e.experiment = spec.experiment;
    e.applyFrameworkDefaults();
    e.validate();
    const QString targetName = e.computeTarget.isEmpty() ? ws.config().defaultComputeTarget : e.computeTarget;
    const auto target = openComputeTarget(ws, targetName);
    target->checkCanRun(e);
    e.computeTarget = targetName;
    e.sourceDirectory = QDir(e.sourceDirectory).absolutePath();
    spec.estimator = e;
    if (!spec.seedGiven) {
        spec.seed = QRandomGenerator::system()->bounded(1u << 30);
        spec.seedGiven = true;
    }

    RunRecord parent;
    parent.id = newRunId(spec.experiment);
    parent.experiment = spec.experiment;
    parent.computeTarget = targetName;
    parent.runDir = QDir(ws.runsDir()).filePath(parent.id);
    parent.estimatorJson = QString::fromStdString(e.toJson(Estimator::SecretValues::Masked).dump());
    const RunFolder folder(parent.runDir);
    if (!QDir().mkpath(parent.runDir))
        throw Error(QStringLiteral("Cannot create the sweep folder %1; check the permissions of %2.")
                        .arg(parent.runDir, ws.runsDir()));
    auto lock = RunLock::tryAcquire(folder.lockFile());
    if (!lock)
        throw Error(QStringLiteral("Cannot lock the new sweep folder %1; try again.").arg(parent.runDir));
    auto runs = ws.store().runs();
    try {
        writeSecretsFile(folder.secretsFile(), secretValues(e)); // sweep.json says "***"
        writeJsonFile(sweepJsonPath(parent.runDir), spec.toJson());
        parent = runs.create(parent);
        runs.setTag(parent.id, kSweepTag, QStringLiteral("parent"));
        if (resumedFrom) {
            runs.setTag(parent.id, kResumedFromTag, resumedFrom->id);
            for (const RunRecord& child : runs.children(resumedFrom->id))
                runs.setParent(child.id, parent.id);
            runs.setTag(resumedFrom->id, kResumedAsTag, parent.id);
        }
        runs.transitionIf(parent.id, RunStatus::Queued, RunStatus::Running);
    } catch (...) {
        if (!parent.number)
            QDir(parent.runDir).removeRecursively();
        throw;
    }
    writeRunJson(ws.store(), parent.id);
    try {
        spawnDriver(ws, parent, *lock);
    } catch (const Error& err) {
        runs.transition(parent.id, RunStatus::Failed, err.message());
        writeRunJson(ws.store(), parent.id);
        throw;
    }
    lock->release();
    return runs.find(parent.id).value_or(parent);
}

RunRecord findSweep(Workspace& ws, const QString& idOrPrefix) {
    const RunRecord run = findRun(ws, idOrPrefix);
    if (!isSweep(ws, run.id))
        throw NotFoundError(QStringLiteral("Run '%1' is not a sweep; 'labbench runs show %1' shows it as a run.")
                                .arg(run.id));
    return run;
}

SweepSpec loadSpec(const RunRecord& parent) {
    const Json j = readJsonFile(sweepJsonPath(parent.runDir));
    SweepSpec spec = SweepSpec::fromJson(j, sweepJsonPath(parent.runDir), parent.runDir);
    spec.seedGiven = true;
    return spec;
}

// null: no value logged; NaN and the infinities as "NaN", "Infinity", "-Infinity" (#25).
Json numberOrNull(const std::optional<double>& v) { return v ? jsonNumber(*v) : Json(nullptr); }

} // namespace

bool isSweep(Workspace& ws, const QString& runId) {
    return ws.store().runs().tags(runId).contains(kSweepTag);
}

RunRecord submitSweep(Workspace& ws, SweepSpec spec) { return startParent(ws, std::move(spec), nullptr); }

std::optional<SweepChild> bestChild(const QList<SweepChild>& children, bool maximize) {
    std::optional<SweepChild> best;
    for (const SweepChild& c : children) {
        if (c.run.status == RunStatus::Failed || !c.primaryMetric || !std::isfinite(*c.primaryMetric))
            continue;
        if (!best || (maximize ? *c.primaryMetric > *best->primaryMetric : *c.primaryMetric < *best->primaryMetric))
            best = c;
    }
    return best;
}

SweepSummary loadSweep(Workspace& ws, const QString& idOrPrefix) {
    SweepSummary s;
    s.parent = reconcileRun(ws, findSweep(ws, idOrPrefix));
    s.spec = loadSpec(s.parent);
    auto runs = ws.store().runs();
    auto metrics = ws.store().metrics();
    for (const RunRecord& child : runs.children(s.parent.id)) {
        SweepChild c;
        c.run = child;
        const Json params = Json::parse(runs.tags(child.id).value(kParamsTag).toStdString(), nullptr, false);
        if (params.is_object())
            c.params = params;
        if (const auto last = metrics.last(child.id, s.spec.primaryMetric))
            c.primaryMetric = last->value;
        s.children.append(c);
    }
    if (const auto best = bestChild(s.children, s.spec.maximize)) {
        s.bestId = best->run.id;
        s.bestValue = best->primaryMetric;
    }
    return s;
}

Json SweepSummary::toJson() const {
    Json j;
    j["id"] = toStd(parent.id);
    j["experiment"] = toStd(parent.experiment);
    j["status"] = toStd(toString(parent.status));
    j["reason"] = toStd(parent.reason);
    j["sampling"] = toStd(spec.methodName());
    j["primary_metric"] = {{"name", toStd(spec.primaryMetric)}, {"goal", spec.maximize ? "maximize" : "minimize"}};
    j["early_termination"] = spec.policy.toJson();
    j["max_total_runs"] = spec.maxTotalRuns;
    j["max_concurrent_runs"] = spec.maxConcurrentRuns;
    j["best"] = bestId.isEmpty() ? Json(nullptr) : Json(toStd(bestId));
    j["best_primary_metric"] = numberOrNull(bestValue);
    j["children"] = Json::array();
    for (const SweepChild& c : children)
        j["children"].push_back({{"id", toStd(c.run.id)},
                                 {"status", toStd(toString(c.run.status))},
                                 {"params", c.params},
                                 {"primary_metric", numberOrNull(c.primaryMetric)},
                                 {"reason", toStd(c.run.reason)}});
    return j;
}

RunRecord cancelSweep(Workspace& ws, const QString& idOrPrefix) {
    RunRecord parent = reconcileRun(ws, findSweep(ws, idOrPrefix));
    if (isTerminal(parent.status))
        return parent;
    const RunFolder folder(parent.runDir);
    writeFileAtomically(folder.cancelRequest(), QByteArrayLiteral("canceled by user\n"));
    // Stop the children at once; the driver (if alive) also sees the request and ends the parent.
    for (const RunRecord& child : ws.store().runs().children(parent.id))
        if (!isTerminal(child.status))
            requestCancel(ws, child);
    if (auto lock = RunLock::tryAcquire(folder.lockFile())) {
        // No driver: end the parent here.
        ws.store().runs().transition(parent.id, RunStatus::Canceled, QStringLiteral("Canceled by the user."));
        writeRunJson(ws.store(), parent.id);
    }
    return ws.store().runs().find(parent.id).value_or(parent);
}

RunRecord resumeSweep(Workspace& ws, const QString& idOrPrefix) {
    const RunRecord old = findSweep(ws, idOrPrefix);
    auto runs = ws.store().runs();
    if (old.status == RunStatus::Completed)
        throw Error(QStringLiteral("Sweep %1 already completed; submit a new sweep to search further.").arg(old.id));
    const QString movedTo = runs.tags(old.id).value(kResumedAsTag);
    if (!movedTo.isEmpty())
        throw Error(QStringLiteral("Sweep %1 was already resumed as %2; resume that one instead.").arg(old.id, movedTo));
    if (!isTerminal(old.status)) {
        auto lock = RunLock::tryAcquire(RunFolder(old.runDir).lockFile());
        if (!lock)
            throw Error(QStringLiteral("Sweep %1 is still being driven; there is nothing to resume.").arg(old.id));
        spawnDriver(ws, old, *lock);
        lock->release();
        return runs.find(old.id).value_or(old);
    }
    SweepSpec spec = loadSpec(old);
    restoreSecrets(RunFolder(old.runDir).secretsFile(), spec.estimator);
    return startParent(ws, spec, &old);
}

} // namespace lb::sweep
