#pragma once
// The plugin's own kernels (CudaKernels.cu): the fused element-wise and per-row operations of
// the Backend, each a thin loop around the SAME lb::train::kernels functions (Kernels.h) that
// the CPU backend calls. Each kernel takes one argument struct by value, so a captured CUDA
// graph node can be re-pointed (a new batch index, new Adam bias corrections) by swapping the
// struct: see updateKernelNode().

#include "core/train/Kernels.h"

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

namespace lb::train::cuda {

struct BiasActivationArgs {
    float* y;          // (rows, cols) in place
    const float* bias; // (cols)
    int rows, cols;
    int relu;
};

struct ReluBackwardArgs {
    float* dy;      // (n) in place
    const float* y; // (n) the ReLU's output
    std::size_t n;
};

struct SoftmaxCrossEntropyArgs {
    const float* logits;         // (rows, classes)
    const std::int32_t* labels;  // (rows)
    int rows, classes;
    float gradScale;
    float* dlogits; // (rows, classes) or null
    double* stats;  // (2) += loss sum, correct count
};

struct GatherArgs {
    const float* src;              // (N, cols)
    const std::int32_t* srcLabels; // (N)
    int cols;
    const std::int32_t* idx; // (rows) row numbers into src
    int rows;
    float* dst;              // (rows, cols)
    std::int32_t* dstLabels; // (rows)
};

struct ColumnSumArgs {
    const float* x; // (rows, cols)
    int rows, cols;
    float* out; // (cols)
};

// C(m, n) = alpha op(A) op(B) + beta C, row-major as Backend::gemm, for products with a tiny
// dimension (the 10-class layer), which cuBLAS runs at a few percent of the device.
struct SmallGemmArgs {
    int transA, transB;
    int m, n, k;
    float alpha;
    const float* a;
    int lda;
    const float* b;
    int ldb;
    float beta;
    float* c;
    int ldc;
};
// The largest n the row kernel takes (its per-thread accumulators).
constexpr int kSmallGemmMaxN = 16;

struct SplitKReduceArgs {
    const float* partials; // (splits, m, n) compact row-major products of the K chunks
    int splits, m, n;
    float beta;
    float* c; // (m, n) with leading dimension ldc: c = sum of partials + beta * c
    int ldc;
};

struct SgdArgs {
    kernels::SgdParams p;
    float* w;
    const float* g;
    float* v;
    std::size_t n;
};

struct AdamArgs {
    kernels::AdamParams p;
    float* w;
    const float* g;
    float* m;
    float* v;
    std::size_t n;
};

// Launchers: queue the kernel on `stream` and check the launch (throw TrainError on failure).
void launchBiasActivation(cudaStream_t stream, const BiasActivationArgs& a);
void launchReluBackward(cudaStream_t stream, const ReluBackwardArgs& a);
void launchSoftmaxCrossEntropy(cudaStream_t stream, const SoftmaxCrossEntropyArgs& a);
void launchGather(cudaStream_t stream, const GatherArgs& a);
void launchColumnSum(cudaStream_t stream, const ColumnSumArgs& a);
void launchSplitKReduce(cudaStream_t stream, const SplitKReduceArgs& a);
// One thread per output, K looped: for short K.
void launchSmallGemmDirect(cudaStream_t stream, const SmallGemmArgs& a);
// One block per output row, K split across the block: n <= kSmallGemmMaxN and long K.
void launchSmallGemmRows(cudaStream_t stream, const SmallGemmArgs& a);
void launchSgd(cudaStream_t stream, const SgdArgs& a);
void launchAdam(cudaStream_t stream, const AdamArgs& a);

// Replaces the argument struct of a kernel node captured from one of the launchers above in an
// instantiated graph (grid and block stay as captured, so sizes must not change).
void updateKernelNode(cudaGraphExec_t exec, cudaGraphNode_t node, const GatherArgs& a);
void updateKernelNode(cudaGraphExec_t exec, cudaGraphNode_t node, const SgdArgs& a);
void updateKernelNode(cudaGraphExec_t exec, cudaGraphNode_t node, const AdamArgs& a);

} // namespace lb::train::cuda
