// Our GEMM (each instruction set this CPU has) and the CPU backend's gemm (row or column split
// over threads) against a naive double product: every transpose combination, tails in every
// dimension (m not a multiple of 6 or 8 and across the 144-row blocks, n not of 8, 16 or 32, k
// across the 256-row chunks), alpha/beta, leading dimensions wider than the matrix, and beta = 0
// ignoring NaN already in C. Then the fused layer operations against the separate ones, bit for
// bit.

#include "core/train/CpuBackend.h"
#include "core/train/Gemm.h"
#include "core/train/GemmBlocking.h"
#include "core/train/Rng.h"
#include "tests/train/GemmWideTiles.h"

#include <QtTest>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <limits>
#include <vector>

using namespace lb::train;

namespace {

struct Case {
    bool ta, tb;
    int m, n, k;
    float alpha, beta;
};

// Fills A, B, C (with padding columns) and returns the max error relative to sum |a||b|.
template <typename Gemm> double maxError(const Case& t, Gemm&& gemm) {
    Rng rng(std::uint64_t(t.m * 131 + t.n * 7 + t.k));
    const int aRows = t.ta ? t.k : t.m, aCols = t.ta ? t.m : t.k;
    const int bRows = t.tb ? t.n : t.k, bCols = t.tb ? t.k : t.n;
    const int lda = aCols + 3, ldb = bCols + 5, ldc = t.n + 2;
    std::vector<float> a(std::size_t(aRows) * lda), b(std::size_t(bRows) * ldb),
        c(std::size_t(t.m) * ldc);
    for (auto& x : a)
        x = float(rng.normal());
    for (auto& x : b)
        x = float(rng.normal());
    for (auto& x : c)
        x = t.beta == 0.0f ? std::numeric_limits<float>::quiet_NaN() : float(rng.normal());
    const std::vector<float> c0 = c;
    gemm(t, a.data(), lda, b.data(), ldb, c.data(), ldc);
    double worst = 0;
    for (int i = 0; i < t.m; ++i) {
        for (int j = 0; j < t.n; ++j) {
            double s = 0, mag = 0;
            for (int p = 0; p < t.k; ++p) {
                const double av = t.ta ? a[std::size_t(p) * lda + i] : a[std::size_t(i) * lda + p];
                const double bv = t.tb ? b[std::size_t(j) * ldb + p] : b[std::size_t(p) * ldb + j];
                s += av * bv;
                mag += std::abs(av * bv);
            }
            double want = t.alpha * s;
            if (t.beta != 0.0f) want += t.beta * double(c0[std::size_t(i) * ldc + j]);
            const double got = c[std::size_t(i) * ldc + j];
            if (!std::isfinite(got)) return 1e30;
            worst = std::max(worst, std::abs(got - want) / (std::abs(t.alpha) * mag + 1.0));
        }
        // The padding between rows of C is never written.
        for (int j = t.n; j < ldc; ++j) {
            const float before = c0[std::size_t(i) * ldc + j], after = c[std::size_t(i) * ldc + j];
            if (!(before == after || (std::isnan(before) && std::isnan(after)))) return 1e30;
        }
    }
    return worst;
}

void addCases() {
    QTest::addColumn<bool>("ta");
    QTest::addColumn<bool>("tb");
    QTest::addColumn<int>("m");
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("k");
    QTest::addColumn<float>("alpha");
    QTest::addColumn<float>("beta");
    const int shapes[][3] = {{1, 1, 1},     {8, 32, 16},   {7, 5, 3},     {100, 100, 784},
                             {61, 10, 100}, {33, 47, 300}, {17, 16, 513}, {9, 33, 256},
                             {20, 150, 90}, {24, 333, 70}, {1, 100, 784}, {1, 10, 100},
                             {1, 1000, 784}, // one row: the backend's matrix-vector path
                             {250, 40, 300}, {13, 24, 20},  {6, 12, 5},
                             {150, 300, 40}}; // two row blocks, two column blocks
    for (const auto& s : shapes)
        for (int ta = 0; ta < 2; ++ta)
            for (int tb = 0; tb < 2; ++tb)
                for (float beta : {0.0f, 0.5f}) {
                    const QByteArray name = QString("%1x%2x%3 %4%5 beta=%6")
                                                .arg(s[0])
                                                .arg(s[1])
                                                .arg(s[2])
                                                .arg(ta ? "T" : "N")
                                                .arg(tb ? "T" : "N")
                                                .arg(beta)
                                                .toUtf8();
                    QTest::newRow(name.constData()) << bool(ta) << bool(tb) << s[0] << s[1] << s[2]
                                                    << (beta == 0 ? 1.0f : -0.75f) << beta;
                }
}

} // namespace

