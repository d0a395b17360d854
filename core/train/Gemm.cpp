#include "core/train/Gemm.h"

#include "core/train/GemmBlocking.h"
#include "core/train/GemmEntries.h"
#include "core/train/ScratchBuffer.h"

namespace lb::train {

namespace {

// The packed panels of the calling thread, grown on first use for a shape and then reused:
// no allocation once the first training step has run.
float* packBuffer(std::size_t floats) {
    thread_local ScratchBuffer buffer;
    return buffer.floats(floats);
}

} // namespace

GemmIsa bestGemmIsa() {
    static const GemmIsa isa = [] {
        if (__builtin_cpu_supports("avx512f")) return GemmIsa::Avx512;
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return GemmIsa::Avx2;
        return GemmIsa::None;
    }();
    return isa;
}

const char* gemmIsaName(GemmIsa isa) {
    switch (isa) {
    case GemmIsa::Avx512: return "AVX-512";
    case GemmIsa::Avx2: return "AVX2";
    case GemmIsa::None: break;
    }
    return "none";
}

GemmTile gemmTile(GemmIsa isa) {
    switch (isa) {
    case GemmIsa::Avx512: return {8, 32};
    case GemmIsa::Avx2: return {6, 16};
    case GemmIsa::None: break;
    }
    return {8, 32}; // OpenBLAS: any split works; these keep the old one
}

void sgemmSimd(GemmIsa isa, bool transA, bool transB, int m, int n, int k, float alpha,
               const float* a, long lda, const float* b, long ldb, float beta, float* c, long ldc,
               const GemmEpilogue& epilogue) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        // No sums: C = beta * C, then the epilogue (bias, ReLU, mask) on that.
        for (int i = 0; i < m; ++i)
            for (int j = 0; j < n; ++j) {
                float& x = c[long(i) * ldc + j];
                x = beta == 0.0f ? 0.0f : beta * x;
                if (epilogue.bias) x += epilogue.bias[j];
                if (epilogue.relu) x = x > 0.0f ? x : 0.0f;
                if (epilogue.reluMask && !(epilogue.reluMask[long(i) * epilogue.ldMask + j] > 0.0f))
                    x = 0.0f;
            }
        return;
    }
    float* packed = packBuffer(gemmPackFloats(gemmTile(isa).cols, m, n));
    if (isa == GemmIsa::Avx512)
        detail::sgemmAvx512(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue,
                            packed);
    else
        detail::sgemmAvx2(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue,
                          packed);
}

} // namespace lb::train
