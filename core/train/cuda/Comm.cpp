#include "core/train/cuda/Comm.h"

#include "core/train/cuda/CudaCheck.h"

#include <nccl.h>

#if LB_HAVE_MPI
#include <mpi.h>
#endif

#include <dlfcn.h>

#include <string>

namespace lb::train::cuda {

struct NcclCommunicator::Impl {
    ncclComm_t comm = nullptr;
    bool weInitialisedMpi = false;
};

NcclCommunicator::NcclCommunicator(const World& world) : impl_(std::make_unique<Impl>()) {
#if LB_HAVE_MPI
    // This plugin, and libmpi with it, was loaded RTLD_LOCAL; Open MPI's own components
    // (dlopened by MPI_Init) look for libmpi's symbols globally. Promote the loaded libmpi to
    // global first, as Python's mpi4py does (RTLD_NOLOAD: only if it is the one in use).
    for (const char* soname : {"libmpi.so.40", "libmpi.so.12", "libmpi.so"}) {
        if (dlopen(soname, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD)) break;
    }
    int initialised = 0;
    LB_MPI_CHECK(MPI_Initialized(&initialised));
    if (!initialised) {
        LB_MPI_CHECK(MPI_Init(nullptr, nullptr));
        impl_->weInitialisedMpi = true;
    }
    LB_MPI_CHECK(MPI_Comm_rank(MPI_COMM_WORLD, &rank_));
    LB_MPI_CHECK(MPI_Comm_size(MPI_COMM_WORLD, &size_));
    if (size_ != world.size) {
        throw TrainError("the launcher says " + std::to_string(world.size) +
                         " processes but MPI sees " + std::to_string(size_) +
                         "; start labbench-train with mpirun or srun --mpi=pmix");
    }
    ncclUniqueId id{};
    if (rank_ == 0) LB_NCCL_CHECK(ncclGetUniqueId(&id));
    LB_MPI_CHECK(MPI_Bcast(&id, int(sizeof id), MPI_BYTE, 0, MPI_COMM_WORLD));
    LB_NCCL_CHECK(ncclCommInitRank(&impl_->comm, size_, id, rank_));
#else
    throw TrainError("this CUDA backend was built without MPI, so it cannot join a job of " +
                     std::to_string(world.size) +
                     " processes; rebuild with libopenmpi-dev installed");
#endif
}

NcclCommunicator::~NcclCommunicator() {
    if (impl_->comm) ncclCommDestroy(impl_->comm);
#if LB_HAVE_MPI
    if (impl_->weInitialisedMpi) {
        int finalised = 0;
        MPI_Finalized(&finalised);
        if (!finalised) MPI_Finalize();
    }
#endif
}

void NcclCommunicator::allReduceSum(float* x, std::size_t n, cudaStream_t stream) {
    LB_NCCL_CHECK(ncclAllReduce(x, x, n, ncclFloat32, ncclSum, impl_->comm, stream));
}

} // namespace lb::train::cuda
