#pragma once
// World: this process's place in a data-parallel job, read from the launcher's environment
// before any MPI call, so that a process started alone (world size 1) never loads MPI at all.

#include <string>

namespace lb::train {

struct World {
    int rank = 0;
    int size = 1;
    int localRank = 0; // rank among the processes on this machine (picks a GPU)
    int localSize = 1; // processes of the job on this machine (shares its cores)
    std::string from;  // the variable the size came from ("OMPI_COMM_WORLD_SIZE"), empty alone
};

// Open MPI's mpirun (OMPI_COMM_WORLD_*), a PMI launcher such as MPICH's (PMI_RANK/PMI_SIZE),
// or a Slurm job step (SLURM_PROCID/SLURM_NTASKS, only inside an srun step: a batch script
// alone sees SLURM_NTASKS of its whole allocation). Without any of them: rank 0 of 1.
World detectWorld();

// The cores this process may run on (its CPU affinity; mpirun binds ranks to cores).
int usableCores();

// CPU threads for a rank when the user gave none: its usable cores, divided among the job's
// ranks on this machine unless the launcher already bound each rank to fewer cores than the
// machine has (the backend's workers spin, so oversubscribing the cores costs dearly).
int defaultThreads(const World& world);

} // namespace lb::train
