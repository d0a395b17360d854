// bench_gpu_train: epoch time and images/s of the CUDA backend for the two reference models,
// with and without CUDA graphs, against the device's GEMM bound. Run on a GPU machine:
//   build/bin/bench_gpu_train [--data DIR] [--epochs 5] [--only 1000,1000]
//   build/bin/bench_gpu_train --breakdown      (GPU time of each operation of one step)
// The GEMM bound of an epoch is its matrix-product FLOPs at the SGEMM rate this device reaches
// on a large square product (measured here, FP32); "gemm-only" is the epoch's actual cuBLAS
// calls, same shapes, timed alone (eager launches). Ratios are bound / measured epoch time.

#include "core/train/Backend.h"
#include "core/train/Dataset.h"
#include "core/train/Error.h"
#include "core/train/Trainer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

using namespace lb::train;

namespace {

double now() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

std::unique_ptr<Backend> cuda(bool graphs, bool tf32, bool splitK = true, bool small = true) {
    setenv("LABBENCH_CUDA_GRAPHS", graphs ? "1" : "0", 1);
    setenv("LABBENCH_CUDA_SPLITK", splitK ? "1" : "0", 1);
    setenv("LABBENCH_CUDA_SMALL_GEMM", small ? "1" : "0", 1);
    BackendOptions o;
    o.allowTf32 = tf32;
    return makeBackend(BackendKind::Cuda, o);
}

// FP32 SGEMM rate (FLOP/s) on an n x n x n product: the device's practical GEMM peak.
double sgemmPeak(bool tf32) {
    auto b = cuda(false, tf32);
    const int n = 8192;
    DeviceBuffer<float> A(*b, std::size_t(n) * n), B(*b, std::size_t(n) * n),
        C(*b, std::size_t(n) * n);
    A.zero(), B.zero(), C.zero();
    const auto run = [&] {
        b->gemm(Trans::No, Trans::No, n, n, n, 1.0f, A.data(), n, B.data(), n, 0.0f, C.data(), n);
    };
    run();
    b->synchronize();
    const int reps = 5;
    const double start = now();
    for (int i = 0; i < reps; ++i) run();
    b->synchronize();
    return 2.0 * n * n * double(n) * reps / (now() - start);
}

// The matrix products of one epoch: (m, n, k) of every gemm, in the order the Mlp issues them.
struct Gemm {
    Trans ta, tb;
    int m, n, k;
};
std::vector<Gemm> epochGemms(const Architecture& arch, int count, int batch, double* flops) {
    std::vector<Gemm> g;
    *flops = 0;
    for (int first = 0; first < count; first += batch) {
        const int B = std::min(batch, count - first);
        for (int l = 0; l < arch.layers(); ++l)
            g.push_back({Trans::No, Trans::No, B, arch.sizes[l + 1], arch.sizes[l]});
        for (int l = arch.layers() - 1; l >= 0; --l) {
            g.push_back({Trans::Yes, Trans::No, arch.sizes[l], arch.sizes[l + 1], B});
            if (l > 0) g.push_back({Trans::No, Trans::Yes, B, arch.sizes[l], arch.sizes[l + 1]});
        }
    }
    for (const Gemm& x : g) *flops += 2.0 * x.m * x.n * double(x.k);
    return g;
}

// Seconds for the epoch's gemms alone, on buffers as large as the largest operand.
double gemmOnlySeconds(const std::vector<Gemm>& gemms, bool tf32, bool splitK, bool small) {
    auto b = cuda(false, tf32, splitK, small);
    std::size_t biggest = 0;
    for (const Gemm& x : gemms)
        biggest = std::max({biggest, std::size_t(x.m) * x.k, std::size_t(x.k) * x.n,
                            std::size_t(x.m) * x.n});
    DeviceBuffer<float> A(*b, biggest), B(*b, biggest), C(*b, biggest);
    A.zero(), B.zero(), C.zero();
    const auto run = [&] {
        for (const Gemm& x : gemms) {
            const int lda = x.ta == Trans::No ? x.k : x.m;
            const int ldb = x.tb == Trans::No ? x.n : x.k;
            b->gemm(x.ta, x.tb, x.m, x.n, x.k, 1.0f, A.data(), lda, B.data(), ldb, 0.0f,
                    C.data(), x.n);
        }
        b->synchronize();
    };
    run();
    std::vector<double> times;
    for (int i = 0; i < 3; ++i) {
        const double start = now();
        run();
        times.push_back(now() - start);
    }
    return median(times);
}

// GPU time per operation of one training step, each op recorded `reps` times in one CUDA graph
// and replayed: what the op costs inside the step's graph, node-to-node latency included.
double perOpInGraph(Backend& b, const std::function<void()>& op, int reps) {
    b.beginStepCapture();
    for (int i = 0; i < reps; ++i) op();
    b.endStepCapture();
    const OptimizerStep same{};
    b.replayStep(nullptr, same);
    b.synchronize();
    const int launches = 20;
    const double start = now();
    for (int i = 0; i < launches; ++i) b.replayStep(nullptr, same);
    b.synchronize();
    return (now() - start) / (launches * reps);
}

// The step of an MLP taken apart: every Backend call of Trainer::issueStep with its shape.
void breakdown(const Architecture& arch, int B) {
    auto b = cuda(true, false);
    const int L = arch.layers(), classes = arch.classes(), features = arch.inputs();
    int widest = 1;
    for (int s : arch.sizes) widest = std::max(widest, s);
    const std::size_t big = std::size_t(B) * widest;
    DeviceBuffer<float> src(*b, std::size_t(1000) * features), x(*b, big), y(*b, big),
        d(*b, big), w(*b, std::size_t(widest) * widest), bias(*b, widest);
    DeviceBuffer<std::int32_t> srcLabels(*b, 1000), idx(*b, B), labels(*b, B);
    DeviceBuffer<float> params(*b, arch.parameterCount()), grads(*b, arch.parameterCount()),
        mom(*b, arch.parameterCount());
    DeviceBuffer<double> stats(*b, 2);
    for (auto* buf : {&src, &x, &y, &d, &w, &bias, &params, &grads, &mom}) buf->zero();
    srcLabels.zero(), idx.zero(), labels.zero(), stats.zero();
    struct Op {
        std::string name;
        std::function<void()> run;
    };
    std::vector<Op> ops;
    const auto shape = [](int m, int n, int k) {
        return std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k);
    };
    for (int l = 0; l < L; ++l) {
        const int in = arch.sizes[l], out = arch.sizes[l + 1];
        ops.push_back({"gemm fwd " + shape(B, out, in), [=, &b, &x, &w, &y] {
                           b->gemm(Trans::No, Trans::No, B, out, in, 1.0f, x.data(), in,
                                   w.data(), out, 0.0f, y.data(), out);
                       }});
        ops.push_back({"bias+act " + shape(B, out, 1), [=, &b, &y, &bias] {
                           b->biasActivation(y.data(), bias.data(), B, out,
                                             l + 1 < L ? Activation::Relu : Activation::None);
                       }});
    }
    ops.push_back({"softmax+xent " + shape(B, classes, 1), [=, &b, &y, &labels, &d, &stats] {
                       b->softmaxCrossEntropy(y.data(), labels.data(), B, classes, 1.0f / B,
                                              d.data(), stats.data());
                   }});
    for (int l = L - 1; l >= 0; --l) {
        const int in = arch.sizes[l], out = arch.sizes[l + 1];
        ops.push_back({"gemm dW " + shape(in, out, B), [=, &b, &x, &d, &w] {
                           b->gemm(Trans::Yes, Trans::No, in, out, B, 1.0f, x.data(), in,
                                   d.data(), out, 0.0f, w.data(), out);
                       }});
        ops.push_back({"column sum " + shape(B, out, 1), [=, &b, &d, &bias] {
                           b->columnSum(d.data(), B, out, bias.data());
                       }});
        if (l == 0) break;
        ops.push_back({"gemm dIn " + shape(B, in, out), [=, &b, &d, &w, &y] {
                           b->gemm(Trans::No, Trans::Yes, B, in, out, 1.0f, d.data(), out,
                                   w.data(), out, 0.0f, y.data(), in);
                       }});
        ops.push_back({"relu backward " + shape(B, in, 1), [=, &b, &y, &x] {
                           b->reluBackward(y.data(), x.data(), std::size_t(B) * in);
                       }});
    }
    double total = 0;
    std::printf("step of %s, batch %d, one op type per graph (100 copies):\n",
                arch.toString().c_str(), B);
    for (const Op& op : ops) {
        const double t = perOpInGraph(*b, op.run, 100);
        total += t;
        std::printf("  %-28s %7.2f us\n", op.name.c_str(), t * 1e6);
    }
    // The gather and the update are the nodes replayStep rewrites: one of each per graph.
    OptimizerStep sgd;
    sgd.sgd = {0.01f, 0.9f, 0.0f};
    const std::size_t n = arch.parameterCount();
    b->beginStepCapture();
    b->gatherRows(src.data(), srcLabels.data(), features, idx.data(), B, x.data(), labels.data());
    b->optimizerStep(sgd, params.data(), grads.data(), mom.data(), nullptr, n);
    b->endStepCapture();
    b->replayStep(idx.data(), sgd);
    b->synchronize();
    const int launches = 200;
    const double start = now();
    for (int i = 0; i < launches; ++i) b->replayStep(idx.data(), sgd);
    b->synchronize();
    const double t = (now() - start) / launches;
    total += t;
    std::printf("  %-28s %7.2f us  (one 2-node graph per launch)\n",
                ("gather + sgd " + std::to_string(n)).c_str(), t * 1e6);
    std::printf("  %-28s %7.2f us  = %.1f ms per epoch of %d steps\n", "sum", total * 1e6,
                total * 1e3 * ((60000 + B - 1) / B), (60000 + B - 1) / B);

