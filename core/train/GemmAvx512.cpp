#include "core/train/GemmAvx512.h"

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <immintrin.h>
#include <memory>
#include <new>

namespace lb::train {

namespace {

constexpr int kRows = 8;    // MR: rows of C per register tile
constexpr int kCols = 32;   // NR: two 16-float vectors
constexpr int kChunk = 256; // KC: B rows per pass; 256 x 32 floats = 32 KiB stays in L1

// One tile: rows (<= 8) x NV*16 columns (masked by m0/m1) of C, over kc values of k.
// ap[r] points at element (row r, k = 0) of op(A); element k is ap[r][k * ks].
template <bool TransA, int NV>
__attribute__((target("avx512f"))) inline void
tile(int rows, const float* const* ap, long lda, const float* b, long ldb, int kc, float alpha,
     float beta, float* c, long ldc, __mmask16 m0, __mmask16 m1) {
    __m512 acc[kRows][NV];
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
        acc[r][0] = _mm512_setzero_ps();
        if constexpr (NV == 2) acc[r][1] = _mm512_setzero_ps();
    }
    const float* a0 = ap[0];
    const float* a1 = ap[1];
    const float* a2 = ap[2];
    const float* a3 = ap[3];
    const float* a4 = ap[4];
    const float* a5 = ap[5];
    const float* a6 = ap[6];
    const float* a7 = ap[7];
    for (int p = 0; p < kc; ++p) {
        const float* bp = b + p * ldb;
        __m512 bv[NV];
        bv[0] = _mm512_load_ps(bp); // packed: aligned, zero past n
        if constexpr (NV == 2) bv[1] = _mm512_load_ps(bp + 16);
        const long off = TransA ? p * lda : p;
#define LB_ROW(r, ptr)                                                                             \
    {                                                                                              \
        const __m512 av = _mm512_set1_ps(ptr[off]);                                                \
        acc[r][0] = _mm512_fmadd_ps(av, bv[0], acc[r][0]);                                         \
        if constexpr (NV == 2) acc[r][1] = _mm512_fmadd_ps(av, bv[1], acc[r][1]);                  \
    }
        LB_ROW(0, a0)
        LB_ROW(1, a1) LB_ROW(2, a2) LB_ROW(3, a3) LB_ROW(4, a4) LB_ROW(5, a5) LB_ROW(6, a6)
            LB_ROW(7, a7)
#undef LB_ROW
    }
    const __m512 va = _mm512_set1_ps(alpha);
    const __m512 vb = _mm512_set1_ps(beta);
    // Fully unrolled so every acc[r][v] index is a constant and the tile stays in registers.
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
        if (r >= rows) break;
        float* cr = c + r * ldc;
        __m512 out0 = _mm512_mul_ps(acc[r][0], va);
        // beta == 0 must not read C: it may hold garbage (NaN) that 0 * C would keep.
        if (beta != 0.0f) out0 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m0, cr), out0);
        _mm512_mask_storeu_ps(cr, m0, out0);
        if constexpr (NV == 2) {
            __m512 out1 = _mm512_mul_ps(acc[r][1], va);
            if (beta != 0.0f) out1 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m1, cr + 16), out1);
            _mm512_mask_storeu_ps(cr + 16, m1, out1);
        }
    }
}

// Copies B's rows [k0, k0 + kc) into panels of 32 columns, each panel contiguous (kc x 32,
// zero-padded past n): rows of B far apart in memory (ldb = 1000 floats is 4 KiB, so every row
// maps to the same L1 sets) become one sequential stream, read once per tile row.
// With transB, op(B) = B^T: element (p, j) of op(B) is b[j * ldb + p]; the panel is written
// transposed (reads run along B's rows, writes stay inside one 32 KiB panel).
__attribute__((target("avx512f"))) void packB(bool transB, const float* b, long ldb, int kc, int n,
                                              float* out) {
    if (transB) {
        for (int j0 = 0, panel = 0; j0 < n; j0 += kCols, ++panel) {
            const int cols = std::min(kCols, n - j0);
            float* dst = out + std::size_t(panel) * kChunk * kCols;
            for (int jj = 0; jj < kCols; ++jj) {
                if (jj < cols) {
                    const float* src = b + long(j0 + jj) * ldb;
                    for (int p = 0; p < kc; ++p)
                        dst[p * kCols + jj] = src[p];
                } else {
                    for (int p = 0; p < kc; ++p)
                        dst[p * kCols + jj] = 0.0f;
                }
            }
        }
        return;
    }
    for (int j0 = 0, panel = 0; j0 < n; j0 += kCols, ++panel) {
        const int cols = std::min(kCols, n - j0);
        const __mmask16 m0 = cols >= 16 ? __mmask16(0xffff) : __mmask16((1u << cols) - 1);
        const __mmask16 m1 = cols >= 32  ? __mmask16(0xffff)
                             : cols > 16 ? __mmask16((1u << (cols - 16)) - 1)
                                         : __mmask16(0);
        float* dst = out + std::size_t(panel) * kChunk * kCols;
        for (int p = 0; p < kc; ++p) {
            const float* src = b + p * ldb + j0;
            _mm512_store_ps(dst + p * kCols, _mm512_maskz_loadu_ps(m0, src));
            _mm512_store_ps(dst + p * kCols + 16, _mm512_maskz_loadu_ps(m1, src + 16));
        }
    }
}

