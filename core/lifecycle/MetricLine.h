#pragma once
// Parsing one line of a run's metric stream (metrics.jsonl). The common shape
//   {"name": "loss", "value": 0.25, "step": 3, "time": 1700000000.5}
// takes a hand-written path with no allocation beyond the name; anything else (escapes, other
// keys, "type" records) falls back to a full JSON parse.

#include <QString>

#include <cstdint>
#include <string>
#include <string_view>

namespace lb {

struct MetricLine {
    // Checkpoint and Attempt: the markers of the attempt contract (core/store/RunAttempts.h).
    enum class Kind { Metric, Tag, Ignored, Invalid, Checkpoint, Attempt };
    Kind kind = Kind::Invalid;
    std::string name;     // metric name, tag key, checkpoint path, or attempt reason
    double value = 0;     // metric value
    std::int64_t step = -1; // -1: not given (the store assigns the next step); else 0..2^53
    double time = 0;      // 0: not given
    QString tagValue;
    QString error;        // why an Invalid line was rejected
};

// Parses `line` (without its newline) into `out`. Never throws. A value may be a number or one of
// "NaN", "Infinity", "-Infinity" (bare, as Python writes them, or as strings, as Labbench's JSON
// does); a step that is not a whole number from 0 to 2^53 makes the line Invalid (#25).
void parseMetricLine(std::string_view line, MetricLine& out);

// The fast path alone: true when `line` has exactly the common shape; exposed for tests.
bool parseMetricLineFast(std::string_view line, MetricLine& out);

} // namespace lb
