#pragma once
// The SSH compute target: one remote machine reached with the system ssh (keys only, one
// multiplexed connection). Runs go to REMOTE_DIR/runs/<id> and execute under
// labbench-remote.sh's detached supervisor; ranks of a distributed run are started by mpirun.
// Every queued run starts at once (the machine's own scheduler shares it).

#include "compute/ssh/RemoteTarget.h"

namespace lb {

// {"ssh": {...SshEndpoint...}, "remote_dir": "/scratch/lb", "python": ""}
struct SshTargetConfig {
    SshEndpoint endpoint;
    QString remoteDir;
    QString python;

    // Throws lb::Error naming the target and the field.
    static SshTargetConfig parse(const QString& json, const QString& targetName);
    Json toJson() const;
    // Throws lb::UsageError: the endpoint's checks, and an absolute remote_dir.
    void validate() const;
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

// The remote_dir rule shared by SSH and Slurm targets: absolute, no NUL, no "..".
void checkRemoteDir(const QString& dir);

} // namespace lb