class GemmTest : public QObject {
    Q_OBJECT

private slots:
    void avx2Kernel_data() { addCases(); }
    void avx2Kernel() { checkKernel(GemmIsa::Avx2); }
    void avx512Kernel_data() { addCases(); }
    void avx512Kernel() { checkKernel(GemmIsa::Avx512); }
    // The AVX-512 tile shape (8 x 32) in AVX2 pairs: its tiling, tails and masks, checked on
    // CPUs that have no AVX-512 too.
    void avx512TileShape_data() { addCases(); }
    void avx512TileShape() {
        if (bestGemmIsa() == GemmIsa::None) QSKIP("this CPU has no AVX2");
        const Case c = fetchCase();
        struct Free {
            void operator()(float* p) const { std::free(p); }
        };
        const std::size_t floats = gemmPackFloats(32, c.m, c.n);
        std::unique_ptr<float, Free> packed(
            static_cast<float*>(std::aligned_alloc(64, floats * sizeof(float))));
        const double err = maxError(
            c, [&](const Case& t, const float* a, int lda, const float* b, int ldb, float* out,
                   int ldc) {
                sgemmWideTiles(t.ta, t.tb, t.m, t.n, t.k, t.alpha, a, lda, b, ldb, t.beta, out, ldc,
                               GemmEpilogue{}, packed.get());
            });
        QVERIFY2(err < 1e-6, qPrintable(QString::number(err)));
    }

    // Through the backend: two threads, so products big enough are split by rows or columns;
    // with OpenBLAS and with our kernel (LABBENCH_TRAIN_GEMM picks, as in the benchmarks).
    void cpuBackendGemm_data() { addCases(); }
    void cpuBackendGemm() {
        checkBackend("openblas");
        if (bestGemmIsa() != GemmIsa::None) checkBackend("own");
    }
    void cpuBackendGemmDefaultChoice() {
        qunsetenv("LABBENCH_TRAIN_GEMM");
        const std::string described = CpuBackend(2).describe();
        // Ours only on AVX-512, where it beats OpenBLAS's Haswell kernels; OpenBLAS otherwise.
        const char* expected =
            bestGemmIsa() == GemmIsa::Avx512 ? "AVX-512 gemm" : "OpenBLAS sgemm";
        QVERIFY2(described.find(expected) != std::string::npos, described.c_str());
        qputenv("LABBENCH_TRAIN_GEMM", "own");
        const std::string own = CpuBackend(2).describe();
        qunsetenv("LABBENCH_TRAIN_GEMM");
        if (bestGemmIsa() != GemmIsa::None)
            QVERIFY2(own.find(gemmIsaName(bestGemmIsa())) != std::string::npos, own.c_str());
    }

