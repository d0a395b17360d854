#pragma once
// How a run's script is started: the program and argv, the working directory (the snapshot),
// and the environment (LABBENCH_*, PYTHONPATH with the helper package, the estimator's
// variables, CUDA_VISIBLE_DEVICES). A distributed run becomes `mpirun -np N sh
// labbench-remote.sh rank-exec ... -- PROGRAM ARGS` (compute/launch/DistributedLaunch.h).

#include "core/runs/EnvironmentStep.h"
#include "core/lifecycle/Spawn.h"

namespace lb {

struct Estimator;
class RunFolder;

struct LaunchContext {
    QString runId;
    QString experiment;
    QString targetPython;    // the target's interpreter setting (may be empty)
    QString devices;         // GPUs the run holds ("0"), empty for none
    bool targetHasGpus = false;
    QString binDir;          // where labbench-train lives
    QStringList baseEnvironment; // the environment to start from
    // A later attempt of the run (issue 20 item 2): LABBENCH_ATTEMPT, and the checkpoint it goes
    // on from as LABBENCH_RESUME_CHECKPOINT (empty: none reported).
    int attempt = 1;
    QString resumeCheckpoint;
};

// Throws lb::Error when the entry script cannot be run (not .py and not executable).
SpawnSpec buildLaunch(const Estimator& estimator, const RunFolder& folder, const LaunchContext& context,
                      const PreparedEnvironment& prepared);

// <binDir>/../share/labbench/remote/labbench-remote.sh: its rank-exec starts each rank of a
// distributed run on this machine, as on SSH targets.
QString remoteHelperPath(const QString& binDir);

// <binDir>/../share/labbench/python: the labbench and azureml.core.run helper packages.
QString pythonHelperDir(const QString& binDir);

} // namespace lb
