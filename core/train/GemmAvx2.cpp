// GemmKernel.h compiled for AVX2+FMA: a 6 x 16 register tile (12 of the 16 ymm registers hold
// sums, two hold B, one the broadcast A value).
#include "core/train/GemmEntries.h"

#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma")

#include "core/train/GemmKernel.h"

namespace lb::train {
namespace {

struct Avx2 {
    using Vec = __m256;
    using Mask = __m256i;
    static constexpr int W = 8;
    static constexpr int MR = 6;
    static Vec zero() { return _mm256_setzero_ps(); }
    static Vec load(const float* p) { return _mm256_load_ps(p); }
    static Vec loadu(const float* p) { return _mm256_loadu_ps(p); }
    static void store(float* p, Vec v) { _mm256_store_ps(p, v); }
    static void storeu(float* p, Vec v) { _mm256_storeu_ps(p, v); }
    static Vec broadcast(const float* p) { return _mm256_broadcast_ss(p); }
    static Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
    static Vec mul(Vec a, Vec b) { return _mm256_mul_ps(a, b); }
    static Vec add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
    static Vec max0(Vec v) { return _mm256_max_ps(v, _mm256_setzero_ps()); }
    static Vec keepWherePositive(Vec v, Vec m) {
        return _mm256_and_ps(v, _mm256_cmp_ps(m, _mm256_setzero_ps(), _CMP_GT_OQ));
    }
    static Mask mask(int count) {
        return _mm256_cmpgt_epi32(_mm256_set1_epi32(count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    }
    static Vec maskLoad(const float* p, Mask m) { return _mm256_maskload_ps(p, m); }
    static void maskStore(float* p, Mask m, Vec v) { _mm256_maskstore_ps(p, m, v); }
};

} // namespace

namespace detail {
void sgemmAvx2(bool transA, bool transB, int m, int n, int k, float alpha, const float* a,
               long lda, const float* b, long ldb, float beta, float* c, long ldc,
               const GemmEpilogue& epilogue, float* packed) {
    sgemmWith<Avx2>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue,
                    packed);
}
} // namespace detail

} // namespace lb::train

#pragma GCC pop_options
