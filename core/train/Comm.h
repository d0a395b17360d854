#pragma once
// Communicator: the ranks of a data-parallel CPU job, summing host buffers across processes.
// MPI lives in a plugin (MpiPlugin.h) loaded only when the launcher says there is more than one
// process: labbench-train started alone never touches MPI, and runs where MPI is not installed.

#include "core/train/World.h"

#include <cstddef>
#include <memory>
#include <string>

namespace lb::train {

class Communicator {
public:
    virtual ~Communicator() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    // x(n) summed in place across every rank; the same bits arrive on every rank. Throws
    // TrainError naming the MPI failure.
    virtual void allReduceSum(float* x, std::size_t n) = 0;
    // "MPI, rank 1 of 2"
    virtual std::string describe() const = 0;
};

// Joins the job `world` describes (MPI_Init through the plugin). Null for a world of one
// process. Throws TrainError with one sentence when the plugin or libmpi cannot be loaded, or
// when MPI disagrees with the launcher about the size. MPI is joined once per process: the
// communicator is shared, and MPI_Finalize runs when the last reference goes on a normal exit.
std::shared_ptr<Communicator> joinWorld(const World& world);

// For error exits: when this process joined a job of several ranks and has not left it, ends
// every rank of the job with `code` (MPI_Abort), since the others may be waiting in an
// all-reduce that this rank will never enter. Returns at once otherwise.
void abortWorld(int code) noexcept;

} // namespace lb::train
