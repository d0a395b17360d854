#include "core/compute/TargetAdmin.h"

#include "core/compute/ComputeTarget.h"
#include "core/compute/LocalTarget.h"
#include "core/compute/ssh/RemoteTarget.h"
#include "core/store/Store.h"
#include "core/util/Error.h"
#include "core/workspace/Workspace.h"
#include "core/workspace/WorkspaceConfig.h"

#include <optional>

namespace lb {

namespace {

// The first run on `name` that has not ended, if any.
std::optional<RunRecord> firstActiveRun(Workspace& workspace, const QString& name) {
    const auto active = workspace.store().runs().listByStatus(
        {RunStatus::Queued, RunStatus::Preparing, RunStatus::Running, RunStatus::Finalizing, RunStatus::Preempted},
        name);
    for (const RunRecord& r : active)
        if (r.computeTarget == name) return r;
    return std::nullopt;
}

} // namespace

void createComputeTarget(Workspace& workspace, const ComputeTargetRecord& record) {
    makeComputeTarget(record); // settings that cannot be read back never reach the store
    workspace.store().computeTargets().add(record);
}

void updateComputeTarget(Workspace& workspace, const ComputeTargetRecord& record) {
    const auto old = workspace.store().computeTargets().find(record.name);
    if (!old)
        throw NotFoundError(QStringLiteral("There is no compute target '%1' to change; create it "
                                           "instead.")
                                .arg(record.name));
    if (old->kind != record.kind)
        throw Error(
            QStringLiteral("Compute target '%1' is of kind %2 and cannot become %3; remove it "
                           "and create a new one.")
                .arg(record.name, old->kind, record.kind));
    // A remote run is followed, cancelled and brought home through its target's settings, so
    // they may not move under it; a local target's (GPUs, concurrency) may change any time.
    if (old->kind != QLatin1String("local"))
        if (const auto run = firstActiveRun(workspace, record.name))
            throw Error(
                QStringLiteral("Compute target '%1' still has run %2 (%3), which is followed "
                               "through these settings; wait for it or cancel it before "
                               "changing them.")
                    .arg(record.name, run->id, toString(run->status)));
    makeComputeTarget(record);
    workspace.store().computeTargets().update(record);
}

void removeComputeTarget(Workspace& workspace, const QString& name) {
    openComputeTarget(workspace, name); // a clear error for an unknown name
    if (name == workspace.config().defaultComputeTarget)
        throw Error(QStringLiteral("'%1' is the workspace's default compute target; pick another "
                                   "default before removing it.")
                        .arg(name));
    if (const auto run = firstActiveRun(workspace, name))
        throw Error(QStringLiteral("Compute target '%1' still has run %2 (%3); cancel it or wait "
                                   "for it before removing the target.")
                        .arg(name, run->id, toString(run->status)));
    workspace.store().computeTargets().remove(name);
}

QList<GpuSample> detectLocalGpus(QString* unavailableReason) {
    const GpuMonitor monitor;
    if (unavailableReason) *unavailableReason = monitor.unavailableReason();
    return monitor.sample();
}

QStringList testComputeTarget(const ComputeTarget& target) {
    if (const auto* remote = dynamic_cast<const RemoteTarget*>(&target)) return remote->selfTest();
    QStringList found;
    found << QStringLiteral("'%1' runs on this machine; nothing to connect to").arg(target.name());
    QString reason;
    const QList<GpuSample> gpus = detectLocalGpus(&reason);
    if (gpus.isEmpty())
        found << (reason.isEmpty() ? QStringLiteral("No GPUs found on this machine") : reason);
    for (const GpuSample& g : gpus)
        found << QStringLiteral("GPU %1: %2").arg(g.index).arg(g.name);
    const auto* local = dynamic_cast<const LocalTarget*>(&target);
    if (local && reason.isEmpty()) { // NVML answered: the GPUs the target names must be there
        for (int g : local->config().gpus)
            if (g >= gpus.size())
                throw Error(
                    QStringLiteral("Compute target '%1' uses GPU %2 but this machine has %3; "
                                   "edit the target's GPU list.")
                        .arg(target.name())
                        .arg(g)
                        .arg(gpus.size()));
    }
    return found;
}

} // namespace lb
