#pragma once
// The SSH compute target: one remote machine reached with the system ssh (keys only, one
// multiplexed connection). Runs go to REMOTE_DIR/runs/<id> and execute under
// labbench-remote.sh's detached supervisor; ranks of a distributed run are started by mpirun.
// Every queued run starts at once (the machine's own scheduler shares it).

#include "core/compute/ssh/RemoteTarget.h"
#include "core/util/FieldProblem.h"

namespace lb {

// {"ssh": {...SshEndpoint...}, "remote_dir": "/scratch/lb", "python": ""}
struct SshTargetConfig {
    SshEndpoint endpoint;
    QString remoteDir;
    QString python;

    // Throws lb::Error naming the target and the field.
    static SshTargetConfig parse(const QString& json, const QString& targetName);
    Json toJson() const;
    // Each wrong field: a host is required, the endpoint's checks, an absolute remote_dir.
    FieldProblems problems() const;
    // Throws lb::UsageError with the first of problems().
    void validate() const { throwFirstProblem(problems()); }
};

class SshTarget : public RemoteTarget {
public:
    explicit SshTarget(ComputeTargetRecord record);

    const SshTargetConfig& config() const { return config_; }
    QString python() const override { return config_.python; }
    void checkCanRun(const Estimator& estimator) const override;
    Json describe() const override;

    std::unique_ptr<RemoteShell> openShell() const override;
    RemoteLayout layout() const override { return {config_.remoteDir}; }
    std::unique_ptr<RemoteJob> makeJob() const override;
    Launcher launcher() const override { return Launcher::Mpirun; }

    static ComputeTargetRecord makeRecord(const QString& name, const SshTargetConfig& config);

private:
    SshTargetConfig config_;
};

// The remote_dir rule shared by SSH and Slurm targets: absolute, no NUL, no "..". The problem
// (field "remote-dir") when it is broken; checkRemoteDir throws it as lb::UsageError.
std::optional<FieldProblem> remoteDirProblem(const QString& dir);
void checkRemoteDir(const QString& dir);

} // namespace lb
