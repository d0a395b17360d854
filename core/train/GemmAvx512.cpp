// GemmKernel.h compiled for AVX-512F: an 8 x 32 register tile (16 of the 32 zmm registers hold
// sums), the shape measured at about twice OpenBLAS's Haswell kernels on Zen 4.
#include "core/train/GemmEntries.h"

#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx512f")

#include "core/train/GemmKernel.h"

namespace lb::train {
namespace {

struct Avx512 {
    using Vec = __m512;
    using Mask = __mmask16;
    static constexpr int W = 16;
    static constexpr int MR = 8;
    static Vec zero() { return _mm512_setzero_ps(); }
    static Vec load(const float* p) { return _mm512_load_ps(p); }
    static Vec loadu(const float* p) { return _mm512_loadu_ps(p); }
    static void store(float* p, Vec v) { _mm512_store_ps(p, v); }
    static void storeu(float* p, Vec v) { _mm512_storeu_ps(p, v); }
    static Vec broadcast(const float* p) { return _mm512_set1_ps(*p); }
    static Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
    static Vec mul(Vec a, Vec b) { return _mm512_mul_ps(a, b); }
    static Vec add(Vec a, Vec b) { return _mm512_add_ps(a, b); }
    // maskz, not _mm512_max_ps: GCC 12 warns about the latter's undefined source vector.
    static Vec max0(Vec v) { return _mm512_maskz_max_ps(Mask(0xffff), v, _mm512_setzero_ps()); }
    static Vec keepWherePositive(Vec v, Vec m) {
        return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(m, _mm512_setzero_ps(), _CMP_GT_OQ), v);
    }
    static Mask mask(int count) { return count >= 16 ? Mask(0xffff) : Mask((1u << count) - 1); }
    static Vec maskLoad(const float* p, Mask m) { return _mm512_maskz_loadu_ps(m, p); }
    static void maskStore(float* p, Mask m, Vec v) { _mm512_mask_storeu_ps(p, m, v); }
};

} // namespace

namespace detail {
void sgemmAvx512(bool transA, bool transB, int m, int n, int k, float alpha, const float* a,
                 long lda, const float* b, long ldb, float beta, float* c, long ldc,
                 const GemmEpilogue& epilogue, float* packed) {
    sgemmWith<Avx512>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue,
                      packed);
}
} // namespace detail

} // namespace lb::train

#pragma GCC pop_options