    // The fused layer operations give exactly the bits of the separate ones (gemm, then the
    // element-wise pass), so fusing changes no training result. Shapes of the three models'
    // layers, with the batch split over two threads by rows or columns.
    void fusedLayerOpsMatchSeparateOnes_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("k");
        QTest::newRow("128x1000x1000") << 128 << 1000 << 1000;
        QTest::newRow("128x1000x784") << 128 << 1000 << 784;
        QTest::newRow("100x100x784") << 100 << 100 << 784;
        QTest::newRow("50x300x784") << 50 << 300 << 784;
        QTest::newRow("100x10x100") << 100 << 10 << 100;
        QTest::newRow("7x13x5") << 7 << 13 << 5;
    }
    void fusedLayerOpsMatchSeparateOnes() {
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, k);
        if (bestGemmIsa() == GemmIsa::None)
            QSKIP("this CPU has neither AVX2 nor AVX-512: OpenBLAS does every product, unfused");
        qputenv("LABBENCH_TRAIN_GEMM", "own");
        CpuBackend backend(2);
        qunsetenv("LABBENCH_TRAIN_GEMM");
        QVERIFY(backend.describe().find("OpenBLAS") == std::string::npos);
        Rng rng(std::uint64_t(rows * 7 + cols * 3 + k));
        auto randoms = [&](std::size_t n) {
            std::vector<float> v(n);
            for (auto& x : v)
                x = float(rng.normal());
            return v;
        };
        const auto x = randoms(std::size_t(rows) * k), w = randoms(std::size_t(k) * cols),
                   bias = randoms(cols), delta = randoms(std::size_t(rows) * cols);
        for (Activation act : {Activation::Relu, Activation::None}) {
            std::vector<float> fused(std::size_t(rows) * cols), separate(fused.size());
            backend.linearForward(x.data(), w.data(), bias.data(), rows, cols, k, act,
                                  fused.data());
            backend.gemm(Trans::No, Trans::No, rows, cols, k, 1.0f, x.data(), k, w.data(), cols,
                         0.0f, separate.data(), cols);
            backend.biasActivation(separate.data(), bias.data(), rows, cols, act);
            QVERIFY(fused == separate);
        }
        // The mask: a ReLU output with zeros where the pre-activation was negative.
        std::vector<float> y = x;
        for (auto& v : y)
            v = v > 0 ? v : 0.0f;
        std::vector<float> fused(std::size_t(rows) * k), separate(fused.size());
        backend.linearInputGradientRelu(delta.data(), w.data(), y.data(), rows, cols, k,
                                        fused.data());
        backend.gemm(Trans::No, Trans::Yes, rows, k, cols, 1.0f, delta.data(), cols, w.data(), cols,
                     0.0f, separate.data(), k);
        backend.reluBackward(separate.data(), y.data(), separate.size());
        QVERIFY(fused == separate);
        std::size_t zeros = 0;
        for (float v : fused)
            zeros += v == 0.0f;
        QVERIFY2(zeros > fused.size() / 4, "the mask zeroed about half the gradient");
    }

private:
    // The current data row of addCases().
    static Case fetchCase() {
        QFETCH(bool, ta);
        QFETCH(bool, tb);
        QFETCH(int, m);
        QFETCH(int, n);
        QFETCH(int, k);
        QFETCH(float, alpha);
        QFETCH(float, beta);
        return {ta, tb, m, n, k, alpha, beta};
    }

    static void checkBackend(const char* gemm) {
        qputenv("LABBENCH_TRAIN_GEMM", gemm);
        CpuBackend backend(2);
        qunsetenv("LABBENCH_TRAIN_GEMM");
        const double err = maxError(
            fetchCase(), [&](const Case& t, const float* a, int lda,
                                                const float* b, int ldb, float* c, int ldc) {
                backend.gemm(t.ta ? Trans::Yes : Trans::No, t.tb ? Trans::Yes : Trans::No, t.m, t.n,
                             t.k, t.alpha, a, lda, b, ldb, t.beta, c, ldc);
            });
        QVERIFY2(err < 1e-6, qPrintable(QString("%1: %2").arg(gemm).arg(err)));
    }

    static void checkKernel(GemmIsa isa) {
        if (int(bestGemmIsa()) < int(isa))
            QSKIP(qPrintable(QStringLiteral("this CPU has no %1").arg(gemmIsaName(isa))));
        const double err = maxError(
            fetchCase(),
            [isa](const Case& t, const float* a, int lda, const float* b, int ldb, float* c,
                  int ldc) {
                sgemmSimd(isa, t.ta, t.tb, t.m, t.n, t.k, t.alpha, a, lda, b, ldb, t.beta, c, ldc);
            });
        QVERIFY2(err < 1e-6, qPrintable(QString::number(err)));
    }
};

QTEST_GUILESS_MAIN(GemmTest)
#include "GemmTest.moc"
