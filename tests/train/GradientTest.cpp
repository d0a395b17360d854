// Gradient checks: a plain double-precision MLP built from the shared Kernels.h functions is
// checked against central finite differences, then the float CPU backend (the code a run uses)
// is checked against that reference, with the gemm split across threads and without.

#include "core/train/CpuBackend.h"
#include "core/train/Kernels.h"
#include "core/train/Mlp.h"
#include "core/train/Rng.h"
#include "core/train/ThreadPool.h"

#include <QtTest>
#include <atomic>
#include <cmath>
#include <vector>

using namespace lb::train;

namespace {

// The reference: row-major loops in double, one tensor per layer, W (in, out).
struct RefMlp {
    std::vector<int> sizes;
    std::vector<std::vector<double>> W, b;

    int layers() const { return int(sizes.size()) - 1; }

    // Mean softmax cross-entropy of x (B, sizes[0]) against y; fills dW/db when asked.
    double loss(const std::vector<double>& x, const std::vector<int>& y, int B,
                std::vector<std::vector<double>>* dW = nullptr,
                std::vector<std::vector<double>>* db = nullptr) const {
        std::vector<std::vector<double>> acts{x}; // acts[l] is (B, sizes[l])
        for (int l = 0; l < layers(); ++l) {
            const int in = sizes[l], out = sizes[l + 1];
            std::vector<double> z(std::size_t(B) * out, 0.0);
            for (int r = 0; r < B; ++r)
                for (int o = 0; o < out; ++o) {
                    double s = 0;
                    for (int i = 0; i < in; ++i)
                        s += acts[l][r * in + i] * W[l][i * out + o];
                    z[r * out + o] = l < layers() - 1 ? kernels::biasRelu(s, b[l][o]) : s + b[l][o];
                }
            acts.push_back(std::move(z));
        }
        const int C = sizes.back();
        std::vector<double> delta(std::size_t(B) * C);
        double total = 0;
        for (int r = 0; r < B; ++r) {
            total += kernels::softmaxCrossEntropyRow<double>(&acts.back()[r * C], C, y[r], 1.0 / B,
                                                             &delta[r * C])
                         .loss;
        }
        if (dW) {
            dW->assign(layers(), {});
            db->assign(layers(), {});
            for (int l = layers() - 1; l >= 0; --l) {
                const int in = sizes[l], out = sizes[l + 1];
                auto& gW = (*dW)[l];
                auto& gb = (*db)[l];
                gW.assign(std::size_t(in) * out, 0.0);
                gb.assign(out, 0.0);
                for (int r = 0; r < B; ++r)
                    for (int o = 0; o < out; ++o) {
                        gb[o] += delta[r * out + o];
                        for (int i = 0; i < in; ++i)
                            gW[i * out + o] += acts[l][r * in + i] * delta[r * out + o];
                    }
                if (l == 0) break;
                std::vector<double> prev(std::size_t(B) * in, 0.0);
                for (int r = 0; r < B; ++r)
                    for (int i = 0; i < in; ++i) {
                        double s = 0;
                        for (int o = 0; o < out; ++o)
                            s += delta[r * out + o] * W[l][i * out + o];
                        prev[r * in + i] = kernels::reluBackward(s, acts[l][r * in + i]);
                    }
                delta = std::move(prev);
            }
        }
        return total / B;
    }
};

struct Problem {
    RefMlp net;
    std::vector<double> x;
    std::vector<int> y;
    int B;
};

Problem makeProblem(std::vector<int> sizes, int B, std::uint64_t seed) {
    Problem p{{sizes, {}, {}}, {}, {}, B};
    Rng rng(seed);
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
        std::vector<double> w(std::size_t(sizes[l]) * sizes[l + 1]);
        for (auto& v : w)
            v = rng.normal() * std::sqrt(2.0 / sizes[l]);
        std::vector<double> bias(sizes[l + 1]);
        for (auto& v : bias)
            v = 0.1 * rng.normal();
        p.net.W.push_back(w);
        p.net.b.push_back(bias);
    }
    p.x.resize(std::size_t(B) * sizes[0]);
    for (auto& v : p.x)
        v = rng.uniform();
    for (int r = 0; r < B; ++r)
        p.y.push_back(int(rng.below(std::uint64_t(sizes.back()))));
    return p;
}

