// The CUDA backend's kernels. Every kernel body is a loop around a function of Kernels.h, the
// code the CPU backend runs and the CPU tests check; what is CUDA-specific here is only the
// indexing and, for the loss, a fixed-order block reduction (the same bits on every run).

#include "core/train/cuda/CudaKernels.h"

#include "core/train/cuda/CudaCheck.h"

#include <cuda_runtime.h>

#include <algorithm>

namespace lb::train::cuda {

namespace {

constexpr int kThreads = 256;
// Grid-stride loops: enough blocks to fill an H100 (132 SMs x 16 blocks), never more than needed.
constexpr std::size_t kMaxBlocks = 132 * 16;

unsigned blocksFor(std::size_t n) {
    const std::size_t blocks = (n + kThreads - 1) / kThreads;
    return unsigned(std::clamp<std::size_t>(blocks, 1, kMaxBlocks));
}

__device__ std::size_t globalIndex() { return std::size_t(blockIdx.x) * blockDim.x + threadIdx.x; }
__device__ std::size_t globalStride() { return std::size_t(gridDim.x) * blockDim.x; }

__global__ void biasActivationKernel(BiasActivationArgs a) {
    const std::size_t n = std::size_t(a.rows) * a.cols;
    for (std::size_t i = globalIndex(); i < n; i += globalStride()) {
        const float b = a.bias[i % a.cols];
        a.y[i] = a.relu ? kernels::biasRelu(a.y[i], b) : a.y[i] + b;
    }
}

__global__ void reluBackwardKernel(ReluBackwardArgs a) {
    for (std::size_t i = globalIndex(); i < a.n; i += globalStride())
        a.dy[i] = kernels::reluBackward(a.dy[i], a.y[i]);
}

// One block: thread t takes rows t, t + 256, ...; the per-thread sums are then added in a
// fixed tree order, so the loss sum is deterministic (no floating-point atomics).
__global__ void softmaxCrossEntropyKernel(SoftmaxCrossEntropyArgs a) {
    __shared__ double lossShared[kThreads];
    __shared__ double correctShared[kThreads];
    double loss = 0.0, correct = 0.0;
    for (int r = threadIdx.x; r < a.rows; r += blockDim.x) {
        const std::size_t offset = std::size_t(r) * a.classes;
        const auto row = kernels::softmaxCrossEntropyRow<float>(
            a.logits + offset, a.classes, a.labels[r], a.gradScale,
            a.dlogits ? a.dlogits + offset : nullptr);
        loss += row.loss;
        correct += row.correct;
    }
    lossShared[threadIdx.x] = loss;
    correctShared[threadIdx.x] = correct;
    __syncthreads();
    for (int half = blockDim.x / 2; half > 0; half /= 2) {
        if (int(threadIdx.x) < half) {
            lossShared[threadIdx.x] += lossShared[threadIdx.x + half];
            correctShared[threadIdx.x] += correctShared[threadIdx.x + half];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        a.stats[0] += lossShared[0];
        a.stats[1] += correctShared[0];
    }
}

// One block per gathered row: the row's pixels are contiguous, so the copy is coalesced.
__global__ void gatherKernel(GatherArgs a) {
    const int r = blockIdx.x;
    const std::size_t s = std::size_t(a.idx[r]);
    const float* from = a.src + s * a.cols;
    float* to = a.dst + std::size_t(r) * a.cols;
    for (int c = threadIdx.x; c < a.cols; c += blockDim.x) to[c] = from[c];
    if (threadIdx.x == 0) a.dstLabels[r] = a.srcLabels[s];
}

// Blocks of 32 columns x 8 row groups: warp row ty reads 32 neighbouring columns (coalesced) of
// rows ty, ty + 8, ...; the 8 partial sums are then added in a fixed order (deterministic).
// One thread per column would leave the GPU nearly idle (a 1000-column layer is 4 blocks) and
// serialise 128 loads per thread.
constexpr int kSumCols = 32, kSumRowGroups = 8;

__global__ void columnSumKernel(ColumnSumArgs a) {
    __shared__ float partial[kSumRowGroups][kSumCols];
    const int c = blockIdx.x * kSumCols + threadIdx.x;
    float sum = 0.0f;
    if (c < a.cols) {
        for (int r = threadIdx.y; r < a.rows; r += kSumRowGroups)
            sum += a.x[std::size_t(r) * a.cols + c];
    }
    partial[threadIdx.y][threadIdx.x] = sum;
    __syncthreads();
    if (threadIdx.y == 0 && c < a.cols) {
        float total = partial[0][threadIdx.x];
        for (int g = 1; g < kSumRowGroups; ++g) total += partial[g][threadIdx.x];
        a.out[c] = total;
    }
}

// The partial products added in chunk order (deterministic). beta == 0 never reads c, as BLAS.
__global__ void splitKReduceKernel(SplitKReduceArgs a) {
    const std::size_t n = std::size_t(a.m) * a.n, stride = n;
    for (std::size_t i = globalIndex(); i < n; i += globalStride()) {
        float sum = a.partials[i];
        for (int s = 1; s < a.splits; ++s) sum += a.partials[i + s * stride];
        float* out = a.c + (i / a.n) * a.ldc + i % a.n;
        *out = a.beta == 0.0f ? sum : sum + a.beta * *out;
    }
}

__device__ float smallA(const SmallGemmArgs& g, int r, int kk) {
    return g.transA ? g.a[std::size_t(kk) * g.lda + r] : g.a[std::size_t(r) * g.lda + kk];
}
__device__ float smallB(const SmallGemmArgs& g, int kk, int c) {
    return g.transB ? g.b[std::size_t(c) * g.ldb + kk] : g.b[std::size_t(kk) * g.ldb + c];
}
__device__ void smallStore(const SmallGemmArgs& g, int r, int c, float sum) {
    float* out = g.c + std::size_t(r) * g.ldc + c;
    *out = g.beta == 0.0f ? g.alpha * sum : g.alpha * sum + g.beta * *out;
}

__global__ void smallGemmDirectKernel(SmallGemmArgs g) {
    const std::size_t total = std::size_t(g.m) * g.n;
    for (std::size_t i = globalIndex(); i < total; i += globalStride()) {
        const int r = int(i / g.n), c = int(i % g.n);
        float sum = 0.0f;
        for (int kk = 0; kk < g.k; ++kk) sum += smallA(g, r, kk) * smallB(g, kk, c);
        smallStore(g, r, c, sum);
    }
}

// Thread t sums k = t, t + 256, ... for all n columns of row blockIdx.x; warps reduce with
// shuffles, then the 8 warp sums are added in order (deterministic).
__global__ void smallGemmRowsKernel(SmallGemmArgs g) {
    const int r = blockIdx.x;
    float acc[kSmallGemmMaxN];
#pragma unroll
    for (int c = 0; c < kSmallGemmMaxN; ++c) acc[c] = 0.0f;
    for (int kk = threadIdx.x; kk < g.k; kk += blockDim.x) {
        const float av = smallA(g, r, kk);
#pragma unroll
        for (int c = 0; c < kSmallGemmMaxN; ++c)
            if (c < g.n) acc[c] += av * smallB(g, kk, c);
    }
    __shared__ float warpSums[kSmallGemmMaxN][kThreads / 32];
    const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
#pragma unroll
    for (int c = 0; c < kSmallGemmMaxN; ++c) {
        float v = acc[c];
        for (int offset = 16; offset > 0; offset /= 2)
            v += __shfl_down_sync(0xffffffffu, v, offset);
        if (lane == 0) warpSums[c][warp] = v;
    }
    __syncthreads();
    if (int(threadIdx.x) < g.n) {
        float sum = 0.0f;
        for (int w = 0; w < int(blockDim.x / 32); ++w) sum += warpSums[threadIdx.x][w];
        smallStore(g, r, threadIdx.x, sum);
    }
}

__global__ void sgdKernel(SgdArgs a) {
    for (std::size_t i = globalIndex(); i < a.n; i += globalStride())
        kernels::sgdMomentumUpdate(a.w[i], a.g[i], a.v[i], a.p);
}

__global__ void adamKernel(AdamArgs a) {
    for (std::size_t i = globalIndex(); i < a.n; i += globalStride())
        kernels::adamUpdate(a.w[i], a.g[i], a.m[i], a.v[i], a.p);
}

template <typename Args>
void updateNode(cudaGraphExec_t exec, cudaGraphNode_t node, const void* kernel, const Args& a) {
    cudaKernelNodeParams params{};
    LB_CUDA_CHECK(cudaGraphKernelNodeGetParams(node, &params));
    if (params.func != kernel) {
        throw TrainError("internal error: a captured CUDA graph node is not the expected kernel");
    }
    Args copy = a;
    void* args[] = {&copy};
    params.kernelParams = args;
    params.extra = nullptr;
    LB_CUDA_CHECK(cudaGraphExecKernelNodeSetParams(exec, node, &params));
}

} // namespace

void launchBiasActivation(cudaStream_t stream, const BiasActivationArgs& a) {
    biasActivationKernel<<<blocksFor(std::size_t(a.rows) * a.cols), kThreads, 0, stream>>>(a);
    LB_CUDA_CHECK_LAUNCH();
}

void launchReluBackward(cudaStream_t stream, const ReluBackwardArgs& a) {
    reluBackwardKernel<<<blocksFor(a.n), kThreads, 0, stream>>>(a);
    LB_CUDA_CHECK_LAUNCH();
}

void launchSoftmaxCrossEntropy(cudaStream_t stream, const SoftmaxCrossEntropyArgs& a) {
    softmaxCrossEntropyKernel<<<1, kThreads, 0, stream>>>(a);
    LB_CUDA_CHECK_LAUNCH();
}

void launchGather(cudaStream_t stream, const GatherArgs& a) {
    if (a.rows <= 0) return;
    gatherKernel<<<unsigned(a.rows), kThreads, 0, stream>>>(a);
    LB_CUDA_CHECK_LAUNCH();
}

void launchColumnSum(cudaStream_t stream, const ColumnSumArgs& a) {
    if (a.cols <= 0) return;
    const dim3 block(kSumCols, kSumRowGroups);
    columnSumKernel<<<unsigned((a.cols + kSumCols - 1) / kSumCols), block, 0, stream>>>(a);
    LB_CUDA_CHECK_LAUNCH();
}

void launchSplitKReduce(cudaStream_t stream, const SplitKReduceArgs& a) {
    splitKReduceKernel<<<blocksFor(std::size_t(a.m) * a.n), kThreads, 0, stream>>>(a);
    LB_CUDA_CHECK_LAUNCH();
}

void launchSmallGemmDirect(cudaStream_t stream, const SmallGemmArgs& a) {
    smallGemmDirectKernel<<<blocksFor(std::size_t(a.m) * a.n), kThreads, 0, stream>>>(a);
    LB_CUDA_CHECK_LAUNCH();
}

void launchSmallGemmRows(cudaStream_t stream, const SmallGemmArgs& a) {
    if (a.n > kSmallGemmMaxN) throw TrainError("internal error: small-gemm row kernel with n > 16");
    smallGemmRowsKernel<<<unsigned(a.m), kThreads, 0, stream>>>(a);
    LB_CUDA_CHECK_LAUNCH();
}

void launchSgd(cudaStream_t stream, const SgdArgs& a) {
    sgdKernel<<<blocksFor(a.n), kThreads, 0, stream>>>(a);
    LB_CUDA_CHECK_LAUNCH();
}

void launchAdam(cudaStream_t stream, const AdamArgs& a) {
    adamKernel<<<blocksFor(a.n), kThreads, 0, stream>>>(a);
    LB_CUDA_CHECK_LAUNCH();
}

void updateKernelNode(cudaGraphExec_t exec, cudaGraphNode_t node, const GatherArgs& a) {
    updateNode(exec, node, reinterpret_cast<const void*>(&gatherKernel), a);
}
void updateKernelNode(cudaGraphExec_t exec, cudaGraphNode_t node, const SgdArgs& a) {
    updateNode(exec, node, reinterpret_cast<const void*>(&sgdKernel), a);
}
void updateKernelNode(cudaGraphExec_t exec, cudaGraphNode_t node, const AdamArgs& a) {
    updateNode(exec, node, reinterpret_cast<const void*>(&adamKernel), a);
}

} // namespace lb::train::cuda
