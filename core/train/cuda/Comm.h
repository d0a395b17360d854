#pragma once
// Data-parallel communication for the CUDA backend: one process per GPU, gradients summed with
// NCCL all-reduce. The NCCL communicator needs one unique id shared by all ranks; rank 0 makes
// it and MPI broadcasts it. A process started without a launcher (world size 1) never touches
// MPI or NCCL, so plain `labbench-train` runs anywhere.

#include "core/train/World.h" // World, detectWorld(): shared with the CPU backend

#include <cuda_runtime_api.h>

#include <cstddef>
#include <memory>

namespace lb::train::cuda {

class NcclCommunicator {
public:
    // Initialises MPI if needed, shares the NCCL id from rank 0, joins the communicator on the
    // current CUDA device. Throws TrainError (with the reason) when MPI or NCCL fail.
    explicit NcclCommunicator(const World& world);
    ~NcclCommunicator();
    NcclCommunicator(const NcclCommunicator&) = delete;
    NcclCommunicator& operator=(const NcclCommunicator&) = delete;

    int rank() const { return rank_; }
    int size() const { return size_; }
    // In-place sum over all ranks, queued on `stream` (capturable in a CUDA graph).
    void allReduceSum(float* x, std::size_t n, cudaStream_t stream);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    int rank_ = 0, size_ = 1;
};

} // namespace lb::train::cuda
