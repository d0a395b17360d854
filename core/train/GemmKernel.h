#pragma once
// The GEMM of Gemm.h, written once for any vector instruction set. Only GemmAvx2.cpp and
// GemmAvx512.cpp include this, after `#pragma GCC target(...)`, so everything here is compiled
// for that instruction set; it is all in an unnamed namespace, so the two copies never meet at
// link time. It includes nothing: its includer has included what it uses before the pragma (a
// standard header compiled under the pragma could leak wide instructions into shared inline
// functions).
//
// V, the instruction set's traits: Vec, Mask, W (floats per vector), MR (rows per register
// tile), and static functions zero(), load(p) (aligned), loadu(p), storeu(p, v), store(p, v)
// (aligned), broadcast(p), fma(a, b, c) = a * b + c, mul, add, max0(v), keepWherePositive(v, m)
// (v where m > 0, else 0), mask(count) (the first count lanes), maskLoad(p, mask) (zero
// elsewhere, never touches masked lanes), maskStore(p, mask, v).
//
// The loops (BLIS order): for each chunk of k (equal chunks of at most 256), for each block of
// 256 columns (one block when A is a single block), the calling thread packs op(B) into panels
// of 2W columns (kc x 2W, zero past n, contiguous; or reads a row-major B in place when A is a
// single block: see gemm()); for each block of up to 144 rows it packs op(A) into
// strips of MR rows (kc x MR, zero past m); then for each panel (in L1), for each strip (from
// L2): the tile's sums over the chunk in 2 * MR vector registers. Packing A matters:
// broadcasting from MR rows 4 KB apart ran at ~55% of the FMA peak on Zen 3, from packed strips
// at ~80% (and ~94% with everything in L1). The epilogue of Gemm.h is applied when the last
// chunk is stored.

namespace lb::train {
namespace {

// GemmBlocking.h's sizes (its includer has included it).
constexpr int kChunk = kGemmChunk;
constexpr int kBlockRows = kGemmBlockRows;

inline int smaller(int a, int b) {
    return a < b ? a : b;
}

// Transposes the 8 x 8 block at src (rows ld apart) into dst (rows ldDst apart). AVX is
// enough, and every instruction set here has it.
inline void transpose8x8(const float* src, long ld, float* dst, long ldDst) {
    __m256 r0 = _mm256_loadu_ps(src), r1 = _mm256_loadu_ps(src + ld),
           r2 = _mm256_loadu_ps(src + 2 * ld), r3 = _mm256_loadu_ps(src + 3 * ld),
           r4 = _mm256_loadu_ps(src + 4 * ld), r5 = _mm256_loadu_ps(src + 5 * ld),
           r6 = _mm256_loadu_ps(src + 6 * ld), r7 = _mm256_loadu_ps(src + 7 * ld);
    const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1),
                 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3),
                 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5),
                 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
    const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xee),
                 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xee),
                 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xee),
                 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xee);
    r0 = _mm256_permute2f128_ps(u0, u4, 0x20);
    r1 = _mm256_permute2f128_ps(u1, u5, 0x20);
    r2 = _mm256_permute2f128_ps(u2, u6, 0x20);
    r3 = _mm256_permute2f128_ps(u3, u7, 0x20);
    r4 = _mm256_permute2f128_ps(u0, u4, 0x31);
    r5 = _mm256_permute2f128_ps(u1, u5, 0x31);
    r6 = _mm256_permute2f128_ps(u2, u6, 0x31);
    r7 = _mm256_permute2f128_ps(u3, u7, 0x31);
    _mm256_storeu_ps(dst, r0);
    _mm256_storeu_ps(dst + ldDst, r1);
    _mm256_storeu_ps(dst + 2 * ldDst, r2);
    _mm256_storeu_ps(dst + 3 * ldDst, r3);
    _mm256_storeu_ps(dst + 4 * ldDst, r4);
    _mm256_storeu_ps(dst + 5 * ldDst, r5);
    _mm256_storeu_ps(dst + 6 * ldDst, r6);
    _mm256_storeu_ps(dst + 7 * ldDst, r7);
}

// One panel of op(B) = B^T: its NR columns are `cols` rows of the stored B (b, ld apart), of
// which kc values each; written kc x NR, zero past cols. Whole 8 x 8 blocks go through
// transpose8x8, the edges one value at a time.
template <int NR> void packPanelTransposed(const float* b, long ld, int kc, int cols, float* dst) {
    const int fullRows = cols / 8 * 8, fullK = kc / 8 * 8;
    for (int jj = 0; jj < fullRows; jj += 8) {
        for (int p = 0; p < fullK; p += 8)
            transpose8x8(b + long(jj) * ld + p, ld, dst + long(p) * NR + jj, NR);
        for (int p = fullK; p < kc; ++p)
            for (int j = jj; j < jj + 8; ++j)
                dst[long(p) * NR + j] = b[long(j) * ld + p];
    }
    for (int p = 0; p < kc; ++p)
        for (int j = fullRows; j < NR; ++j)
            dst[long(p) * NR + j] = j < cols ? b[long(j) * ld + p] : 0.0f;
}

