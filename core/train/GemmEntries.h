#pragma once
// Internal to the GEMM (Gemm.cpp and the files that compile GemmKernel.h for one instruction
// set): the per-instruction-set entries.

#include "core/train/Gemm.h"
#include "core/train/GemmBlocking.h"

#include <cstddef>

namespace lb::train::detail {

// Gemm.h's product with our kernel, built for AVX2+FMA or AVX-512F; the caller checked the CPU.
// packed: room for gemmPackFloats(gemmTile(isa).cols, m, n) floats (GemmBlocking.h), 64-byte
// aligned.
void sgemmAvx2(bool transA, bool transB, int m, int n, int k, float alpha, const float* a,
               long lda, const float* b, long ldb, float beta, float* c, long ldc,
               const GemmEpilogue& epilogue, float* packed);
void sgemmAvx512(bool transA, bool transB, int m, int n, int k, float alpha, const float* a,
                 long lda, const float* b, long ldb, float beta, float* c, long ldc,
                 const GemmEpilogue& epilogue, float* packed);

} // namespace lb::train::detail
