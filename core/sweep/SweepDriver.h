#pragma once
// The sweep driver: the detached process (labbench-sweep-driver) that drives one sweep until it
// ends — submits children through the ordinary submit path while max_concurrent_runs and
// max_total_runs allow, applies the early termination policy as the children's supervisors ingest
// metrics, records the best child, cancels on request or at max_duration_minutes, and finishes
// the parent. It holds the parent's supervisor lock, so reconcile sees a dead driver as a
// vanished supervisor. Everything it knows it re-reads from the store, so a new driver (resume)
// carries on where the last one stopped.

#include "core/store/Entities.h"
#include "core/sweep/EarlyTermination.h"
#include "core/sweep/Sampler.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>

#include <memory>
#include <optional>

namespace lb {
class Workspace;
}

namespace lb::sweep {

struct SweepDriverOptions {
    QString workspaceRoot;
    QString sweepId;
    int lockFd = -1; // the parent's lock, handed over by whoever started the driver
    int pollMs = 100;
};

// The driver's main loop; returns the process exit code.
int driveSweep(const SweepDriverOptions& options);

class SweepDriver {
public:
    SweepDriver(Workspace& workspace, const RunRecord& parent);
    // One pass over the sweep; true once the parent is final.
    bool step();

private:
    void log(const QString& line);
    // Records a child; `dispatch` false leaves it for submitAsBatch to start.
    RunRecord submitChild(const Json& params, bool dispatch = true);
    // Cancel or max_duration_minutes: stops every child, then ends the parent; true once final.
    bool stopEverything(bool canceled, const QList<RunRecord>& children, int active);
    // Early termination over every child's primary-metric reports so far.
    void applyPolicy(const QList<RunRecord>& children);
    void fixStopReasons(const QList<RunRecord>& children);
    // Submits while the limits allow; false when the sweep failed doing so (it is final then).
    bool submitMore(const QList<RunRecord>& children, int& active);
    // Grid and random sweeps on a target that takes batches (Slurm: one job array): every
    // child still to come is recorded, then started as one batch. Returns how many it started;
    // 0 when the target takes no batches or the batch failed (then the children it recorded go
    // out one at a time, as on any target). Throws as submitChild does.
    int submitAsBatch(int total, std::vector<Trial>& trials);
    void finish(RunStatus status, const QString& reason, const QList<RunRecord>& children);
    void recordBest(const QList<RunRecord>& children);
    std::vector<double> primaryValues(const RunRecord& child);
    Json paramsOf(const QString& childId);

    Workspace& ws_;
    QString id_;
    QString runDir_;
    SweepSpec spec_;
    std::unique_ptr<Sampler> sampler_;
    EarlyTermination early_;
    QHash<QString, Json> params_;                       // per child, immutable
    QHash<QString, std::vector<double>> finalValues_;   // final children's series, read once
    QSet<QString> stopAsked_;                           // children asked to stop (cancel/duration)
    QHash<QString, QString> stopReasons_;               // children stopped by the policy
    QString best_;
    bool exhausted_ = false;
    std::optional<bool> targetTakesBatches_; // asked once
    QElapsedTimer sinceReconcile_;
};

} // namespace lb::sweep
