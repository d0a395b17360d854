#pragma once
// The values of the runs-table benchmark (issue 17 item 6): 10,000 runs x 20 parameters x
// 10 metrics x 100 steps = 10 M metric points. Every value is a function of (run, key, step)
// written with integer arithmetic and the four IEEE operations only, so mlflow_side.py computes
// the same doubles bit for bit and both stores hold the same workspace.
#include <array>
#include <cstdint>
#include <cstdio>
#include <string>

namespace lbbench {

constexpr int kRuns = 10000;
constexpr int kParams = 20;
constexpr int kMetrics = 10;
constexpr int kSteps = 100;
constexpr std::int64_t kStartSecs = 1764547200; // 2025-12-01T00:00:00Z; run i starts i minutes later

inline const std::array<const char*, kMetrics> kMetricNames = {
    "loss", "accuracy", "val_loss", "val_accuracy", "lr_now", "grad_norm", "throughput", "m7", "m8", "m9"};

// A number in [0, 1) from (run, salt): the same integer hash as mlflow_side.py's frac().
inline double frac(std::int64_t run, std::int64_t salt) {
    const std::uint64_t h = (std::uint64_t(run) * 2654435761u + std::uint64_t(salt) * 40503u) % 1000003u;
    return double(h) / 1000003.0;
}

inline std::string paramName(int k) {
    static const std::array<const char*, 4> named = {"lr", "batch_size", "optimizer", "seed"};
    return k < 4 ? named[size_t(k)] : "p" + std::to_string(k);
}

inline std::string paramValue(int run, int k) {
    static const std::array<const char*, 5> lrs = {"0.1", "0.03", "0.01", "0.003", "0.001"};
    static const std::array<const char*, 4> batches = {"32", "64", "128", "256"};
    static const std::array<const char*, 3> optimizers = {"adam", "sgd", "adamw"};
    switch (k) {
    case 0: return lrs[size_t(run % 5)];
    case 1: return batches[size_t(run / 5 % 4)];
    case 2: return optimizers[size_t(run / 20 % 3)];
    case 3: return std::to_string(run % 7);
    default: return std::to_string((std::uint64_t(run) * 2654435761u * std::uint64_t(k + 3)) % 1000u);
    }
}

// Metric m of run `run` at `step`: losses fall, accuracies rise towards a per-run plateau.
inline double metricValue(int run, int m, int step) {
    const double q = frac(run, m + 1);
    const double s = double(step);
    if (m % 2 == 0)
        return q + 1.0 / (s + 1.0);
    return q * (s + 1.0) / (s + 10.0);
}

inline std::string runId(int run) {
    char id[16];
    std::snprintf(id, sizeof id, "b%05d", run);
    return id;
}

inline std::string stageTag(int run) { return run % 2 ? "tuned" : "baseline"; }

} // namespace lbbench
