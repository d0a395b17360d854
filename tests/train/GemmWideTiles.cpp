// GemmKernel.h instantiated with the AVX-512 tile shape (8 rows x 32 columns, 16 floats per
// "vector") made of AVX2 pairs, so that GemmTest checks the tiling, tails and masks the AVX-512
// build uses on a CPU that has only AVX2 (the AVX-512 traits themselves are one intrinsic each).
#include "tests/train/GemmWideTiles.h"

#include "core/train/Gemm.h"
#include "core/train/GemmBlocking.h"

#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma")

#include "core/train/GemmKernel.h"

namespace lb::train {
namespace {

struct Avx2Pairs {
    struct Vec {
        __m256 lo, hi;
    };
    struct Mask {
        __m256i lo, hi;
    };
    static constexpr int W = 16;
    static constexpr int MR = 8;
    static Vec zero() { return {_mm256_setzero_ps(), _mm256_setzero_ps()}; }
    static Vec load(const float* p) { return {_mm256_load_ps(p), _mm256_load_ps(p + 8)}; }
    static Vec loadu(const float* p) { return {_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8)}; }
    static void store(float* p, Vec v) {
        _mm256_store_ps(p, v.lo);
        _mm256_store_ps(p + 8, v.hi);
    }
    static void storeu(float* p, Vec v) {
        _mm256_storeu_ps(p, v.lo);
        _mm256_storeu_ps(p + 8, v.hi);
    }
    static Vec broadcast(const float* p) { return {_mm256_broadcast_ss(p), _mm256_broadcast_ss(p)}; }
    static Vec fma(Vec a, Vec b, Vec c) {
        return {_mm256_fmadd_ps(a.lo, b.lo, c.lo), _mm256_fmadd_ps(a.hi, b.hi, c.hi)};
    }
    static Vec mul(Vec a, Vec b) { return {_mm256_mul_ps(a.lo, b.lo), _mm256_mul_ps(a.hi, b.hi)}; }
    static Vec add(Vec a, Vec b) { return {_mm256_add_ps(a.lo, b.lo), _mm256_add_ps(a.hi, b.hi)}; }
    static Vec max0(Vec v) {
        return {_mm256_max_ps(v.lo, _mm256_setzero_ps()), _mm256_max_ps(v.hi, _mm256_setzero_ps())};
    }
    static Vec keepWherePositive(Vec v, Vec m) {
        return {_mm256_and_ps(v.lo, _mm256_cmp_ps(m.lo, _mm256_setzero_ps(), _CMP_GT_OQ)),
                _mm256_and_ps(v.hi, _mm256_cmp_ps(m.hi, _mm256_setzero_ps(), _CMP_GT_OQ))};
    }
    static Mask mask(int count) {
        const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        return {_mm256_cmpgt_epi32(_mm256_set1_epi32(count), lanes),
                _mm256_cmpgt_epi32(_mm256_set1_epi32(count - 8), lanes)};
    }
    static Vec maskLoad(const float* p, Mask m) {
        return {_mm256_maskload_ps(p, m.lo), _mm256_maskload_ps(p + 8, m.hi)};
    }
    static void maskStore(float* p, Mask m, Vec v) {
        _mm256_maskstore_ps(p, m.lo, v.lo);
        _mm256_maskstore_ps(p + 8, m.hi, v.hi);
    }
};

} // namespace

void sgemmWideTiles(bool transA, bool transB, int m, int n, int k, float alpha, const float* a,
                    long lda, const float* b, long ldb, float beta, float* c, long ldc,
                    const GemmEpilogue& epilogue, float* packed) {
    sgemmWith<Avx2Pairs>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue,
                         packed);
}


} // namespace lb::train

#pragma GCC pop_options
