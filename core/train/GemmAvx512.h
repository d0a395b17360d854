#pragma once
// An AVX-512 single-precision GEMM for the shapes an MLP step has. Why not only OpenBLAS: on the
// project's machines OpenBLAS runs its AVX2 (Haswell) kernels (OPENBLAS_CORETYPE is pinned),
// half the vector width the cores have. An 8x32 register tile of C (16 zmm accumulators)
// broadcasts A straight from memory and streams B from panels packed per K chunk (256 rows).
// The summation order of every element is fixed (k ascending), whatever the thread split.

namespace lb::train {

// True when the CPU (and OS) support AVX-512F; sgemmAvx512 must not be called otherwise.
bool avx512Available();

// C(m,n) = alpha * op(A)(m,k) * op(B)(k,n) + beta * C, row-major, like cblas_sgemm.
void sgemmAvx512(bool transA, bool transB, int m, int n, int k, float alpha, const float* a,
                 int lda, const float* b, int ldb, float beta, float* c, int ldc);

} // namespace lb::train