double maxAbs(const std::vector<double>& v) {
    double m = 0;
    for (double x : v)
        m = std::max(m, std::abs(x));
    return m;
}

} // namespace

class GradientTest : public QObject {
    Q_OBJECT

private slots:
    // Every layer's weights and biases, and through them the loss, against central
    // differences in double: a wrong transpose or a missing ReLU mask fails by orders of
    // magnitude, while the check's own error is ~1e-9.
    void referenceMatchesFiniteDifferences() {
        Problem p = makeProblem({12, 9, 7, 5}, 6, 42);
        std::vector<std::vector<double>> dW, db;
        p.net.loss(p.x, p.y, p.B, &dW, &db);
        const double h = 1e-6;
        for (int l = 0; l < p.net.layers(); ++l) {
            for (int which = 0; which < 2; ++which) {
                auto& params = which == 0 ? p.net.W[l] : p.net.b[l];
                const auto& grads = which == 0 ? dW[l] : db[l];
                for (std::size_t i = 0; i < params.size(); ++i) {
                    const double saved = params[i];
                    params[i] = saved + h;
                    const double up = p.net.loss(p.x, p.y, p.B);
                    params[i] = saved - h;
                    const double down = p.net.loss(p.x, p.y, p.B);
                    params[i] = saved;
                    const double numeric = (up - down) / (2 * h);
                    const double err = std::abs(numeric - grads[i]) /
                                       std::max(1e-6, std::abs(numeric) + std::abs(grads[i]));
                    if (err > 1e-5) {
                        QFAIL(qPrintable(QString("layer %1 %2[%3]: analytic %4 numeric %5")
                                             .arg(l + 1)
                                             .arg(which ? "b" : "W")
                                             .arg(i)
                                             .arg(grads[i], 0, 'g', 10)
                                             .arg(numeric, 0, 'g', 10)));
                    }
                }
            }
        }
    }

    // The loss's gradient alone: softmax - onehot, scaled, and a loss equal to -log p[label].
    void softmaxCrossEntropyRow() {
        const double z[3] = {1.0, 2.0, 0.5};
        double dz[3];
        const auto r = kernels::softmaxCrossEntropyRow<double>(z, 3, 1, 0.5, dz);
        const double e0 = std::exp(1.0), e1 = std::exp(2.0), e2 = std::exp(0.5), s = e0 + e1 + e2;
        QVERIFY(std::abs(r.loss - (-std::log(e1 / s))) < 1e-12);
        QCOMPARE(r.correct, 1);
        QVERIFY(std::abs(dz[0] - 0.5 * e0 / s) < 1e-12);
        QVERIFY(std::abs(dz[1] - 0.5 * (e1 / s - 1)) < 1e-12);
        QVERIFY(std::abs(dz[2] - 0.5 * e2 / s) < 1e-12);
        // Huge logits must not overflow (the max is subtracted first).
        const float big[2] = {1000.0f, -1000.0f};
        const auto rb = kernels::softmaxCrossEntropyRow<float>(big, 2, 1, 1.0f, nullptr);
        QVERIFY(std::isfinite(rb.loss));
        QVERIFY(std::abs(rb.loss - 2000.0f) < 1e-2f);
    }

