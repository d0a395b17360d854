#pragma once
// Internal to the GEMM (Gemm.cpp and the files that compile GemmKernel.h for one instruction
// set): the per-instruction-set entries.

#include "core/train/Gemm.h"

#include <cstddef>

namespace lb::train::detail {

// Gemm.h's product with our kernel, built for AVX2+FMA or AVX-512F; the caller checked the CPU.
// packed: room for gemmPackFloats(isa, m, n) floats, 64-byte aligned.
void sgemmAvx2(bool transA, bool transB, int m, int n, int k, float alpha, const float* a,
               long lda, const float* b, long ldb, float beta, float* c, long ldc,
               const GemmEpilogue& epilogue, float* packed);
void sgemmAvx512(bool transA, bool transB, int m, int n, int k, float alpha, const float* a,
                 long lda, const float* b, long ldb, float beta, float* c, long ldc,
                 const GemmEpilogue& epilogue, float* packed);

// Floats of packed op(A) (one block of rows) and op(B) (one block of columns over a chunk of k)
// for an m x n product.
std::size_t gemmPackFloats(GemmIsa isa, int m, int n);

} // namespace lb::train::detail