// Copies rows [0, kc) and columns [0, n) of op(B) (b already points at row k0) into panels.
// With transB, op(B) = B^T: element (p, j) is b[j * ldb + p]; each panel is written transposed
// (reads run along B's rows, the writes stay inside one small panel in L1).
template <class V> void packB(bool transB, const float* b, long ldb, int kc, int n, float* out) {
    constexpr int W = V::W, NR = 2 * V::W;
    if (transB) {
        for (int j0 = 0, panel = 0; j0 < n; j0 += NR, ++panel)
            packPanelTransposed<NR>(b + long(j0) * ldb, ldb, kc, smaller(NR, n - j0),
                                    out + long(panel) * kChunk * NR);
        return;
    }
    // Row by row: each row of B is read once, front to back (the hardware prefetcher follows
    // that; going down a panel's column instead jumps 4 KB per row and it does not).
    const int fullPanels = n / NR;
    const int tail = n - fullPanels * NR;
    const auto m0 = V::mask(smaller(tail, W));
    const auto m1 = V::mask(tail > W ? tail - W : 0);
    for (int p = 0; p < kc; ++p) {
        const float* src = b + p * ldb;
        float* dst = out + p * NR;
        for (int panel = 0; panel < fullPanels; ++panel) {
            V::store(dst + long(panel) * kChunk * NR, V::loadu(src + panel * NR));
            V::store(dst + long(panel) * kChunk * NR + W, V::loadu(src + panel * NR + W));
        }
        if (tail) {
            const float* s = src + fullPanels * NR;
            float* d = dst + long(fullPanels) * kChunk * NR;
            V::store(d, V::maskLoad(s, m0));
            V::store(d + W, V::maskLoad(s + W, m1));
        }
    }
}

// Copies rows [0, rows) and columns [0, kc) of op(A) (a already points at element (i0, k0)) into
// strips of MR rows, each kc x MR contiguous (element (r, p) of a strip at p * MR + r), rows past
// the end zero. With transA, op(A) = A^T: element (i, p) is a[p * lda + i], so a strip's values
// for one p are adjacent in memory.
template <class V> void packA(bool transA, const float* a, long lda, int rows, int kc, float* out) {
    constexpr int MR = V::MR;
    for (int r0 = 0, strip = 0; r0 < rows; r0 += MR, ++strip) {
        const int valid = smaller(MR, rows - r0);
        float* dst = out + long(strip) * kc * MR;
        if (transA && valid == MR) {
            // A strip's MR values for one p are adjacent in A^T: one vector copy each.
            for (int p = 0; p < kc; ++p) {
                const float* src = a + p * lda + r0;
#pragma GCC unroll 16
                for (int r = 0; r < MR; ++r)
                    dst[p * MR + r] = src[r];
            }
        } else if (transA) {
            for (int p = 0; p < kc; ++p) {
                const float* src = a + p * lda + r0;
                for (int r = 0; r < MR; ++r)
                    dst[p * MR + r] = r < valid ? src[r] : 0.0f;
            }
        } else if (MR == 8 && valid == MR) {
            // Eight rows of A, eight values of k at a time: one 8 x 8 transpose writes them in
            // strip order (p * 8 + r), instead of 64 scattered scalar stores.
            const float* src = a + long(r0) * lda;
            const int fullK = kc / 8 * 8;
            for (int p = 0; p < fullK; p += 8)
                transpose8x8(src + p, lda, dst + long(p) * MR, MR);
            for (int r = 0; r < MR; ++r)
                for (int p = fullK; p < kc; ++p)
                    dst[p * MR + r] = src[long(r) * lda + p];
        } else {
            for (int r = 0; r < MR; ++r) {
                if (r < valid) {
                    const float* src = a + long(r0 + r) * lda;
                    for (int p = 0; p < kc; ++p)
                        dst[p * MR + r] = src[p];
                } else {
                    for (int p = 0; p < kc; ++p)
                        dst[p * MR + r] = 0.0f;
                }
            }
        }
    }
}

// Where one register tile's sums go, and what happens to them on the way.
template <class V> struct TileOut {
    float* c;                // element (0, 0) of the tile
    long ldc;
    float alpha, beta;       // beta of this chunk (1 after the first)
    bool last;               // the last chunk: apply the epilogue
    const float* bias;       // at the tile's first column, or null
    bool relu;
    const float* reluMask;   // at the tile's element (0, 0), or null
    long ldMask;
    int cols;                // valid columns of the tile (1 .. 2W)
    const char* prefetch[3]; // the epilogue's prefetch ranges, at this tile's first line
    int prefetchLines;       // lines of each to prefetch during this tile
};

