// The sgemm-only bound of one training epoch: the matrix products of every step (forward,
// weight gradients, input gradients) for an MLP and batch size, and nothing else, timed two
// ways: plain cblas_sgemm calls with OpenBLAS's own threads (what a framework does), and
// through CpuBackend::gemm (its row or column split over our pool; our kernel by default on
// AVX-512, OpenBLAS elsewhere; LABBENCH_TRAIN_GEMM=own or =openblas picks). Prints seconds per
// epoch as one JSON line.
//   labbench-train-sgemm-bound 784,100,100,10 100 [threads] [epochs]

#include "bench/train/BenchSupport.h"
#include "core/train/CpuBackend.h"

#include <algorithm>
#include <cblas.h>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern "C" void openblas_set_num_threads(int);

namespace {

using lb::bench::now;

struct Shapes {
    std::vector<int> sizes;
    int batch;
};

// The gemm calls of one step, in the order the trainer issues them; gemm(ta, tb, m, n, k, ...)
template <typename Gemm>
void stepGemms(const Shapes& s, std::vector<std::vector<float>>& bufs, Gemm&& gemm) {
    const int L = int(s.sizes.size()) - 1, B = s.batch;
    // bufs: [act0..actL] (B, size), [W0..W(L-1)], [dW..], scratch
    auto act = [&](int l) { return bufs[l].data(); };
    auto W = [&](int l) { return bufs[L + 1 + l].data(); };
    auto dW = [&](int l) { return bufs[2 * L + 1 + l].data(); };
    float* scratch = bufs[3 * L + 1].data();
    for (int l = 0; l < L; ++l)
        gemm(false, false, B, s.sizes[l + 1], s.sizes[l], act(l), s.sizes[l], W(l), s.sizes[l + 1],
             act(l + 1), s.sizes[l + 1]);
    for (int l = L - 1; l >= 0; --l) {
        gemm(true, false, s.sizes[l], s.sizes[l + 1], B, act(l), s.sizes[l], act(l + 1),
             s.sizes[l + 1], dW(l), s.sizes[l + 1]);
        if (l > 0)
            gemm(false, true, B, s.sizes[l], s.sizes[l + 1], act(l + 1), s.sizes[l + 1], W(l),
                 s.sizes[l + 1], scratch, s.sizes[l]);
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s SIZES(784,100,100,10) BATCH [threads] [epochs]\n", argv[0]);
        return 2;
    }
    Shapes s;
    s.sizes = lb::bench::layerSizes(argv[1]);
    s.batch = std::atoi(argv[2]);
    const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
    const int epochs = argc > 4 ? std::atoi(argv[4]) : 3;
    const int L = int(s.sizes.size()) - 1;
    const int steps = (60000 + s.batch - 1) / s.batch;
    const int widest = *std::max_element(s.sizes.begin(), s.sizes.end());
    std::vector<std::vector<float>> bufs;
    for (int l = 0; l <= L; ++l)
        bufs.emplace_back(std::size_t(s.batch) * s.sizes[l], 0.01f);
    for (int r = 0; r < 2; ++r)
        for (int l = 0; l < L; ++l)
            bufs.emplace_back(std::size_t(s.sizes[l]) * s.sizes[l + 1], 0.01f);
    bufs.emplace_back(std::size_t(s.batch) * widest, 0.0f);

    double flops = 0;
    stepGemms(s, bufs, [&](bool, bool, int m, int n, int k, auto...) { flops += 2.0 * m * n * k; });

    auto timeEpochs = [&](auto&& gemm) {
        std::vector<double> times;
        for (int e = 0; e < epochs; ++e) {
            const double t0 = now();
            for (int i = 0; i < steps; ++i)
                stepGemms(s, bufs, gemm);
            times.push_back(now() - t0);
        }
        std::sort(times.begin(), times.end());
        return times[times.size() / 2];
    };

    openblas_set_num_threads(threads);
    const double plain = timeEpochs([](bool ta, bool tb, int m, int n, int k, const float* a,
                                       int lda, const float* b, int ldb, float* c, int ldc) {
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                    m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
    });
    lb::train::CpuBackend backend(threads);
    const double split = timeEpochs([&](bool ta, bool tb, int m, int n, int k, const float* a,
                                        int lda, const float* b, int ldb, float* c, int ldc) {
        backend.gemm(ta ? lb::train::Trans::Yes : lb::train::Trans::No,
                     tb ? lb::train::Trans::Yes : lb::train::Trans::No, m, n, k, 1.0f, a, lda, b,
                     ldb, 0.0f, c, ldc);
    });
    const double epochFlops = flops * steps;
    std::printf("{\"sizes\": \"%s\", \"batch\": %d, \"threads\": %d, \"gflop_per_epoch\": %.3f, "
                "\"sgemm_openblas_s\": %.4f, \"backend_gemm_s\": %.4f, \"backend\": \"%s\"}\n",
                argv[1], s.batch, threads, epochFlops / 1e9, plain, split,
                backend.describe().c_str());
    return 0;
}
