#include "core/live/AxisTicks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lb {

namespace {

// The smallest of 1, 2, 5 × 10^k at or above `raw` (raw > 0).
double niceStep(double raw) {
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= raw * (1 - 1e-12)) // a hair of tolerance: 0.3 / 3 is not quite 0.1
            return m * p;
    return 10 * p;
}

// The next nice step after `step`: 1 → 2 → 5 → 10.
double nextStep(double step) {
    const double p = std::pow(10.0, std::floor(std::log10(step) + 1e-12));
    const double m = step / p;
    return m < 1.5 ? 2 * p : m < 3.5 ? 5 * p : 10 * p;
}

} // namespace

AxisTicks niceTicks(double lo, double hi, const AxisOptions& options) {
    AxisTicks t;
    if (!std::isfinite(lo) || !std::isfinite(hi))
        return t;
    if (hi < lo)
        std::swap(lo, hi);
    if (options.nonNegative)
        lo = std::max(lo, 0.0); // a caller's padding must not reach below zero
    if (hi - lo <= std::abs(hi) * 1e-12) {
        // One value: room around it (a tenth of it, or 1 around zero), not a span of 1e-9.
        const double room = options.integer ? 1.0 : (hi != 0 ? std::abs(hi) * 0.1 : 1.0);
        lo -= room;
        hi += room;
        if (options.nonNegative)
            lo = std::max(lo, 0.0);
    }
    const int maxTicks = std::max(2, options.maxTicks);
    double step = niceStep((hi - lo) / (maxTicks - 1));
    if (options.integer)
        step = std::max(1.0, std::round(step));
    while (true) {
        t.min = std::floor(lo / step + 1e-9) * step;
        t.max = std::ceil(hi / step - 1e-9) * step;
        t.count = static_cast<int>(std::lround((t.max - t.min) / step)) + 1;
        if (t.count <= maxTicks)
            break;
        step = nextStep(step); // widening to whole ticks added one too many: a bigger step
    }
    if (t.count < 2) {
        t.max = t.min + step;
        t.count = 2;
    }
    if (options.nonNegative && t.min < 0)
        t.min = 0;
    t.min += 0.0; // -0.0 becomes 0.0: no "-0" label
    t.max += 0.0;
    t.step = step;
    t.decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
    const double biggest = std::max(std::abs(t.min), std::abs(t.max));
    t.plain = biggest < 1e9 && t.decimals <= 6;
    return t;
}

std::string tickLabelFormat(const AxisTicks& ticks) {
    return ticks.plain ? "%." + std::to_string(ticks.decimals) + "f" : std::string("%.3g");
}

std::string formatTick(double value, const AxisTicks& ticks) {
    char buffer[64];
    if (ticks.plain)
        std::snprintf(buffer, sizeof buffer, "%.*f", ticks.decimals, value);
    else
        std::snprintf(buffer, sizeof buffer, "%.3g", value);
    std::string text = buffer;
    // "-0", "-0.00": a tick at zero that rounding left signed.
    if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos)
        text.erase(0, 1);
    return text;
}

} // namespace lb
