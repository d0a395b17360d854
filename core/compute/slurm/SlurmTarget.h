#pragma once
// The Slurm compute target: a cluster reached through SSH to a login node, or with the Slurm
// commands on this machine when no host is given. Each run is one sbatch job (SbatchScript.h);
// its state comes from scontrol and then the job-completion file (SlurmState.h); cancel is
// scancel. Ranks are started by srun inside the job.

#include "core/compute/ssh/RemoteTarget.h"
#include "core/util/FieldProblem.h"

namespace lb {

// {"ssh": {...} (host empty: this machine), "remote_dir": ..., "partition", "account",
//  "time_limit_minutes", "gpus_per_node", "python"}
struct SlurmTargetConfig {
    SshEndpoint endpoint;
    QString remoteDir;
    QString partition, account, python;
    int timeLimitMinutes = 0; // used when the run sets no maximum duration; 0: the partition's
    int gpusPerNode = 1;      // for runs with use_gpu

    static SlurmTargetConfig parse(const QString& json, const QString& targetName);
    Json toJson() const;
    // Each wrong field: the endpoint's checks (when a host is given), an absolute remote_dir,
    // partition and account names, limits that are not negative.
    FieldProblems problems() const;
    // Throws lb::UsageError with the first of problems().
    void validate() const { throwFirstProblem(problems()); }
};

class SlurmTarget : public RemoteTarget {
public:
    explicit SlurmTarget(ComputeTargetRecord record);

    const SlurmTargetConfig& config() const { return config_; }
    QString python() const override { return config_.python; }
    void checkCanRun(const Estimator& estimator) const override;
    Json describe() const override;
    QStringList selfTest() const override;

    std::unique_ptr<RemoteShell> openShell() const override;
    RemoteLayout layout() const override { return {config_.remoteDir}; }
    std::unique_ptr<RemoteJob> makeJob() const override;
    Launcher launcher() const override { return Launcher::Srun; }

    // A sweep's children as one job array (SbatchArray.h); in SlurmBatch.cpp.
    bool takesBatches() const override { return true; }
    void submitBatch(Workspace& workspace, const QList<RunRecord>& runs, int maxConcurrent) override;

    static ComputeTargetRecord makeRecord(const QString& name, const SlurmTargetConfig& config);

private:
    SlurmTargetConfig config_;
};

} // namespace lb
