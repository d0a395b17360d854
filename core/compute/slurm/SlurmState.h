#pragma once
// What Slurm says about a job, and how its states map to the run life cycle:
//
//   PENDING -> Queued, CONFIGURING -> Preparing, RUNNING (SUSPENDED) -> Running,
//   COMPLETING -> Finalizing (the Slurm target shows no change for it: a preempted job is
//   COMPLETING too), COMPLETED -> Completed, CANCELLED -> Canceled,
//   FAILED / TIMEOUT / OUT_OF_MEMORY / NODE_FAIL (and BOOT_FAIL, DEADLINE) -> Failed, with the
//   state named in the reason (NODE_FAIL names the nodes);
//   PREEMPTED, REQUEUED, REQUEUE_HOLD -> Preempted (not final): the job lost its nodes and Slurm
//   may queue it again (PreemptMode=REQUEUE, or a node failure of a requeueable job), after which
//   it is PENDING (the run goes Preempted -> Queued) and RUNNING again. A job that stays
//   PREEMPTED and cannot be requeued (Requeue=0, or only the completion file still knows it)
//   ends Failed, "Preempted by Slurm (…)". Slurm shows a job it requeues as REQUEUED, never as
//   bare NODE_FAIL: a NODE_FAIL job is final.
//   The follower asks SlurmRequeue.h first: it requeues PREEMPTED and NODE_FAIL jobs itself and
//   counts every requeue against the run's limit, so this mapping is what is left.
//
// State comes from `scontrol show job -o ID` while Slurm remembers the job, then from the
// job-completion file (JobCompType=jobcomp/filetxt, key=value per line): no slurmdbd needed.

#include "core/store/RunStatus.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace lb {

struct SlurmJobInfo {
    QString state;      // COMPLETED, RUNNING, … (any "+" or " by UID" suffix removed)
    QString reason;     // scontrol's Reason (None, TimeLimit, …), empty from the completion file
    int exitCode = 0;   // ExitCode=CODE:SIGNAL
    int signal = 0;
    QString nodes;      // NodeList (n[1-2]), empty when none was allocated
    bool requeue = false; // Requeue=1: Slurm may queue the job again after a preemption
    int restarts = 0;   // how often Slurm requeued it
};

// `scontrol show job -o` output (one line of key=value words); nullopt without a JobState.
std::optional<SlurmJobInfo> parseScontrolJob(const QByteArray& text);

// The last line for `jobId` (or array task "ID_TASK") in a job-completion file's text; nullopt
// when the job is not there.
std::optional<SlurmJobInfo> parseJobCompletion(const QByteArray& fileText, const QString& jobId);

struct SlurmStateMapping {
    RunStatus status = RunStatus::Queued;
    bool final = false;
};

// Unknown states map to Running (not final) so that a new Slurm state never ends a run early.
// From the state alone: PREEMPTED is Preempted and not final.
SlurmStateMapping mapSlurmState(const QString& state);

// From everything Slurm said: a PREEMPTED job that cannot be requeued (Requeue=0), or one that
// only the completion file remembers (`fromCompletionFile`: Slurm let it go), is Failed and final.
SlurmStateMapping mapSlurmJob(const SlurmJobInfo& info, bool fromCompletionFile);

// The one-sentence reason of a Failed run ("TIMEOUT: …", "Preempted by Slurm (…)"), empty for
// other states.
QString slurmFailureReason(const SlurmJobInfo& info, const QString& jobId);

// What a Preempted (not final) run's history says: "Preempted by Slurm (job 7 on n1, REQUEUED)…".
QString slurmPreemptionNote(const SlurmJobInfo& info, const QString& jobId);

} // namespace lb
