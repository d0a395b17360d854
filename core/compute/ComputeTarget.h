#pragma once
// One interface for every place a run can execute. Each target kind lives in its own files
// (LocalTarget here; SSH and Slurm later) and touches no other kind's code; the run folder
// protocol (core/lifecycle/RunFolder.h) is the same on all of them.

#include "core/store/Entities.h"
#include "core/util/Json.h"

#include <memory>

namespace lb {

struct Estimator;
class Workspace;

class ComputeTarget {
public:
    explicit ComputeTarget(ComputeTargetRecord record) : record_(std::move(record)) {}
    virtual ~ComputeTarget() = default;
    ComputeTarget(const ComputeTarget&) = delete;
    ComputeTarget& operator=(const ComputeTarget&) = delete;

    const ComputeTargetRecord& record() const { return record_; }
    const QString& name() const { return record_.name; }

    // The interpreter for Python entry scripts when the estimator names none (empty: python3).
    virtual QString python() const { return {}; }

    // Refuses, before submit writes anything, an estimator this target can never run (a GPU
    // run on a target without GPUs, …). Throws lb::Error naming the fix.
    virtual void checkCanRun(const Estimator& estimator) const = 0;

    // Starts queued runs, oldest first, while the target has room. Safe to call from any
    // process at any time (the store arbitrates); returns the runs it started.
    virtual QList<RunRecord> dispatch(Workspace& workspace) = 0;

    // Asks an active run to stop; its supervisor moves it to Canceled.
    virtual void requestCancel(Workspace& workspace, const RunRecord& run) = 0;

    // For an active run: when its supervisor is gone, finish it from what the run folder holds
    // (ingest the rest, then exit.json, else Failed "supervisor vanished"). True when it did.
    virtual bool reconcile(Workspace& workspace, const RunRecord& run) = 0;

    // The target's settings as `compute show --json` prints them.
    virtual Json describe() const;

    // A sweep's children that all run alike (grid and random sweeps) may start as one scheduler
    // job (a Slurm job array): such a target answers true and takes them in submitBatch.
    virtual bool takesBatches() const { return false; }
    // Starts `runs` (Queued, not dispatched, their locks held by the caller so that no follower
    // starts them alone) as one job, at most `maxConcurrent` of them at once; afterwards each
    // run's own follower follows it. Throws lb::Error, and then no run has started.
    virtual void submitBatch(Workspace& workspace, const QList<RunRecord>& runs, int maxConcurrent);

private:
    ComputeTargetRecord record_;
};

// The target for a stored record; throws lb::Error for a kind this build does not know.
std::unique_ptr<ComputeTarget> makeComputeTarget(const ComputeTargetRecord& record);

// The workspace's target `name`; throws lb::NotFoundError listing the targets there are.
std::unique_ptr<ComputeTarget> openComputeTarget(Workspace& workspace, const QString& name);

} // namespace lb
