#pragma once
// The sweep spec: the JSON a user writes (or the GUI form builds) to tune an estimator.
//
// {"experiment": "tune",
//  "estimator": {"source_directory": "...", "entry_script": "train.py", ...},
//  "sampling": {"method": "random", "seed": 1},            grid | random | bayesian
//  "parameters": {"--batchsize": {"choice": [128, 256]}, "--lr": {"loguniform": [-6, -1]}},
//  "primary_metric": {"name": "Accuracy", "goal": "maximize"},
//  "early_termination": {"policy": "bandit", "evaluation_interval": 1, "slack_factor": 0.1,
//                        "delay_evaluation": 3},
//  "max_total_runs": 8, "max_concurrent_runs": 4, "max_duration_minutes": 60}

#include "core/estimator/Estimator.h"
#include "core/sweep/EarlyTermination.h"
#include "core/sweep/Parameter.h"

#include <QList>

#include <cstdint>
#include <optional>

namespace lb::sweep {

enum class SamplingMethod { Grid, Random, Bayesian };

struct SweepSpec {
    QString experiment;
    Estimator estimator;
    SamplingMethod sampling = SamplingMethod::Random;
    std::uint64_t seed = 0; // chosen at submit when the spec names none, then kept
    bool seedGiven = false;
    QList<Parameter> parameters; // in the spec's order
    QString primaryMetric;
    bool maximize = true;
    TerminationPolicy policy;
    int maxTotalRuns = 0;
    int maxConcurrentRuns = 0;
    std::optional<double> maxDurationMinutes;
    QString origin; // the file (or "sweep spec") it came from, for messages

    // Parses and validates a spec; a relative source_directory is taken relative to `baseDir`.
    // Errors are lb::Error naming the origin, the field and the fix.
    static SweepSpec fromJson(const Json& json, const QString& origin, const QString& baseDir);
    // Reads a spec file (JSON syntax errors with FILE:LINE:COL).
    static SweepSpec load(const QString& path);
    // Every field, so that fromJson(toJson()) gives the same spec.
    Json toJson() const;

    // The number of combinations of a grid (all parameters are choices); saturates at INT_MAX.
    long long gridSize() const;
    const Parameter* parameter(const QString& name) const;
    QString methodName() const;
};

} // namespace lb::sweep
