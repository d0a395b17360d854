#include "core/train/CpuBackend.h"

#include "core/train/Error.h"
#include "core/train/GemmBlocking.h"
#include "core/train/ScratchBuffer.h"
#include "core/train/World.h"

#include <algorithm>
#include <cblas.h>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <thread>

// OpenBLAS's own thread control (declared in its cblas.h on Debian, repeated for other builds).
extern "C" void openblas_set_num_threads(int);

namespace lb::train {

namespace {
int resolveThreads(int threads) {
    return threads > 0 ? threads : usableCores();
}

// Below this many multiply-adds a gemm runs on one thread: splitting a tiny product costs more
// in dispatch than it saves (the 100x10 output layer is ~0.1 us of arithmetic per thread).
constexpr double kGemmSplitFlops = 200'000;
// Element-wise loops below this size stay on the caller for the same reason.
constexpr std::size_t kElementwiseSplit = 32'768;

// The loops over the shared kernels. __restrict tells the compiler the arrays do not overlap so
// it vectorises them; target_clones builds AVX-512, AVX2 and baseline versions and picks one at
// load time, so one binary runs everywhere and uses the widest vectors the CPU has.
#define LB_VECTOR_LOOP __attribute__((target_clones("avx512f", "avx2", "default")))

LB_VECTOR_LOOP void biasReluRows(float* __restrict y, const float* __restrict bias, int rows,
                                 int cols) {
    for (int r = 0; r < rows; ++r) {
        float* __restrict row = y + std::size_t(r) * cols; // (cols)
        for (int c = 0; c < cols; ++c)
            row[c] = kernels::biasRelu(row[c], bias[c]);
    }
}

LB_VECTOR_LOOP void biasRows(float* __restrict y, const float* __restrict bias, int rows,
                             int cols) {
    for (int r = 0; r < rows; ++r) {
        float* __restrict row = y + std::size_t(r) * cols;
        for (int c = 0; c < cols; ++c)
            row[c] += bias[c];
    }
}

LB_VECTOR_LOOP void reluBackwardRange(float* __restrict dy, const float* __restrict y,
                                      std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        dy[i] = kernels::reluBackward(dy[i], y[i]);
}

LB_VECTOR_LOOP void sgdRange(float* __restrict w, const float* __restrict g, float* __restrict v,
                             std::size_t n, kernels::SgdParams p) {
    for (std::size_t i = 0; i < n; ++i)
        kernels::sgdMomentumUpdate(w[i], g[i], v[i], p);
}

LB_VECTOR_LOOP void adamRange(float* __restrict w, const float* __restrict g, float* __restrict m,
                              float* __restrict v, std::size_t n, kernels::AdamParams p) {
    for (std::size_t i = 0; i < n; ++i)
        kernels::adamUpdate(w[i], g[i], m[i], v[i], p);
}

// Elements [i0, i1) of one optimizer step (state2 is only read for Adam: SGD's may be null).
void stepRange(const OptimizerStep& step, float* w, const float* g, float* state1, float* state2,
               std::size_t i0, std::size_t i1) {
    if (step.kind == OptimizerKind::Sgd)
        sgdRange(w + i0, g + i0, state1 + i0, i1 - i0, step.sgd);
    else
        adamRange(w + i0, g + i0, state1 + i0, state2 + i0, i1 - i0, step.adam);
}

LB_VECTOR_LOOP void columnSumRange(const float* __restrict x, int rows, int cols, std::size_t c0,
                                   std::size_t c1, float* __restrict out) {
    for (std::size_t c = c0; c < c1; ++c)
        out[c] = 0.0f;
    for (int r = 0; r < rows; ++r) {
        const float* __restrict row = x + std::size_t(r) * cols;
        for (std::size_t c = c0; c < c1; ++c)
            out[c] += row[c];
    }
}
} // namespace

CpuBackend::CpuBackend(int threads, std::shared_ptr<Communicator> comm)
    : pool_(resolveThreads(threads))
    , comm_(std::move(comm)) {
    // Our pool splits the work; OpenBLAS threads inside each call would only fight it.
    openblas_set_num_threads(1);
    // Our kernel by default only where it beats OpenBLAS: on AVX-512 (about 2x its Haswell
    // kernels per thread on Zen 4, 1.8x on Zen 5). On AVX2 (Zen 3) OpenBLAS's hand-written Haswell kernel is ~10% faster
    // per thread than ours (issue 22, bench/train/README.md), so it does the products there.
    // LABBENCH_TRAIN_GEMM=own forces ours (AVX2 or AVX-512), =openblas OpenBLAS: benchmarks and
    // tests compare them.
    const char* choice = std::getenv("LABBENCH_TRAIN_GEMM");
    const std::string wanted = choice ? choice : "";
    isa_ = bestGemmIsa() == GemmIsa::Avx512 ? GemmIsa::Avx512 : GemmIsa::None;
    if (wanted == "openblas") isa_ = GemmIsa::None;
    if (wanted == "own") isa_ = bestGemmIsa();
}

std::string CpuBackend::describe() const {
    const std::string gemm =
        isa_ == GemmIsa::None ? "OpenBLAS sgemm" : std::string(gemmIsaName(isa_)) + " gemm";
    return "cpu (" + gemm + ", " +
           std::to_string(pool_.threads()) + " thread" + (pool_.threads() == 1 ? "" : "s") +
           (comm_ ? ", " + comm_->describe() : std::string()) + ")";
}

void* CpuBackend::allocate(std::size_t bytes) {
    // 64-byte alignment: whole cache lines and AVX-512 loads for every buffer.
    const std::size_t rounded = ((bytes + 63) / 64) * 64;
    void* p = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
    if (!p) throw TrainError("out of memory allocating " + std::to_string(bytes) + " bytes");
    return p;
}

void CpuBackend::release(void* p) noexcept {
    std::free(p);
}

void CpuBackend::copyToDevice(void* dst, const void* src, std::size_t bytes) {
    std::memcpy(dst, src, bytes);
}

void CpuBackend::copyToHost(void* dst, const void* src, std::size_t bytes) {
    std::memcpy(dst, src, bytes);
}

void CpuBackend::fillZero(void* dst, std::size_t bytes) {
    std::memset(dst, 0, bytes);
}

template <typename Fn>
void CpuBackend::parallelRange(std::size_t n, std::size_t minChunk, std::size_t align, Fn&& fn) {
    const std::size_t threads = static_cast<std::size_t>(pool_.threads());
    std::size_t chunks =
        std::min(threads, std::max<std::size_t>(1, n / std::max<std::size_t>(1, minChunk)));
    if (chunks <= 1) {
        fn(std::size_t{0}, n);
        return;
    }
    std::size_t per = (n + chunks - 1) / chunks;
    per = ((per + align - 1) / align) * align;
    chunks = (n + per - 1) / per;
    pool_.run(static_cast<int>(chunks), [&](int t) {
        const std::size_t begin = static_cast<std::size_t>(t) * per;
        fn(begin, std::min(n, begin + per));
    });
}

template <typename Fn>
void CpuBackend::splitProduct(Trans ta, Trans tb, int m, int n, int k, const float* a, int lda,
                              const float* b, int ldb, float* c, int ldc, GemmTile tile, Fn&& fn) {
    const double flops = double(m) * n * k;
    const int threads = pool_.threads();
    if (threads == 1 || flops < kGemmSplitFlops || (m < 16 && n < 64)) {
        fn(0, m, 0, n, a, b, c);
        return;
    }
    // Each thread reads all of the operand it does not split, so split the bigger one: B is
    // (k, n) and A is (m, k), so columns when n > m. For 784-1000-1000-10 that halves the weight
    // traffic of the forward and input-gradient products, which are memory bound on the
    // weights (7 MB, far over L2), not on arithmetic.
    if (n > m && n >= 64) {
        // Columns [j0, j1) of C need columns [j0, j1) of op(B): B + j0, or row j0 of the stored
        // B when it is transposed. Chunks are whole column panels of the kernel.
        const std::size_t cols = std::size_t(tile.cols);
        const std::size_t per = ((std::size_t(n) + threads - 1) / threads + cols - 1) / cols * cols;
        const int chunks = static_cast<int>((std::size_t(n) + per - 1) / per);
        pool_.run(chunks, [&](int t) {
            const int j0 = static_cast<int>(t * per);
            const int width = std::min<int>(n - j0, static_cast<int>(per));
            fn(0, m, j0, width, a, tb == Trans::Yes ? b + std::size_t(j0) * ldb : b + j0, c + j0);
        });
        return;
    }
    // Rows [r0, r1) of C need rows [r0, r1) of op(A): A + r0 * lda when A is not transposed,
    // column r0 of the stored A (A + r0) when it is. Chunks are whole register tiles so no
    // thread computes a partial tile it could have shared.
    const std::size_t tileRows = std::size_t(tile.rows);
    const std::size_t per =
        ((std::size_t(m) + threads - 1) / threads + tileRows - 1) / tileRows * tileRows;
    const int chunks = static_cast<int>((std::size_t(m) + per - 1) / per);
    pool_.run(chunks, [&](int t) {
        const int r0 = static_cast<int>(t * per);
        const int rows = std::min<int>(m - r0, static_cast<int>(per));
        fn(r0, rows, 0, n, ta == Trans::Yes ? a + r0 : a + std::size_t(r0) * lda, b,
           c + std::size_t(r0) * ldc);
    });
}

void CpuBackend::gemm(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* a,
                      int lda, const float* b, int ldb, float beta, float* c, int ldc) {
    if (isa_ != GemmIsa::None) {
        product(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, {});
        return;
    }
    // OpenBLAS: the same split, no epilogue.
    auto blas = [&](int rows, int cols, const float* aPart, const float* bPart, float* cPart) {
        if (rows == 1) {
            // One row (a served request of one image): a matrix-vector product. sgemm would pack
            // the whole weight matrix first, which costs more than the product itself.
            const int incx = ta == Trans::Yes ? lda : 1;
            if (tb == Trans::Yes) // op(B) is the stored (cols, k) matrix transposed
                cblas_sgemv(CblasRowMajor, CblasNoTrans, cols, k, alpha, bPart, ldb, aPart, incx,
                            beta, cPart, 1);
            else
                cblas_sgemv(CblasRowMajor, CblasTrans, k, cols, alpha, bPart, ldb, aPart, incx,
                            beta, cPart, 1);
        } else {
            cblas_sgemm(CblasRowMajor, ta == Trans::Yes ? CblasTrans : CblasNoTrans,
                        tb == Trans::Yes ? CblasTrans : CblasNoTrans, rows, cols, k, alpha, aPart,
                        lda, bPart, ldb, beta, cPart, ldc);
        }
    };
    splitProduct(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, gemmTile(GemmIsa::None),
                 [&](int /*r0*/, int rows, int /*j0*/, int cols, const float* aPart,
                     const float* bPart, float* cPart) { blas(rows, cols, aPart, bPart, cPart); });
}

void CpuBackend::product(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* a,
                         int lda, const float* b, int ldb, float beta, float* c, int ldc,
                         const GemmEpilogue& epilogue) {
    splitProduct(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, gemmTile(isa_),
                 [&](int r0, int rows, int j0, int cols, const float* aPart, const float* bPart,
                     float* cPart) {
                     GemmEpilogue part = epilogue;
                     if (part.bias) part.bias += j0;
                     if (part.reluMask) part.reluMask += long(r0) * part.ldMask + j0;
                     sgemmSimd(isa_, ta == Trans::Yes, tb == Trans::Yes, rows, cols, k, alpha, aPart,
                               lda, bPart, ldb, beta, cPart, ldc, part);
                 });
}

void CpuBackend::linearForward(const float* x, const float* w, const float* bias, int rows,
                               int cols, int k, Activation act, float* y) {
    if (isa_ == GemmIsa::None) {
        Backend::linearForward(x, w, bias, rows, cols, k, act, y);
        return;
    }
    GemmEpilogue epilogue;
    epilogue.bias = bias;
    epilogue.relu = act == Activation::Relu;
    product(Trans::No, Trans::No, rows, cols, k, 1.0f, x, k, w, cols, 0.0f, y, cols, epilogue);
}

void CpuBackend::linearInputGradientRelu(const float* delta, const float* w, const float* y,
                                         int rows, int cols, int k, float* dx) {
    if (isa_ == GemmIsa::None) {
        Backend::linearInputGradientRelu(delta, w, y, rows, cols, k, dx);
        return;
    }
    GemmEpilogue epilogue;
    epilogue.reluMask = y;
    epilogue.ldMask = k;
    product(Trans::No, Trans::Yes, rows, k, cols, 1.0f, delta, cols, w, cols, 0.0f, dx, k, epilogue);
}

namespace {
// Floats of weight gradient one thread makes at a time in linearWeightStep: 512 KB (128 rows of
// a 1000-wide layer). Measured on Zen 5 (1 MB L2) for 1000 x 1000 at batch 128, dW and the SGD
// step together, median of 31 alternating bursts: 0.79 ms as two passes, fused 0.73 ms with
// 256 KB blocks, 0.71 ms with 512 KB, 0.70-0.73 ms with 576 KB (one kernel block of rows).
constexpr std::size_t kWeightStepBlockFloats = 131'072;

// The calling thread's block of weight gradient (the GEMM's packed panels are another buffer,
// alive at the same time).
float* weightStepScratch(std::size_t floats) {
    thread_local ScratchBuffer buffer;
    return buffer.floats(floats);
}
} // namespace

void CpuBackend::linearWeightStep(const float* x, const float* delta, int rows, int k, int cols,
                                  const OptimizerStep& step, float* w, float* state1,
                                  float* state2, float* dW) {
    if (!fusesWeightStep()) {
        Backend::linearWeightStep(x, delta, rows, k, cols, step, w, state1, state2, dW);
        return;
    }
    // dW's rows are W's rows. Each thread takes a share of them and, block by block, makes that
    // block of gradient into an L2-sized scratch and steps W's rows with it at once: W and its
    // states stream front to back as in optimizerStep, and the gradient never goes to memory
    // and back (7 MB per step for 784-1000-1000-10). A block is at most one block of the
    // kernel's rows, so the GEMM reads delta in place (GemmKernel.h), from L2 after the first
    // block. The numbers are those of gemm() then optimizerStep(): the kernel's sums do not
    // depend on how the rows are split, and the update is the same element-wise function.
    const int tileRows = gemmTile(isa_).rows;
    const auto roundUp = [&](int v) { return (v + tileRows - 1) / tileRows * tileRows; };
    const int threads = std::min(pool_.threads(), std::max(1, k / tileRows));
    const int share = roundUp((k + threads - 1) / threads);
    const int maxBlock = std::clamp(int(kWeightStepBlockFloats / std::size_t(cols)) / tileRows *
                                        tileRows,
                                    tileRows, kGemmBlockRows);
    pool_.run((k + share - 1) / share, [&](int t) {
        const int begin = t * share, end = std::min(k, begin + share);
        const int blocks = (end - begin + maxBlock - 1) / maxBlock;
        const int blockRows = roundUp((end - begin + blocks - 1) / blocks);
        float* g = weightStepScratch(std::size_t(blockRows) * cols);
        for (int i0 = begin; i0 < end; i0 += blockRows) {
            const int n = std::min(blockRows, end - i0);
            const std::size_t at = std::size_t(i0) * cols, count = std::size_t(n) * cols;
            // The block's weights and states come into L2 while its gradient is computed.
            GemmEpilogue overlap;
            overlap.prefetch[0] = w + at;
            overlap.prefetch[1] = state1 + at;
            overlap.prefetch[2] = step.kind == OptimizerKind::Adam ? state2 + at : nullptr;
            overlap.prefetchBytes = count * sizeof(float);
            sgemmSimd(isa_, true, false, n, cols, rows, 1.0f, x + i0, k, delta, cols, 0.0f, g,
                      cols, overlap);
            // g holds this block only, so it is offset back by the block's start.
            stepRange(step, w + at, g, state1 + at, state2 ? state2 + at : nullptr, 0, count);
        }
    });
}

void CpuBackend::biasActivation(float* y, const float* bias, int rows, int cols, Activation act) {
    const std::size_t minRows = std::max<std::size_t>(1, kElementwiseSplit / std::max(1, cols));
    parallelRange(std::size_t(rows), minRows, 1, [&](std::size_t r0, std::size_t r1) {
        if (act == Activation::Relu)
            biasReluRows(y + r0 * cols, bias, int(r1 - r0), cols);
        else
            biasRows(y + r0 * cols, bias, int(r1 - r0), cols);
    });
}

void CpuBackend::reluBackward(float* dy, const float* y, std::size_t n) {
    parallelRange(n, kElementwiseSplit, 16, [&](std::size_t i0, std::size_t i1) {
        reluBackwardRange(dy + i0, y + i0, i1 - i0);
    });
}

void CpuBackend::softmaxCrossEntropy(const float* logits, const std::int32_t* labels, int rows,
                                     int classes, float gradScale, float* dlogits, double* stats) {
    // Serial: rows * classes is ~1000 values per step, and a fixed summation order keeps the
    // loss bit-identical whatever the thread count.
    double lossSum = 0.0;
    long correct = 0;
    for (int r = 0; r < rows; ++r) {
        const auto row = kernels::softmaxCrossEntropyRow<float>(
            logits + std::size_t(r) * classes, classes, labels[r], gradScale,
            dlogits ? dlogits + std::size_t(r) * classes : nullptr);
        lossSum += row.loss;
        correct += row.correct;
    }
    stats[0] += lossSum;
    stats[1] += double(correct);
}

void CpuBackend::gatherRows(const float* src, const std::int32_t* srcLabels, int cols,
                            const std::int32_t* idx, int rows, float* dst,
                            std::int32_t* dstLabels) {
    // The rows come from all over a dataset far larger than the caches, so this is DRAM
    // latency bound: both threads copy, and each prefetches a few rows ahead of its copy so
    // several rows are in flight at once.
    constexpr int kAhead = 4;
    const std::size_t rowBytes = sizeof(float) * std::size_t(cols);
    parallelRange(std::size_t(rows), 16, 1, [&](std::size_t r0, std::size_t r1) {
        for (std::size_t r = r0; r < std::min(r1, r0 + kAhead); ++r) {
            const char* p = reinterpret_cast<const char*>(src + std::size_t(idx[r]) * cols);
            for (std::size_t b = 0; b < rowBytes; b += 64)
                __builtin_prefetch(p + b);
        }
        for (std::size_t r = r0; r < r1; ++r) {
            if (r + kAhead < r1) {
                const char* p =
                    reinterpret_cast<const char*>(src + std::size_t(idx[r + kAhead]) * cols);
                for (std::size_t b = 0; b < rowBytes; b += 64)
                    __builtin_prefetch(p + b);
            }
            const std::size_t s = static_cast<std::size_t>(idx[r]);
            std::memcpy(dst + r * cols, src + s * cols, rowBytes);
            dstLabels[r] = srcLabels[s];
        }
    });
}

void CpuBackend::columnSum(const float* x, int rows, int cols, float* out) {
    // Split by columns so each output is summed by one thread in row order (deterministic).
    const std::size_t minCols = std::max<std::size_t>(16, kElementwiseSplit / std::max(1, rows));
    parallelRange(std::size_t(cols), minCols, 16, [&](std::size_t c0, std::size_t c1) {
        columnSumRange(x, rows, cols, c0, c1, out);
    });
}

void CpuBackend::optimizerStep(const OptimizerStep& step, float* params, const float* grads,
                               float* state1, float* state2, std::size_t n) {
    parallelRange(n, kElementwiseSplit, 16, [&](std::size_t i0, std::size_t i1) {
        stepRange(step, params, grads, state1, state2, i0, i1);
    });
}

void CpuBackend::allReduceSum(float* x, std::size_t n) {
    // One process holds the whole batch: nothing to sum with.
    if (comm_) comm_->allReduceSum(x, n);
}

} // namespace lb::train
