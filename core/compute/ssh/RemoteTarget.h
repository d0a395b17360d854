#pragma once
// What SSH and Slurm targets share: a machine reached through a RemoteShell, a folder there
// (RemoteLayout), and one follower process per run (`labbench remote follow`) that uploads the
// snapshot, starts the run there through a RemoteJob, tails driver.log and metrics.jsonl by
// offset into the local run folder and mirrors snapshot/logs/** and system/*.jsonl in the same
// round trip (RemoteMirror; checkpoints by rsync, RemoteCheckpoints), so RunIngester and
// `labbench logs` work unchanged, survives dropped connections, and finalizes the run. The remote run does
// not depend on the follower: a follower that dies is simply started again (reconcile).

#include "core/compute/ComputeTarget.h"
#include "core/compute/launch/DistributedLaunch.h"
#include "core/compute/ssh/RemoteLayout.h"
#include "core/compute/ssh/RemotePoll.h"
#include "core/estimator/SlurmResources.h"
#include "core/remote/RemoteShell.h"
#include "core/lifecycle/ExitRecord.h"

#include <optional>

namespace lb {

class RunLock;

// remote.json in the local run folder: what the follower has done so far.
struct RemoteRunState {
    bool submitted = false;
    bool submitting = false; // set just before submit(): a follower that died there may have
                             // started the run already (see RemoteJob::findSubmitted)
    QString jobId;      // Slurm job id; empty on SSH targets
    QString remoteDir;  // the run folder there
    bool cancelSent = false;
    // How often the scheduler's job may be queued again after it lost its nodes before the run
    // ends Failed (the run's slurm_max_requeues, kept here for every follower; Slurm only).
    int maxRequeues = kDefaultSlurmMaxRequeues;

    void write(const QString& path) const;
    static RemoteRunState read(const QString& path); // default when missing
};

// What the remote side says about a run.
struct RemoteStatus {
    RunStatus status = RunStatus::Running;
    bool ended = false;
    ExitRecord exit; // when ended
};

// How one kind of target starts, watches and stops a run there.
class RemoteJob {
public:
    virtual ~RemoteJob() = default;
    // Starts the run whose snapshot is already there; returns the job id ("" when none).
    // Throws lb::Error.
    virtual QString submit(RemoteShell& shell, const RunRecord& run, const Estimator& estimator,
                           const RemoteLayout& layout) = 0;
    // After a follower died while submitting: the job id of the run if the remote side already
    // has it ("" for a target without job ids), nullopt when it was not started.
    virtual std::optional<QString> findSubmitted(RemoteShell& shell, const RunRecord& run) = 0;
    // The run's state; nullopt when it cannot be told now (connection trouble: ask again).
    virtual std::optional<RemoteStatus> status(RemoteShell& shell, const RemoteRunState& state,
                                               const RemotePoll& poll) = 0;
    // Asks the remote side to stop the run; false when it could not be reached.
    virtual bool cancel(RemoteShell& shell, const RemoteRunState& state, const RemoteLayout& layout) = 0;
    // The state the run is in right after submit().
    virtual RunStatus submittedStatus() const = 0;
};

class RemoteTarget : public ComputeTarget {
public:
    using ComputeTarget::ComputeTarget;

    virtual std::unique_ptr<RemoteShell> openShell() const = 0;
    virtual RemoteLayout layout() const = 0;
    virtual std::unique_ptr<RemoteJob> makeJob() const = 0;
    // How ranks are started there.
    virtual Launcher launcher() const = 0;

    // `compute test`: connects, checks the remote folder (and the scheduler); returns what it
    // found, one line each; throws lb::Error with the first problem.
    virtual QStringList selfTest() const;

    // Starts a follower for every queued run (and any active run whose follower is gone).
    QList<RunRecord> dispatch(Workspace& workspace) override;
    void requestCancel(Workspace& workspace, const RunRecord& run) override;
    // A run whose follower is gone gets a new one: the remote run went on without it.
    bool reconcile(Workspace& workspace, const RunRecord& run) override;
};

// The program argv of a run there: `env` with the run's variables, the distributed launcher's
// words, then the interpreter and script (or the executable entry, or labbench-train) with
// the script parameters, each word kept as one word. With `venvDir` (a prepared pip
// environment there) Python scripts start with its interpreter and VIRTUAL_ENV is set; the
// helper puts its bin/ first on PATH.
QStringList remoteProgram(const Estimator& estimator, const RemoteLayout& layout,
                          const RunRecord& run, const QString& targetPython, Launcher launcher,
                          const QString& venvDir = {});

// `labbench remote follow`: follows one run to its end (see above). Returns 0, or 1 when it
// could not begin.
struct FollowOptions {
    QString workspaceRoot;
    QString runId;
    int lockFd = -1;
    int pollMs = 200;
};
int followRemoteRun(const FollowOptions& options);

} // namespace lb