// The packed panels of the calling thread, grown on first use for a shape and then reused:
// no allocation once the first training step has run.
float* packBuffer(std::size_t floats) {
    struct Free {
        void operator()(float* p) const { std::free(p); }
    };
    thread_local std::unique_ptr<float, Free> buffer;
    thread_local std::size_t capacity = 0;
    if (floats > capacity) {
        buffer.reset(static_cast<float*>(std::aligned_alloc(64, floats * sizeof(float))));
        if (!buffer) throw std::bad_alloc();
        capacity = floats;
    }
    return buffer.get();
}

template <bool TransA>
__attribute__((target("avx512f"))) void gemm(bool transB, int m, int n, int k, float alpha,
                                             const float* a, long lda, const float* b, long ldb,
                                             float beta, float* c, long ldc) {
    const int panels = (n + kCols - 1) / kCols;
    float* packed = packBuffer(std::size_t(panels) * kChunk * kCols);
    for (int k0 = 0; k0 < k; k0 += kChunk) {
        const int kc = std::min(kChunk, k - k0);
        packB(transB, transB ? b + k0 : b + long(k0) * ldb, ldb, kc, n, packed);
        // Later chunks add onto what the earlier ones stored.
        const float chunkBeta = k0 == 0 ? beta : 1.0f;
        // Row tiles outside, column panels inside: the A tile (8 x kc) stays in L1 while the
        // packed panels stream past it.
        for (int i0 = 0; i0 < m; i0 += kRows) {
            const int rows = std::min(kRows, m - i0);
            // Rows past the end repeat the last valid row (read, never stored), so no load
            // leaves the matrix.
            const float* ap[kRows];
            for (int r = 0; r < kRows; ++r) {
                const long i = i0 + std::min(r, rows - 1);
                ap[r] = TransA ? a + long(k0) * lda + i : a + i * lda + k0;
            }
            for (int j0 = 0, panel = 0; j0 < n; j0 += kCols, ++panel) {
                const int cols = std::min(kCols, n - j0);
                const __mmask16 m0 = cols >= 16 ? __mmask16(0xffff) : __mmask16((1u << cols) - 1);
                const __mmask16 m1 = cols >= 32  ? __mmask16(0xffff)
                                     : cols > 16 ? __mmask16((1u << (cols - 16)) - 1)
                                                 : __mmask16(0);
                const float* bp = packed + std::size_t(panel) * kChunk * kCols;
                float* ct = c + long(i0) * ldc + j0;
                if (cols > 16)
                    tile<TransA, 2>(rows, ap, lda, bp, kCols, kc, alpha, chunkBeta, ct, ldc, m0,
                                    m1);
                else
                    tile<TransA, 1>(rows, ap, lda, bp, kCols, kc, alpha, chunkBeta, ct, ldc, m0,
                                    m1);
            }
        }
    }
}

} // namespace

bool avx512Available() {
    static const bool available = __builtin_cpu_supports("avx512f");
    return available;
}

void sgemmAvx512(bool transA, bool transB, int m, int n, int k, float alpha, const float* a,
                 int lda, const float* b, int ldb, float beta, float* c, int ldc) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        for (int i = 0; i < m; ++i)
            for (int j = 0; j < n; ++j)
                c[long(i) * ldc + j] = beta == 0.0f ? 0.0f : beta * c[long(i) * ldc + j];
        return;
    }
    if (transA)
        gemm<true>(transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    else
        gemm<false>(transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

} // namespace lb::train
