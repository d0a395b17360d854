// Every matrix product of one training step of an MLP, one shape at a time, on ONE thread: our
// kernel (sgemmSimd, the widest instruction set the CPU has) against OpenBLAS's sgemm, in
// alternating bursts inside one process, so a noisy neighbour slows both sides alike. Prints one
// JSON line per shape: GFLOP/s of each (median of the bursts) and their ratio. This is the tool
// the kernel is tuned with (issue 22); run_bench.py measures whole epochs.
// With a thread count, each product is cut as CpuBackend::gemm cuts it for that many threads (by
// columns when n > m, else by rows) and one thread's part is timed. (The trainer's fused weight
// step cuts dW by rows into blocks instead: CpuBackend::linearWeightStep.)
//   labbench-train-gemm-shapes 784,1000,1000,10 128 [bursts] [threads]

#include "bench/train/BenchSupport.h"
#include "core/train/Gemm.h"

#include <algorithm>
#include <cblas.h>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern "C" void openblas_set_num_threads(int);

namespace {

using lb::bench::now;

struct Product {
    const char* role; // fwd, dW, dX: which of the step's products
    bool transA, transB;
    int m, n, k;
};

// One thread's part of a product split `threads` ways, as CpuBackend::splitProduct cuts it
// (whole register tiles, the bigger operand's dimension).
Product threadPart(Product p, int threads, lb::train::GemmTile tile) {
    if (threads <= 1 || double(p.m) * p.n * p.k < 200'000 || (p.m < 16 && p.n < 64)) return p;
    if (p.n > p.m && p.n >= 64)
        p.n = ((p.n + threads - 1) / threads + tile.cols - 1) / tile.cols * tile.cols;
    else
        p.m = ((p.m + threads - 1) / threads + tile.rows - 1) / tile.rows * tile.rows;
    return p;
}

// The trainer's products for one layer of `in` -> `out` at batch B (Mlp.cpp's order and
// transposes): forward X W, weight gradient X^T dY, input gradient dY W^T.
std::vector<Product> stepProducts(const std::vector<int>& sizes, int batch) {
    std::vector<Product> out;
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
        const int in = sizes[l], width = sizes[l + 1];
        out.push_back({"fwd", false, false, batch, width, in});
        out.push_back({"dW", true, false, in, width, batch});
        if (l > 0) out.push_back({"dX", false, true, batch, in, width});
    }
    return out;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s SIZES(784,1000,1000,10) BATCH [bursts] [threads]\n", argv[0]);
        return 2;
    }
    const std::vector<int> sizes = lb::bench::layerSizes(argv[1]);
    const int batch = std::atoi(argv[2]);
    const int bursts = argc > 3 ? std::atoi(argv[3]) : 21;
    const int threads = argc > 4 ? std::atoi(argv[4]) : 1;
    const lb::train::GemmIsa isa = lb::train::bestGemmIsa();
    if (isa == lb::train::GemmIsa::None) {
        std::fprintf(stderr, "this CPU has neither AVX2+FMA nor AVX-512: no kernel of ours to time\n");
        return 1;
    }
    openblas_set_num_threads(1);
    for (const Product& whole : stepProducts(sizes, batch)) {
        const Product p = threadPart(whole, threads, lb::train::gemmTile(isa));
        // Stored shapes: op(A) is m x k, op(B) is k x n; a part reads them with the whole
        // product's leading dimensions, as in the trainer.
        const int lda = whole.transA ? whole.m : whole.k, ldb = whole.transB ? whole.k : whole.n;
        std::vector<float> a(std::size_t(whole.m) * whole.k), b(std::size_t(whole.k) * whole.n),
            c(std::size_t(whole.m) * whole.n);
        for (std::size_t i = 0; i < a.size(); ++i) a[i] = float(i % 17) * 0.01f;
        for (std::size_t i = 0; i < b.size(); ++i) b[i] = float(i % 13) * 0.01f;
        const double flop = 2.0 * p.m * p.n * p.k;
        // A burst is ~20 ms of work, so timer and scheduling noise stay small.
        const int calls = std::max(1, int(2e-2 * 100e9 / flop));
        auto ours = [&] {
            lb::train::sgemmSimd(isa, p.transA, p.transB, p.m, p.n, p.k, 1.0f, a.data(), lda,
                                 b.data(), ldb, 0.0f, c.data(), whole.n);
        };
        auto blas = [&] {
            cblas_sgemm(CblasRowMajor, p.transA ? CblasTrans : CblasNoTrans,
                        p.transB ? CblasTrans : CblasNoTrans, p.m, p.n, p.k, 1.0f, a.data(), lda,
                        b.data(), ldb, 0.0f, c.data(), whole.n);
        };
        ours();
        blas();
        std::vector<double> oursRate, blasRate;
        for (int r = 0; r < bursts; ++r) {
            double t0 = now();
            for (int i = 0; i < calls; ++i) ours();
            oursRate.push_back(flop * calls / (now() - t0) / 1e9);
            t0 = now();
            for (int i = 0; i < calls; ++i) blas();
            blasRate.push_back(flop * calls / (now() - t0) / 1e9);
        }
        const double o = median(oursRate), bl = median(blasRate);
        std::printf("{\"role\": \"%s\", \"m\": %d, \"n\": %d, \"k\": %d, \"trans\": \"%c%c\", "
                    "\"ours_gflops\": %.1f, \"openblas_gflops\": %.1f, \"ours_over_openblas\": %.3f, "
                    "\"isa\": \"%s\"}\n",
                    p.role, p.m, p.n, p.k, p.transA ? 'T' : 'N', p.transB ? 'T' : 'N', o, bl, o / bl,
                    lb::train::gemmIsaName(isa));
        std::fflush(stdout);
    }
    return 0;
}