    // The whole step as one graph, replayed back to back: with the same batch index (no node
    // rewrite) and with a new one each time (the gather node rewritten, as in training).
    b->beginStepCapture();
    b->gatherRows(src.data(), srcLabels.data(), features, idx.data(), B, x.data(), labels.data());
    for (const Op& op : ops) op.run();
    b->optimizerStep(sgd, params.data(), grads.data(), mom.data(), nullptr, n);
    b->endStepCapture();
    DeviceBuffer<std::int32_t> idx2(*b, B);
    idx2.zero();
    for (int rewrite = 0; rewrite < 2; ++rewrite) {
        b->replayStep(idx.data(), sgd);
        b->synchronize();
        const double t0 = now();
        for (int i = 0; i < launches; ++i)
            b->replayStep(rewrite && i % 2 ? idx2.data() : idx.data(), sgd);
        const double issued = now() - t0;
        b->synchronize();
        const double t = (now() - t0) / launches;
        std::printf("  %-28s %7.2f us per step (host issue %.2f us)\n",
                    rewrite ? "whole step, index rewritten" : "whole step, same index", t * 1e6,
                    issued / launches * 1e6);
    }
}

struct Row {
    std::string model;
    int batch;
    bool graphs, tf32, splitK, small;
};

} // namespace