template <class V>
inline typename V::Vec loadPart(const float* p, bool full, typename V::Mask m) {
    return full ? V::loadu(p) : V::maskLoad(p, m);
}

template <class V>
inline void storeVector(typename V::Vec acc, int r, int v, const TileOut<V>& o, bool full,
                        typename V::Mask m) {
    float* cp = o.c + r * o.ldc + v * V::W;
    typename V::Vec x = V::mul(acc, V::broadcast(&o.alpha));
    // beta == 0 must not read C: it may hold garbage (NaN) that 0 * C would keep.
    if (o.beta != 0.0f) x = V::fma(V::broadcast(&o.beta), loadPart<V>(cp, full, m), x);
    if (o.last) {
        if (o.bias) x = V::add(x, loadPart<V>(o.bias + v * V::W, full, m));
        if (o.relu) x = V::max0(x);
        if (o.reluMask)
            x = V::keepWherePositive(x, loadPart<V>(o.reluMask + r * o.ldMask + v * V::W, full, m));
    }
    if (full)
        V::storeu(cp, x);
    else
        V::maskStore(cp, m, x);
}

// One register tile: `rows` (<= MR) rows by NV vectors of columns, over kc values of k, from a
// packed strip of A and a packed panel of B.
// bp's rows are ldbp apart: NR in a packed panel, B's own leading dimension when it is read in
// place. prefetchB, when not null, is the next panel in place: its rows go to L2 meanwhile.
template <class V, int NV>
inline void tile(int rows, const float* ap, const float* bp, long ldbp, const float* prefetchB,
                 int kc, const TileOut<V>& out) {
    constexpr int MR = V::MR, NR = 2 * V::W;
    typename V::Vec acc[MR][NV];
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r)
#pragma GCC unroll 2
        for (int v = 0; v < NV; ++v)
            acc[r][v] = V::zero();
    // The tile's rows of C (and what the epilogue reads beside them) are on their way while
    // the sums are made: a store that misses would otherwise stall at the end.
    for (int r = 0; r < rows; ++r) {
        __builtin_prefetch(out.c + r * out.ldc, 1);
        __builtin_prefetch(out.c + r * out.ldc + NR - 1, 1);
    }
    // Lines beyond one per k step go at once; the rest one per step, below.
    for (int q = kc; q < out.prefetchLines; ++q)
        for (const char* range : out.prefetch)
            if (range) __builtin_prefetch(range + q * 64, 0, 2);
#pragma GCC unroll 4
    for (int p = 0; p < kc; ++p) {
        if (p < out.prefetchLines)
            for (const char* range : out.prefetch)
                if (range) __builtin_prefetch(range + p * 64, 0, 2);
        const float* b = bp + p * ldbp;
        const float* a = ap + p * MR;
        __builtin_prefetch(a + 32 * MR);
        if (prefetchB) {
            __builtin_prefetch(prefetchB + p * ldbp, 0, 2);
            __builtin_prefetch(prefetchB + p * ldbp + NR - 1, 0, 2);
        }
        typename V::Vec bv[NV];
#pragma GCC unroll 2
        for (int v = 0; v < NV; ++v)
            bv[v] = V::loadu(b + v * V::W);
#pragma GCC unroll 16
        for (int r = 0; r < MR; ++r) {
            const typename V::Vec av = V::broadcast(a + r);
#pragma GCC unroll 2
            for (int v = 0; v < NV; ++v)
                acc[r][v] = V::fma(av, bv[v], acc[r][v]);
        }
    }
    const bool full0 = out.cols >= V::W, full1 = out.cols >= 2 * V::W;
    const auto m0 = V::mask(smaller(out.cols, V::W));
    const auto m1 = V::mask(out.cols > V::W ? out.cols - V::W : 0);
    // Fully unrolled so every acc index is a constant and the tile stays in registers.
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
        if (r >= rows) break;
        storeVector<V>(acc[r][0], r, 0, out, full0, m0);
        if constexpr (NV == 2) storeVector<V>(acc[r][1], r, 1, out, full1, m1);
    }
}