    // The float CPU backend against the double reference, for 1 and 2 threads and a shape big
    // enough that the gemms are split across threads.
    void cpuBackendMatchesReference_data() {
        QTest::addColumn<int>("threads");
        QTest::addColumn<int>("batch");
        QTest::newRow("1 thread, small") << 1 << 7;
        QTest::newRow("2 threads, small") << 2 << 7;
        QTest::newRow("2 threads, split gemms") << 2 << 64;
        QTest::newRow("2 threads, odd rows") << 2 << 61;
    }
    void cpuBackendMatchesReference() {
        QFETCH(int, threads);
        QFETCH(int, batch);
        Problem p = makeProblem({96, 80, 40, 10}, batch, 7);
        std::vector<std::vector<double>> dW, db;
        const double refLoss = p.net.loss(p.x, p.y, p.B, &dW, &db);

        CpuBackend backend(threads);
        Architecture arch{p.net.sizes};
        Mlp model(backend, arch, batch);
        std::vector<float> params(arch.parameterCount(), 0.0f);
        for (int l = 0; l < arch.layers(); ++l) {
            for (std::size_t i = 0; i < p.net.W[l].size(); ++i)
                params[arch.weightOffset(l) + i] = float(p.net.W[l][i]);
            for (std::size_t i = 0; i < p.net.b[l].size(); ++i)
                params[arch.biasOffset(l) + i] = float(p.net.b[l][i]);
        }
        model.uploadParameters(params);
        DeviceBuffer<float> x(backend, p.x.size()), dlogits(backend, std::size_t(batch) * 10);
        DeviceBuffer<std::int32_t> y(backend, p.y.size());
        DeviceBuffer<double> stats(backend, 2);
        std::vector<float> xf(p.x.begin(), p.x.end());
        std::vector<std::int32_t> yi(p.y.begin(), p.y.end());
        x.upload(xf.data(), xf.size());
        y.upload(yi.data(), yi.size());
        stats.zero();
        const float* logits = model.forward(x.data(), batch);
        backend.softmaxCrossEntropy(logits, y.data(), batch, 10, 1.0f / batch, dlogits.data(),
                                    stats.data());
        model.backward(x.data(), dlogits.data(), batch);
        double host[2];
        stats.download(host, 2);
        QVERIFY2(std::abs(host[0] / batch - refLoss) < 1e-5 * std::max(1.0, refLoss),
                 qPrintable(QString("loss %1 vs %2").arg(host[0] / batch).arg(refLoss)));
        std::vector<float> grads(arch.parameterCount());
        backend.copyToHost(grads.data(), model.gradients(), grads.size() * sizeof(float));
        for (int l = 0; l < arch.layers(); ++l) {
            for (int which = 0; which < 2; ++which) {
                const auto& ref = which == 0 ? dW[l] : db[l];
                const std::size_t off = which == 0 ? arch.weightOffset(l) : arch.biasOffset(l);
                const double scale = maxAbs(ref);
                for (std::size_t i = 0; i < ref.size(); ++i) {
                    if (std::abs(grads[off + i] - ref[i]) > 1e-4 * scale + 1e-7) {
                        QFAIL(qPrintable(QString("layer %1 %2[%3]: cpu %4 reference %5")
                                             .arg(l + 1)
                                             .arg(which ? "b" : "W")
                                             .arg(i)
                                             .arg(grads[off + i])
                                             .arg(ref[i])));
                    }
                }
            }
        }
    }

    // Optimizer updates against values worked out by hand.
    void sgdMomentumUpdate() {
        kernels::SgdParams p{0.1f, 0.9f, 0.0f};
        double w = 1.0, v = 0.0;
        kernels::sgdMomentumUpdate(w, 2.0, v, p); // v = 2, w = 1 - 0.2
        QVERIFY(std::abs(v - 2.0) < 1e-12 && std::abs(w - 0.8) < 1e-7);
        kernels::sgdMomentumUpdate(w, 1.0, v, p); // v = 0.9*2 + 1 = 2.8, w = 0.8 - 0.28
        QVERIFY(std::abs(v - 2.8) < 1e-6 && std::abs(w - 0.52) < 1e-6);
        kernels::SgdParams decay{0.1f, 0.0f, 0.5f};
        double w2 = 2.0, v2 = 0.0;
        kernels::sgdMomentumUpdate(w2, 0.0, v2, decay); // g = 0.5 * 2 = 1, w = 2 - 0.1
        QVERIFY(std::abs(w2 - 1.9) < 1e-6);
    }

