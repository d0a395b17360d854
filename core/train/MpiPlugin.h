#pragma once
// The seam between labbench-train and MPI. The CPU backend's all-reduce lives in a small shared
// library (liblabbench-train-mpi.so, built where find_package(MPI) finds Open MPI or MPICH) that
// joinWorld() (Comm.h) loads with dlopen only when the launcher says the job has more than one
// process. So labbench-train itself links no libmpi: it starts, and trains alone, on machines
// without MPI, and the package does not depend on it.
//
// The plugin exports one C function, LB_TRAIN_MPI_OPEN_SYMBOL (LbTrainMpiOpenFn): it initialises
// MPI and fills an LbTrainMpi table, returning 0, or non-zero with a sentence in `error`. Plain C
// types only, so host and plugin need not share a C++ ABI.

#include <stddef.h>

#define LB_TRAIN_MPI_PLUGIN_ABI 1
#define LB_TRAIN_MPI_OPEN_SYMBOL "labbench_train_mpi_open"
#define LB_TRAIN_MPI_PLUGIN_FILE "liblabbench-train-mpi.so"

extern "C" {

struct LbTrainMpi {
    int rank; // in MPI_COMM_WORLD
    int size;
    // x(n) summed in place across every rank (MPI_Allreduce, MPI_IN_PLACE, MPI_FLOAT, MPI_SUM).
    // Returns 0, or non-zero with a sentence in error.
    int (*allReduceSumFloat)(float* x, size_t n, char* error, size_t errorSize);
    // MPI_Finalize; returns 0, or non-zero with a sentence in error.
    int (*finalize)(char* error, size_t errorSize);
    // MPI_Abort(MPI_COMM_WORLD, code): ends every rank of the job. For error exits, when the
    // other ranks may be waiting inside a collective and MPI_Finalize would never return.
    void (*abortJob)(int code);
};

typedef int (*LbTrainMpiOpenFn)(int abiVersion, struct LbTrainMpi* out, char* error,
                                size_t errorSize);
}
