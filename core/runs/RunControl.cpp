#include "core/runs/RunControl.h"

#include "core/compute/ComputeTarget.h"
#include "core/store/StoreCorruptError.h"
#include "core/util/DiskSpace.h"
#include "core/util/Error.h"
#include "core/workspace/Workspace.h"

#include <QElapsedTimer>
#include <QSet>
#include <QThread>

namespace lb {

RunRecord findRun(Workspace& ws, const QString& idOrPrefix) {
    if (auto run = ws.store().runs().find(idOrPrefix))
        return *run;
    if (!idOrPrefix.isEmpty()) {
        QList<RunRecord> matches;
        for (const RunRecord& r : ws.store().runs().list())
            if (r.id.startsWith(idOrPrefix))
                matches.append(r);
        if (matches.size() == 1)
            return matches.first();
        if (matches.size() > 1)
            throw NotFoundError(QStringLiteral("'%1' matches %2 runs; give more of the run id.")
                                    .arg(idOrPrefix)
                                    .arg(matches.size()));
    }
    throw NotFoundError(QStringLiteral("There is no run '%1' in this workspace; 'labbench runs list' "
                                       "shows the run ids.")
                            .arg(idOrPrefix));
}

RunRecord reconcileRun(Workspace& ws, const RunRecord& run) {
    if (isTerminal(run.status) || run.status == RunStatus::Queued)
        return run;
    try {
        openComputeTarget(ws, run.computeTarget)->reconcile(ws, run);
    } catch (const NotFoundError&) {
        // Its target was removed: nothing can be supervising it any more.
        ws.store().runs().transition(run.id, RunStatus::Failed,
                                     QStringLiteral("Its compute target '%1' was removed.").arg(run.computeTarget));
    } catch (const StoreCorruptError&) {
        throw; // no retry mends it: the reader says so (#20)
    } catch (const std::exception&) {
        // Best effort: reading runs must not fail because one run cannot be finished now (a
        // busy store, an unreadable folder); the next reader tries again.
    }
    return ws.store().runs().find(run.id).value_or(run);
}

void reconcileRuns(Workspace& ws) {
    auto runs = ws.store().runs();
    for (const RunRecord& run : runs.listByStatus(
             {RunStatus::Preparing, RunStatus::Running, RunStatus::Finalizing, RunStatus::Preempted})) {
        try {
            reconcileRun(ws, run);
        } catch (const Error&) {
            // On a full disk a run cannot be finished now; listing must still work, and the
            // run is finished by whoever looks once space is back.
            if (runPauseReason(ws, run).isEmpty())
                throw;
        }
    }
    QSet<QString> targets;
    for (const RunRecord& run : runs.listByStatus({RunStatus::Queued}))
        targets.insert(run.computeTarget);
    for (const QString& name : targets) {
        try {
            openComputeTarget(ws, name)->dispatch(ws);
        } catch (const Error&) {
            // An unknown or broken target: its queued runs wait, shown as Queued.
        }
    }
}

void requestCancel(Workspace& ws, const RunRecord& run) {
    if (isTerminal(run.status))
        return;
    openComputeTarget(ws, run.computeTarget)->requestCancel(ws, run);
}

QString runPauseReason(const Workspace& ws, const RunRecord& run) {
    if (isTerminal(run.status))
        return {};
    if (diskIsFull(ws.root()))
        return diskFullReason(ws.root());
    if (!run.runDir.isEmpty() && diskIsFull(run.runDir))
        return diskFullReason(run.runDir);
    return {};
}

RunRecord waitForRun(Workspace& ws, const QString& runId, const std::function<void()>& tick, int pollMs,
                     qint64 timeoutMs) {
    QElapsedTimer clock, sinceReconcile;
    clock.start();
    sinceReconcile.start();
    for (;;) {
        auto run = ws.store().runs().find(runId);
        if (!run)
            throw NotFoundError(QStringLiteral("The run '%1' disappeared from the store.").arg(runId));
        if (!isTerminal(run->status) && sinceReconcile.elapsed() >= 1000) {
            run = reconcileRun(ws, *run);
            sinceReconcile.restart();
        }
        if (tick)
            tick();
        if (isTerminal(run->status) || (timeoutMs >= 0 && clock.elapsed() >= timeoutMs))
            return *run;
        QThread::msleep(static_cast<unsigned long>(pollMs));
    }
}

} // namespace lb