int main(int argc, char** argv) {
    const char* envData = std::getenv("LABBENCH_TEST_MNIST_DIR");
    std::string dataDir = envData && *envData ? envData : LABBENCH_MNIST_DIR;
    int epochs = 5;
    std::string only; // "100,100" or "1000,1000": one model (for profiling)
    bool breakdownOnly = false;
    bool json = false; // the three models of issue 22, default settings, one JSON line each
    for (int i = 1; i < argc; ++i) {
        const bool hasValue = i + 1 < argc;
        if (!std::strcmp(argv[i], "--breakdown")) breakdownOnly = true;
        else if (!std::strcmp(argv[i], "--json")) json = true;
        else if (!std::strcmp(argv[i], "--data") && hasValue) dataDir = argv[++i];
        else if (!std::strcmp(argv[i], "--only") && hasValue) only = argv[++i];
        else if (!std::strcmp(argv[i], "--epochs") && hasValue)
            epochs = std::max(1, std::atoi(argv[++i]));
        else {
            std::fprintf(stderr, "bench_gpu_train: unknown argument %s\n", argv[i]);
            return 2;
        }
    }
    try {
        if (breakdownOnly) {
            breakdown(parseArchitecture("100,100", 784, 10), 100);
            breakdown(parseArchitecture("1000,1000", 784, 10), 128);
            return 0;
        }
        const Dataset data = loadDataset(findDatasetFiles(dataDir), dataDir);
        if (json) {
            // For compare.py, which runs PyTorch on the same models in the same run.
            const std::pair<const char*, int> models[] = {
                {"100,100", 100}, {"300,100", 50}, {"1000,1000", 128}};
            for (const auto& [hidden, batch] : models) {
                TrainConfig c;
                c.arch = parseArchitecture(hidden, 784, 10);
                c.batchSize = batch;
                c.seed = 1;
                auto backend = cuda(true, false);
                Trainer trainer(*backend, data, c);
                trainer.trainEpoch(); // warm-up: graph capture, cuBLAS heuristics, clocks
                std::vector<double> times;
                for (int e = 0; e < epochs; ++e) times.push_back(trainer.trainEpoch().seconds);
                std::printf("{\"hidden\": \"%s\", \"batch\": %d, \"epoch_s\": %.6f, "
                            "\"accuracy\": %.4f, \"device\": \"%s\"}\n",
                            hidden, batch, median(times), trainer.evaluateTest().accuracy,
                            backend->describe().c_str());
                std::fflush(stdout);
            }
            return 0;
        }
        {
            auto probe = cuda(true, false);
            std::printf("device: %s\n", probe->describe().c_str());
        }
        const double peak = sgemmPeak(false), peakTf32 = sgemmPeak(true);
        std::printf("SGEMM 8192^3: %.1f TFLOP/s FP32, %.1f TFLOP/s TF32\n", peak / 1e12,
                    peakTf32 / 1e12);
        std::printf("%-18s %5s %6s %5s %6s %5s %10s %12s %10s %8s %10s %8s %9s\n", "model",
                    "batch", "graphs", "tf32", "splitK", "small", "epoch ms", "images/s",
                    "bound ms", "ratio", "gemm ms",
                    "ratio", "accuracy");
        const std::vector<Row> rows = {
            {"100,100", 100, true, false, true, true},
            {"100,100", 100, false, false, true, true},
            {"100,100", 100, true, false, false, true},
            {"100,100", 100, true, false, true, false},
            {"1000,1000", 128, true, false, true, true},
            {"1000,1000", 128, false, false, true, true},
            {"1000,1000", 128, true, false, false, true},
            {"1000,1000", 128, true, false, true, false},
            {"1000,1000", 128, true, true, true, true},
        };
        for (const Row& r : rows) {
            if (!only.empty() && r.model != only) continue;
            TrainConfig c;
            c.arch = parseArchitecture(r.model, 784, 10);
            c.batchSize = r.batch;
            c.seed = 1;
            auto backend = cuda(r.graphs, r.tf32, r.splitK, r.small);
            Trainer trainer(*backend, data, c);
            trainer.trainEpoch(); // warm-up: graph capture, cuBLAS heuristics, clocks
            std::vector<double> times;
            for (int e = 0; e < epochs; ++e) times.push_back(trainer.trainEpoch().seconds);
            const double epoch = median(times);
            const Evaluation test = trainer.evaluateTest();
            double flops = 0;
            const auto gemms = epochGemms(c.arch, data.train.count, r.batch, &flops);
            const double bound = flops / (r.tf32 ? peakTf32 : peak);
            const double gemmOnly = gemmOnlySeconds(gemms, r.tf32, r.splitK, r.small);
            std::printf(
                "%-18s %5d %6s %5s %6s %5s %10.2f %12.0f %10.2f %8.3f %10.2f %8.3f %9.4f\n",
                c.arch.toString().c_str(), r.batch, r.graphs ? "yes" : "no", r.tf32 ? "yes" : "no",
                r.splitK ? "yes" : "no", r.small ? "yes" : "no", epoch * 1e3,
                data.train.count / epoch, bound * 1e3, bound / epoch, gemmOnly * 1e3,
                gemmOnly / epoch, test.accuracy);
            std::fflush(stdout);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_gpu_train: %s\n", e.what());
        return 1;
    }
    return 0;
}
