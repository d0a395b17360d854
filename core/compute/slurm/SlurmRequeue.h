#pragma once
// What Labbench does when Slurm takes a run's nodes away (#20 item 3). Runs are submitted
// requeueable (--requeue), so that a preempted or node-failed job is queued again and its
// batch script starts over as the next attempt of the same run (SbatchScript.h writes the
// attempt marker and LABBENCH_ATTEMPT / LABBENCH_RESUME_CHECKPOINT).
//
// - Slurm requeues by itself (PreemptMode=REQUEUE, or a node failure of a requeueable job): the
//   job passes through COMPLETING with its Restarts count raised, then PENDING (Reason=BeginTime:
//   a requeued job waits AuthInfo's cred_expire, 120 s by default). Labbench only counts it.
// - Slurm ends the job PREEMPTED (PreemptMode=CANCEL, or a requeue it refused) or NODE_FAIL:
//   Labbench runs `scontrol requeue ID` ("requeue a running, suspended or finished batch job
//   into pending state"), once per Restarts count, so that a requeue Slurm makes meanwhile is
//   not doubled.
// - Either way Restarts counts the requeues. Beyond the run's limit (slurm_max_requeues,
//   `--slurm-max-requeues`) the run ends Failed with a reason that names the count and the
//   flag; a job Slurm queued again beyond it is cancelled first (once it is pending: a
//   COMPLETING job cannot be).
// - A job held after its requeue (REQUEUE_HOLD, or pending with Reason=JobHeld…) stays
//   Preempted with a note that says how to release it: a hold is someone's decision.

#include "core/compute/slurm/SlurmState.h"

#include <functional>
#include <optional>

namespace lb {

// The Slurm commands the policy needs; each returns "" on success, else what it printed.
struct SlurmRequeueCommands {
    std::function<QString(const QString& jobId)> requeue; // scontrol requeue ID
    std::function<QString(const QString& jobId)> cancel;  // scancel ID
};

// What the run shows now, when the requeue rules decide it.
struct SlurmRequeueStep {
    RunStatus status = RunStatus::Preempted; // Preempted, Queued, or Failed (final)
    QString reason;
    bool final() const { return status == RunStatus::Failed; }
};

class SlurmRequeuePolicy {
public:
    SlurmRequeuePolicy(int maxRequeues, SlurmRequeueCommands commands)
        : max_(maxRequeues), commands_(std::move(commands)) {}

    // One look at the job; nullopt: nothing to do with requeues, map its state as usual.
    // `cancelSent`: the user canceled the run (a CANCELLED job is then theirs, not the limit's).
    std::optional<SlurmRequeueStep> observe(const SlurmJobInfo& info, const QString& jobId, bool cancelSent);

private:
    SlurmRequeueStep failed(const QString& reason);
    QString limitReason(const SlurmJobInfo& info, const QString& jobId) const;
    QString attemptWords(int restarts) const;

    int max_;
    SlurmRequeueCommands commands_;
    int seenRestarts_ = -1;       // Restarts when the job was last seen RUNNING or PENDING
    int requeuedAtRestarts_ = -1; // Restarts when Labbench last asked for a requeue
    std::optional<SlurmRequeueStep> final_; // once the run failed here, it stays so
};

} // namespace lb
