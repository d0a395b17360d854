// The machine's FP32 arithmetic peak, measured: every thread runs a loop of nothing but fused
// multiply-adds on the widest vectors the CPU has (AVX-512 where present, else AVX2+FMA), with
// enough independent chains to cover the FMA latency on every FMA port. The trainer benchmark
// runs it in the same run as the trainer and reports the trainer's efficiency against it
// (issue 22): a datasheet peak would ignore the clock this shared, virtualised machine really
// gives under an all-core vector load.
//   labbench-train-fma-peak [threads] [seconds]      prints one JSON line

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <immintrin.h>
#include <string>
#include <thread>
#include <vector>

namespace {

double now() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// 12 chains: FMA latency 4 cycles x 2 ports needs 8 in flight; 12 leaves slack and still fits
// the 16 AVX2 registers with the two multiplicands.
constexpr int kChains = 12;
constexpr long kInner = 1 << 14; // FMAs per chain between clock reads

// Each returns the FLOPs done (2 per lane per FMA) and writes a sum so nothing is optimised away.
__attribute__((target("avx512f"))) double loopAvx512(double seconds, float* sink) {
    __m512 acc[kChains];
    for (int i = 0; i < kChains; ++i)
        acc[i] = _mm512_set1_ps(float(i) * 1e-3f);
    const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
    long rounds = 0;
    const double end = now() + seconds;
    do {
        for (long k = 0; k < kInner; ++k) {
#pragma GCC unroll 12
            for (int i = 0; i < kChains; ++i)
                acc[i] = _mm512_fmadd_ps(acc[i], a, b);
        }
        ++rounds;
    } while (now() < end);
    __m512 s = acc[0];
    for (int i = 1; i < kChains; ++i)
        s = _mm512_add_ps(s, acc[i]);
    // A store, not _mm512_reduce_add_ps: GCC 12 warns about the latter's undefined vectors.
    alignas(64) float lanes[16];
    _mm512_store_ps(lanes, s);
    float total = 0;
    for (float v : lanes)
        total += v;
    *sink = total;
    return double(rounds) * kInner * kChains * 16 * 2;
}

__attribute__((target("avx2,fma"))) double loopAvx2(double seconds, float* sink) {
    __m256 acc[kChains];
    for (int i = 0; i < kChains; ++i)
        acc[i] = _mm256_set1_ps(float(i) * 1e-3f);
    const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
    long rounds = 0;
    const double end = now() + seconds;
    do {
        for (long k = 0; k < kInner; ++k) {
#pragma GCC unroll 12
            for (int i = 0; i < kChains; ++i)
                acc[i] = _mm256_fmadd_ps(acc[i], a, b);
        }
        ++rounds;
    } while (now() < end);
    __m256 s = acc[0];
    for (int i = 1; i < kChains; ++i)
        s = _mm256_add_ps(s, acc[i]);
    alignas(32) float lanes[8];
    _mm256_store_ps(lanes, s);
    float total = 0;
    for (float v : lanes)
        total += v;
    *sink = total;
    return double(rounds) * kInner * kChains * 8 * 2;
}

} // namespace

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    const double seconds = argc > 2 ? std::atof(argv[2]) : 1.0;
    if (threads < 1 || seconds <= 0) {
        std::fprintf(stderr, "usage: %s [threads>=1] [seconds>0]\n", argv[0]);
        return 2;
    }
    const bool avx512 = __builtin_cpu_supports("avx512f");
    if (!avx512 && !(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) {
        std::fprintf(stderr, "%s: this CPU has neither AVX-512F nor AVX2+FMA\n", argv[0]);
        return 1;
    }
    std::vector<double> flops(threads);
    std::vector<float> sinks(threads);
    std::atomic<int> ready{0};
    std::vector<std::thread> pool;
    double start = 0, stop = 0;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            // Start together, so the per-thread rates are those of a full machine.
            ready.fetch_add(1);
            while (ready.load() < threads) {
            }
            flops[t] = avx512 ? loopAvx512(seconds, &sinks[t]) : loopAvx2(seconds, &sinks[t]);
        });
    }
    start = now();
    for (auto& th : pool)
        th.join();
    stop = now();
    double total = 0;
    for (double f : flops)
        total += f;
    float sink = 0;
    for (float s : sinks)
        sink += s;
    std::printf("{\"isa\": \"%s\", \"threads\": %d, \"gflops\": %.2f, \"gflops_per_thread\": %.2f, "
                "\"sink\": %g}\n",
                avx512 ? "avx512f" : "avx2+fma", threads, total / (stop - start) / 1e9,
                total / (stop - start) / 1e9 / threads, double(sink));
    return 0;
}