    void adamUpdate() {
        // First step: m_hat = g, v_hat = g^2, so w moves by lr * g / (|g| + eps) = lr * sign(g).
        kernels::AdamParams p{0.01f, 0.9f, 0.999f, 1e-8f, 0.0f, 1.0f - 0.9f, 1.0f - 0.999f};
        double w = 0.5, m = 0, v = 0;
        kernels::adamUpdate(w, -3.0, m, v, p);
        QVERIFY2(std::abs(w - 0.51) < 1e-6, qPrintable(QString::number(w, 'g', 12)));
        QVERIFY(std::abs(m - (-0.3)) < 1e-6 && std::abs(v - 0.009) < 1e-6);
    }

    void backendOptimizerStepMatchesKernel() {
        CpuBackend backend(2);
        const std::size_t n = 100'003; // big enough to be split, odd to test the tail
        std::vector<float> w(n), g(n), s1(n, 0.0f), s2(n, 0.0f);
        Rng rng(3);
        for (std::size_t i = 0; i < n; ++i) {
            w[i] = float(rng.normal());
            g[i] = float(rng.normal());
        }
        auto wRef = w, s1Ref = s1, s2Ref = s2;
        OptimizerStep step;
        step.kind = OptimizerKind::Adam;
        step.adam = {0.001f, 0.9f, 0.999f, 1e-8f, 1e-4f, 0.1f, 0.001f};
        backend.optimizerStep(step, w.data(), g.data(), s1.data(), s2.data(), n);
        for (std::size_t i = 0; i < n; ++i)
            kernels::adamUpdate(wRef[i], g[i], s1Ref[i], s2Ref[i], step.adam);
        QVERIFY(w == wRef && s1 == s1Ref && s2 == s2Ref);
    }

    // The fused path (each layer steps as its weight gradient is made, block of rows by block
    // of rows) gives the bits of backward() followed by one optimizer step over all parameters:
    // SGD with momentum and weight decay and Adam, over three steps (so the states matter), with
    // a batch over 256 rows (the GEMM's k chunks) and one that splits over the threads; with
    // layers whose rows fit one block per thread and one (600 wide) that needs several.
    void fusedStepMatchesBackwardThenStep_data() {
        QTest::addColumn<bool>("adam");
        QTest::addColumn<int>("batch");
        QTest::addColumn<QString>("hidden");
        for (const char* hidden : {"70,33", "600,33"}) {
            for (const bool adam : {false, true})
                for (const int batch : {50, 300})
                    QTest::newRow(qPrintable(QStringLiteral("%1, batch %2, hidden %3")
                                                 .arg(adam ? "adam" : "sgd")
                                                 .arg(batch)
                                                 .arg(hidden)))
                        << adam << batch << QString(hidden);
        }
    }
    void fusedStepMatchesBackwardThenStep() {
        QFETCH(bool, adam);
        QFETCH(int, batch);
        QFETCH(QString, hidden);
        if (bestGemmIsa() == GemmIsa::None)
            QSKIP("this CPU has neither AVX2+FMA nor AVX-512: our GEMM, which the fused step "
                  "needs, cannot run");
        // Our kernel on any CPU that has it (by default it does the products on AVX-512 only).
        qputenv("LABBENCH_TRAIN_GEMM", "own");
        CpuBackend backend(2);
        qunsetenv("LABBENCH_TRAIN_GEMM");
        QVERIFY(backend.fusesWeightStep());
        const Architecture arch = parseArchitecture(hidden.toStdString(), 784, 10);
        Mlp fused(backend, arch, batch), separate(backend, arch, batch);
        const auto init = heInitialParameters(arch, 5);
        fused.uploadParameters(init);
        separate.uploadParameters(init);
        const std::size_t n = arch.parameterCount();
        std::vector<float> s1f(n, 0.0f), s2f(n, 0.0f), s1s(n, 0.0f), s2s(n, 0.0f);
        Rng rng(9);
        std::vector<float> x(std::size_t(batch) * 784);
        std::vector<std::int32_t> y(batch);
        for (auto& v : x)
            v = float(rng.uniform());
        for (auto& v : y)
            v = std::int32_t(rng.below(10));
        std::vector<float> dlogits(std::size_t(batch) * 10);
        for (int t = 1; t <= 3; ++t) {
            OptimizerStep step;
            if (adam) {
                step.kind = OptimizerKind::Adam;
                step.adam = {0.001f, 0.9f, 0.999f, 1e-8f, 1e-4f, float(1 - std::pow(0.9, t)),
                             float(1 - std::pow(0.999, t))};
            } else {
                step.sgd = {0.05f, 0.9f, 1e-4f};
            }
            for (Mlp* model : {&fused, &separate}) {
                double stats[2] = {0, 0};
                const float* logits = model->forward(x.data(), batch);
                backend.softmaxCrossEntropy(logits, y.data(), batch, 10, 1.0f / float(batch),
                                            dlogits.data(), stats);
                if (model == &fused) {
                    fused.backwardAndStep(x.data(), dlogits.data(), batch, step, s1f.data(),
                                          adam ? s2f.data() : nullptr);
                } else {
                    separate.backward(x.data(), dlogits.data(), batch);
                    backend.optimizerStep(step, separate.parameters(), separate.gradients(),
                                          s1s.data(), s2s.data(), n);
                }
            }
            QVERIFY2(fused.downloadParameters() == separate.downloadParameters(),
                     qPrintable(QStringLiteral("step %1").arg(t)));
            QVERIFY(s1f == s1s);
            if (adam) QVERIFY(s2f == s2s);
        }
        QVERIFY(fused.downloadParameters() != init); // it did train
    }

