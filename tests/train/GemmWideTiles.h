#pragma once
// The AVX-512 build's tile shape, run with AVX2 instructions (GemmWideTiles.cpp): for GemmTest
// on CPUs without AVX-512. Call only where bestGemmIsa() is not None.

namespace lb::train {

struct GemmEpilogue;

// Gemm.h's product with 8 x 32 tiles; packed: gemmPackFloats(32, m, n) floats (GemmBlocking.h),
// 64-byte aligned.
void sgemmWideTiles(bool transA, bool transB, int m, int n, int k, float alpha, const float* a,
                    long lda, const float* b, long ldb, float beta, float* c, long ldc,
                    const GemmEpilogue& epilogue, float* packed);

} // namespace lb::train
