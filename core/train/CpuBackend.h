#pragma once
// The CPU backend: our AVX-512 or AVX2 kernel (Gemm.h) or OpenBLAS sgemm for the matrix products,
// with a layer's bias, ReLU and ReLU backward fused into them where our kernel runs; the shared
// Kernels.h maths in plain loops for the rest, all cores through one ThreadPool. Each gemm
// is split by rows or columns of its output into one single-threaded product per thread
// (OpenBLAS's own threads are turned off), so a training step has no second thread pool spinning
// against ours and the split, hence every rounding, depends only on the shapes and the thread
// count: same seed + same threads = same bits. With a Communicator (MPI, one process per rank)
// it is one rank of a data-parallel job: allReduceSum sums gradients across the ranks.

#include "core/train/Backend.h"
#include "core/train/Comm.h"
#include "core/train/Gemm.h"
#include "core/train/ThreadPool.h"

#include <memory>

namespace lb::train {

class CpuBackend final : public Backend {
public:
    // threads 0 = every core this process may run on; comm null = a single process.
    explicit CpuBackend(int threads, std::shared_ptr<Communicator> comm = nullptr);
    std::string describe() const override;
    int threads() const { return pool_.threads(); }

    void* allocate(std::size_t bytes) override;
    void release(void* p) noexcept override;
    void copyToDevice(void* dst, const void* src, std::size_t bytes) override;
    void copyToHost(void* dst, const void* src, std::size_t bytes) override;
    void fillZero(void* dst, std::size_t bytes) override;

    void gemm(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* a, int lda,
              const float* b, int ldb, float beta, float* c, int ldc) override;
    void linearForward(const float* x, const float* w, const float* bias, int rows, int cols,
                       int k, Activation act, float* y) override;
    void linearInputGradientRelu(const float* delta, const float* w, const float* y, int rows,
                                 int cols, int k, float* dx) override;
    void linearWeightStep(const float* x, const float* delta, int rows, int k, int cols,
                          const OptimizerStep& step, float* w, float* state1, float* state2,
                          float* dW) override;
    // With our kernel, in row blocks (see linearWeightStep); with several ranks the gradient
    // must be summed over them before any step.
    bool fusesWeightStep() const override { return isa_ != GemmIsa::None && !comm_; }
    void biasActivation(float* y, const float* bias, int rows, int cols, Activation act) override;
    void reluBackward(float* dy, const float* y, std::size_t n) override;
    void softmaxCrossEntropy(const float* logits, const std::int32_t* labels, int rows, int classes,
                             float gradScale, float* dlogits, double* stats) override;
    void gatherRows(const float* src, const std::int32_t* srcLabels, int cols,
                    const std::int32_t* idx, int rows, float* dst,
                    std::int32_t* dstLabels) override;
    void columnSum(const float* x, int rows, int cols, float* out) override;
    void optimizerStep(const OptimizerStep& step, float* params, const float* grads, float* state1,
                       float* state2, std::size_t n) override;
    void allReduceSum(float* x, std::size_t n) override;
    int worldSize() const override { return comm_ ? comm_->size() : 1; }
    int rank() const override { return comm_ ? comm_->rank() : 0; }

private:
    // gemm with Gemm.h's epilogue (only where isa_ is not None), split over the pool.
    void product(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* a, int lda,
                 const float* b, int ldb, float beta, float* c, int ldc,
                 const GemmEpilogue& epilogue);
    // Splits [0, n) into at most threads() chunks of at least minChunk, aligned to `align`,
    // and runs fn(begin, end) on each; small n runs inline on the caller.
    template <typename Fn>
    void parallelRange(std::size_t n, std::size_t minChunk, std::size_t align, Fn&& fn);

    // Splits C by columns or rows (whole tiles) over the pool and calls
    // fn(r0, rows, j0, cols, aPart, bPart, cPart) for each part; small products run inline.
    template <typename Fn>
    void splitProduct(Trans ta, Trans tb, int m, int n, int k, const float* a, int lda,
                      const float* b, int ldb, float* c, int ldc, GemmTile tile, Fn&& fn);

    ThreadPool pool_;
    std::shared_ptr<Communicator> comm_;
    GemmIsa isa_ = GemmIsa::None; // our GEMM for every product, unless None (OpenBLAS)
};

} // namespace lb::train