    void gatherRows() {
        CpuBackend backend(1);
        const std::vector<float> src{0, 1, 10, 11, 20, 21}; // (3, 2)
        const std::vector<std::int32_t> labels{5, 6, 7}, idx{2, 0};
        std::vector<float> dst(4);
        std::vector<std::int32_t> dstLabels(2);
        backend.gatherRows(src.data(), labels.data(), 2, idx.data(), 2, dst.data(),
                           dstLabels.data());
        QCOMPARE(dst, (std::vector<float>{20, 21, 0, 1}));
        QCOMPARE(dstLabels, (std::vector<std::int32_t>{7, 5}));
    }

    // Every task of every job runs exactly once, job after job (the pool's claim protocol).
    void threadPoolRunsEachTaskOnce() {
        ThreadPool pool(3);
        std::vector<std::atomic<int>> hits(64);
        for (int job = 0; job < 2000; ++job) {
            const int tasks = 1 + job % 64;
            pool.run(tasks, [&](int t) { hits[t].fetch_add(1); });
            for (int t = 0; t < 64; ++t) {
                const int want = t < tasks ? 1 : 0;
                if (hits[t].exchange(0) != want)
                    QFAIL(qPrintable(QString("job %1 task %2").arg(job).arg(t)));
            }
        }
    }

    void heInitIsSeededAndScaled() {
        Architecture arch{{784, 100, 10}};
        const auto a = heInitialParameters(arch, 1), b = heInitialParameters(arch, 1),
                   c = heInitialParameters(arch, 2);
        QVERIFY(a == b);
        QVERIFY(a != c);
        double sum2 = 0;
        for (std::size_t i = 0; i < 784 * 100; ++i) {
            const double w = a[arch.weightOffset(0) + i];
            sum2 += w * w;
        }
        const double var = sum2 / (784 * 100);
        QVERIFY2(std::abs(var - 2.0 / 784) < 0.1 * 2.0 / 784, qPrintable(QString::number(var)));
        for (int o = 0; o < 100; ++o)
            QCOMPARE(a[arch.biasOffset(0) + o], 0.0f);
    }
};

QTEST_GUILESS_MAIN(GradientTest)
#include "GradientTest.moc"
