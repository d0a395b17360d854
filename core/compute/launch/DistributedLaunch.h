#pragma once
// Multi-process launch by the engines themselves: the words put in front of a run's program so
// that Open MPI (`mpirun`, on one machine) or Slurm (`srun`, inside the job) starts every rank,
// each through `labbench-remote.sh rank-exec`, which sets the variables the backend expects
// (RANK/WORLD_SIZE/…, TF_CONFIG), prefixes each output line with "[rank N] " and keeps
// metrics of rank 0 only (see resources/remote/labbench-remote.sh).
//
//   mpi              node_count x process_count_per_node MPI ranks (mpirun / srun --mpi=pmix)
//   pytorch          one process per rank with MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE,
//                    LOCAL_RANK, NODE_RANK
//   parameter_server worker_count + parameter_server_count tasks, each with TF_CONFIG as Azure
//                    ML sets it: {"cluster": {"ps": [...], "worker": [...]},
//                    "task": {"type": "worker"|"ps", "index": i}, "environment": "cloud"};
//                    ranks 0..W-1 are the workers (worker 0 is rank 0), then the servers.

#include <QMap>
#include <QString>
#include <QStringList>

namespace lb {

struct Estimator;

enum class Launcher {
    Mpirun, // one machine (local or SSH): mpirun starts the ranks
    Srun,   // inside a Slurm job: srun starts the ranks across the allocation
};

struct LaunchPaths {
    QString helper; // labbench-remote.sh where the run executes
    QString runDir; // the run folder where the run executes
    int basePort = 29500; // MASTER_PORT; task i of a parameter-server job listens on basePort + i
};

// True when the estimator asks for more than one process (a backend other than none).
bool isDistributed(const Estimator& estimator);

// How many processes the engine starts: W + P for parameter_server, else nodes x processes.
int taskCount(const Estimator& estimator);

// The words before the program (empty when not distributed).
QStringList distributedPrefix(const Estimator& estimator, Launcher launcher, const LaunchPaths& paths);

// Variables a distributed launch needs in the run's environment (Open MPI as root, …).
QMap<QString, QString> distributedEnvironment(const Estimator& estimator);

// A port in 20000-39999 derived from the run id, so that concurrent runs rarely collide.
int basePortFor(const QString& runId);

} // namespace lb
