// One line of a run's metric stream (metrics.jsonl), which any script writes. parseMetricLine
// never throws, so any exception is a finding.
#include "core/lifecycle/MetricLine.h"
#include "tests/fuzz/FuzzInput.h"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    lb::MetricLine out;
    lb::parseMetricLine(line, out);
    if (out.kind == lb::MetricLine::Kind::Metric &&
        (out.name.empty() || out.step < -1 || out.step > (std::int64_t(1) << 53)))
        __builtin_trap(); // the store relies on a name and a step of -1 or 0..2^53
    return 0;
}
