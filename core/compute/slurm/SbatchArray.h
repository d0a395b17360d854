#pragma once
// A grid or random sweep's children as one Slurm job array: `sbatch --array=0-(N-1)[%MAX]`,
// whose task i runs child i exactly as its own batch job would (SbatchScript.h): the script's
// `case "$SLURM_ARRAY_TASK_ID"` picks the child's folder, sends the task's output to that
// child's driver.log and runs its command line. Each child stays an ordinary run; its follower
// follows task ARRAYID_i (scontrol, scancel and the job-completion file know that form).

#include "core/compute/slurm/SbatchScript.h"
#include "core/estimator/Estimator.h"
#include "core/store/Entities.h"

namespace lb {

struct ArrayChild {
    RunRecord run;
    Estimator estimator; // secrets restored, datastore arguments staged for the target
};

// Slurm's own cap on array indices (MaxArraySize defaults to 1001: indices 0-1000).
constexpr int kMaxArrayTasks = 1000;

// The job of `children` (at least one, all from one sweep); the sbatch options are the first
// child's (the children differ only in their script arguments), `logDir` takes the array's own
// Slurm output (messages from before a task's script runs).
SbatchJob makeSbatchArray(const QList<ArrayChild>& children, const SlurmTargetConfig& config,
                          const RemoteLayout& layout, const QString& logDir, int maxConcurrent);

// The id Slurm gives task `task` of array job `arrayJobId`: "123_4".
inline QString arrayTaskJobId(const QString& arrayJobId, int task) {
    return arrayJobId + QLatin1Char('_') + QString::number(task);
}

} // namespace lb
