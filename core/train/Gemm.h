#pragma once
// Our single-precision GEMM for the shapes an MLP step has, in the widest vectors the CPU has:
// AVX-512 (an 8 x 32 register tile) or AVX2+FMA (6 x 16). Why not only OpenBLAS: on the
// project's machines OpenBLAS is pinned to its Haswell kernels (OPENBLAS_CORETYPE), half the
// vector width of an AVX-512 core, and a library call cannot fuse the layer's epilogue (bias,
// ReLU, the ReLU's backward mask) into the product, which costs one more pass over the output
// per layer. The logic lives once, in GemmKernel.h; GemmAvx2.cpp and GemmAvx512.cpp compile it
// for their instruction set. CpuBackend uses it by default only on AVX-512: on AVX2, OpenBLAS's
// hand-written Haswell kernel measured faster than our AVX2 build (bench/train/README.md).
//
// The summation order of every element is fixed (k ascending, in ceil(k / 256) equal chunks),
// whatever the thread split, so a product is bit-identical however its rows or columns are
// divided.

#include <cstddef>

namespace lb::train {

enum class GemmIsa { None, Avx2, Avx512 };

// The widest instruction set this CPU (and OS) support for our kernel; None = use OpenBLAS.
GemmIsa bestGemmIsa();
const char* gemmIsaName(GemmIsa isa); // "AVX-512", "AVX2", "none"

// The register tile: a thread split along rows or columns should cut at multiples of these, so
// that no thread computes a partial tile it could have shared.
struct GemmTile {
    int rows;
    int cols;
};
GemmTile gemmTile(GemmIsa isa);

// What is applied to each element of C once its sum is complete, in this order:
//   c = alpha * (op(A) op(B))(i, j) + beta * c
//   c += bias[j]                        (bias not null)
//   c = max(c, 0)                       (relu)
//   c = mask(i, j) > 0 ? c : 0          (reluMask not null: ReLU backward, mask = the ReLU's
//                                        output, (m, n) with leading dimension ldMask)
struct GemmEpilogue {
    const float* bias = nullptr;
    bool relu = false;
    const float* reluMask = nullptr;
    long ldMask = 0;
    // Not part of the result: up to three ranges of prefetchBytes each that the caller reads
    // right after the product. The kernel spreads prefetches of them into L2 over its tiles, so
    // that memory-bound work that follows (an optimizer step) overlaps the arithmetic.
    const void* prefetch[3] = {nullptr, nullptr, nullptr};
    std::size_t prefetchBytes = 0;
};

// C(m,n) = alpha * op(A)(m,k) * op(B)(k,n) + beta * C, row-major like cblas_sgemm, then the
// epilogue. isa must not be None and must be supported by this CPU (bestGemmIsa() or narrower).
void sgemmSimd(GemmIsa isa, bool transA, bool transB, int m, int n, int k, float alpha,
               const float* a, long lda, const float* b, long ldb, float beta, float* c, long ldc,
               const GemmEpilogue& epilogue = {});

} // namespace lb::train