template <class V>
void gemm(bool transA, bool transB, int m, int n, int k, float alpha, const float* a, long lda,
          const float* b, long ldb, float beta, float* c, long ldc, const GemmEpilogue& epi,
          float* packedB, float* packedA) {
    constexpr int MR = V::MR, NR = 2 * V::W;
    // Equal chunks of at most kChunk: 784 = 4 x 196, not 3 x 256 + 16, whose last chunk would
    // pay a whole pass of loads and stores of C for 16 values of k.
    const int chunks = (k + kChunk - 1) / kChunk;
    const int chunkK = (k + chunks - 1) / chunks;
    // B read in place, unpacked: with one block of A's rows, each panel of B is used by one
    // pass of strips only, so packing it costs a read and a write of all of B (the weights, in
    // a forward product) for nothing. The panel's rows are 4 KB apart, which the hardware
    // prefetcher does not follow, so the first strip of each panel prefetches the next panel
    // into L2. A last panel narrower than NR is still packed: reading it in place would run
    // past the end of B's last row.
    const bool inPlaceB = !transB && m <= kBlockRows;
    // The epilogue's prefetch ranges, spread evenly over every tile of the product.
    const long prefetchLines = long((epi.prefetchBytes + 63) / 64);
    const long tiles = long(chunks) * ((n + NR - 1) / NR) * ((m + MR - 1) / MR);
    const int linesPerTile = int((prefetchLines + tiles - 1) / tiles);
    long prefetchedLines = 0;
    for (int k0 = 0; k0 < k; k0 += chunkK) {
        const int kc = smaller(chunkK, k - k0);
        TileOut<V> out{};
        out.ldc = ldc;
        out.alpha = alpha;
        out.beta = k0 == 0 ? beta : 1.0f; // later chunks add onto what the earlier ones stored
        out.last = k0 + kc >= k;
        out.relu = epi.relu;
        out.ldMask = epi.ldMask;
        const int colsPerBlock = gemmColsPerBlock(m, n);
        for (int jb = 0; jb < n; jb += colsPerBlock) {
            const int blockCols = smaller(colsPerBlock, n - jb);
            const int fullPanelCols = blockCols / NR * NR;
            if (!inPlaceB)
                packB<V>(transB, transB ? b + long(jb) * ldb + k0 : b + long(k0) * ldb + jb, ldb,
                         kc, blockCols, packedB);
            else if (fullPanelCols < blockCols) // the narrow last panel, into panel 0's place
                packB<V>(false, b + long(k0) * ldb + jb + fullPanelCols, ldb, kc,
                         blockCols - fullPanelCols, packedB);
            for (int i0 = 0; i0 < m; i0 += kBlockRows) {
                const int blockRows = smaller(kBlockRows, m - i0);
                packA<V>(transA, transA ? a + long(k0) * lda + i0 : a + long(i0) * lda + k0, lda,
                         blockRows, kc, packedA);
                for (int j0 = jb, panel = 0; j0 < jb + blockCols; j0 += NR, ++panel) {
                    const bool inPlace = inPlaceB && j0 - jb < fullPanelCols;
                    const float* bp = inPlace   ? b + long(k0) * ldb + j0
                                      : inPlaceB ? packedB
                                                 : packedB + long(panel) * kChunk * NR;
                    const long ldbp = inPlace ? ldb : NR;
                    const bool nextInPlace = inPlace && j0 + NR - jb < fullPanelCols;
                    out.cols = smaller(NR, jb + blockCols - j0);
                    out.bias = epi.bias ? epi.bias + j0 : nullptr;
                    for (int ir = 0, strip = 0; ir < blockRows; ir += MR, ++strip) {
                        const int rows = smaller(MR, blockRows - ir);
                        const float* ap = packedA + long(strip) * kc * MR;
                        out.c = c + long(i0 + ir) * ldc + j0;
                        out.reluMask = epi.reluMask
                                           ? epi.reluMask + long(i0 + ir) * epi.ldMask + j0
                                           : nullptr;
                        const float* prefetchB = nextInPlace && strip == 0 ? bp + NR : nullptr;
                        const long linesLeft = prefetchLines - prefetchedLines;
                        out.prefetchLines = linesLeft < linesPerTile ? int(linesLeft) : linesPerTile;
                        for (int r = 0; r < 3; ++r)
                            out.prefetch[r] = epi.prefetch[r]
                                                  ? static_cast<const char*>(epi.prefetch[r]) +
                                                        prefetchedLines * 64
                                                  : nullptr;
                        prefetchedLines += out.prefetchLines;
                        if (out.cols > V::W)
                            tile<V, 2>(rows, ap, bp, ldbp, prefetchB, kc, out);
                        else
                            tile<V, 1>(rows, ap, bp, ldbp, prefetchB, kc, out);
                    }
                }
            }
        }
    }
}

// The entry each instruction set's file exports. packed: gemmPackFloats(2 * V::W, m, n) floats,
// A's block first, then B's panels.
template <class V>
void sgemmWith(bool transA, bool transB, int m, int n, int k, float alpha, const float* a,
               long lda, const float* b, long ldb, float beta, float* c, long ldc,
               const GemmEpilogue& epi, float* packed) {
    gemm<V>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epi,
            packed + gemmPackedAFloats, packed);
}

} // namespace
} // namespace lb::train
