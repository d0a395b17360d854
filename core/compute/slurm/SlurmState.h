#pragma once
// What Slurm says about a job, and how its states map to the run life cycle:
//
//   PENDING -> Queued, CONFIGURING -> Preparing, RUNNING (SUSPENDED) -> Running,
//   COMPLETING -> Finalizing, COMPLETED -> Completed, CANCELLED -> Canceled,
//   FAILED / TIMEOUT / OUT_OF_MEMORY / NODE_FAIL (and BOOT_FAIL, DEADLINE, PREEMPTED) -> Failed,
//   with the state named in the reason.
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
};

// `scontrol show job -o` output (one line of key=value words); nullopt without a JobState.
std::optional<SlurmJobInfo> parseScontrolJob(const QByteArray& text);

// The last line for `jobId` in a job-completion file's text; nullopt when the job is not there.
std::optional<SlurmJobInfo> parseJobCompletion(const QByteArray& fileText, const QString& jobId);

struct SlurmStateMapping {
    RunStatus status = RunStatus::Queued;
    bool final = false;
};

// Unknown states map to Running (not final) so that a new Slurm state never ends a run early.
SlurmStateMapping mapSlurmState(const QString& state);

// The one-sentence reason of a Failed run ("TIMEOUT: …"), empty for other states.
QString slurmFailureReason(const SlurmJobInfo& info, const QString& jobId);

} // namespace lb
