#pragma once
// The local compute target: runs on this machine, each under its own detached supervisor
// (labbench-supervisor), at most max_concurrent_runs at a time (FIFO beyond), one run per GPU
// for GPU runs, with CUDA_VISIBLE_DEVICES naming the GPU it holds. A distributed run (mpi,
// pytorch, parameter_server) starts its processes here with Open MPI's mpirun (RunLaunch.h).

#include "core/compute/ComputeTarget.h"
#include "core/util/FieldProblem.h"

#include <QList>

namespace lb {

// The JSON config of a local target: {"max_concurrent_runs": N, "gpus": [0, 1], "python": ""}.
struct LocalTargetConfig {
    int maxConcurrentRuns = 1;
    QList<int> gpus;
    QString python; // interpreter for .py entry scripts unless the estimator names one

    // Throws lb::Error naming the target and the field when the stored config is wrong.
    static LocalTargetConfig parse(const QString& json, const QString& targetName);
    Json toJson() const;
    // Each wrong field: "max-concurrent" outside 1-10000, "gpus" with a negative number.
    FieldProblems problems() const;
};

class LocalTarget : public ComputeTarget {
public:
    explicit LocalTarget(ComputeTargetRecord record);

    const LocalTargetConfig& config() const { return config_; }
    QString python() const override { return config_.python; }
    void checkCanRun(const Estimator& estimator) const override;
    QList<RunRecord> dispatch(Workspace& workspace) override;
    void requestCancel(Workspace& workspace, const RunRecord& run) override;
    bool reconcile(Workspace& workspace, const RunRecord& run) override;
    Json describe() const override;

    // A record for `labbench compute create local`; throws lb::UsageError for a wrong config.
    static ComputeTargetRecord makeRecord(const QString& name, const LocalTargetConfig& config);

private:
    LocalTargetConfig config_;
};

// "0,1" -> {0, 1}; throws lb::UsageError naming the bad entry.
QList<int> parseGpuList(const QString& text);

} // namespace lb
