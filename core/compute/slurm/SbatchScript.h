#pragma once
// An estimator as a Slurm batch job: the sbatch options (job name, --nodes, --ntasks-per-node,
// GPUs when use_gpu, --time from max_run_duration_seconds, --output into the run folder,
// --chdir the snapshot, --parsable) and a POSIX sh script whose one command line quotes every
// word, so script arguments reach the script literally through sbatch too.

#include "core/compute/ssh/RemoteLayout.h"

#include <QByteArray>
#include <QStringList>

namespace lb {

struct Estimator;
struct RunRecord;
struct SlurmTargetConfig;

struct SbatchJob {
    QStringList arguments; // sbatch's argv after "sbatch" (the script comes on stdin)
    QByteArray script;
};

SbatchJob makeSbatchJob(const Estimator& estimator, const SlurmTargetConfig& config, const RunRecord& run,
                        const RemoteLayout& layout);

// Slurm's --time in whole minutes (Slurm's own unit), rounded up; 0: none.
int slurmMinutes(int seconds);

} // namespace lb
