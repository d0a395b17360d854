#pragma once
// A run's own Slurm requests (sbatch --time, --mem, --gres), checked here so that the CLI, the
// GUI form and estimator files refuse the same bad values with the same words before sbatch
// ever sees them. Empty means "the target's or the partition's default".

#include <QString>

namespace lb {

// Each returns "" for a good (or empty) value, else what is wrong and the accepted forms.
// --time: MINUTES, MINUTES:SECONDS, HOURS:MINUTES:SECONDS, DAYS-HOURS, DAYS-HOURS:MINUTES or
// DAYS-HOURS:MINUTES:SECONDS (Slurm's forms), more than zero.
QString slurmTimeProblem(const QString& time);
// --mem: a whole number with an optional unit K, M, G or T (megabytes without one), e.g. 4G.
QString slurmMemProblem(const QString& mem);
// --gres: NAME[:TYPE][:COUNT] joined by commas, e.g. gpu:2 or gpu:a100:1,shard:4.
QString slurmGresProblem(const QString& gres);

// How often a preempted or node-failed job is queued again (by Slurm or by Labbench) before
// the run ends Failed (#20 item 3). 0 submits the job not requeueable.
constexpr int kDefaultSlurmMaxRequeues = 3;
constexpr int kMostSlurmMaxRequeues = 1000;
// 0 to kMostSlurmMaxRequeues.
QString slurmMaxRequeuesProblem(long long requeues);

} // namespace lb
