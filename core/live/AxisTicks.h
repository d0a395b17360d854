#pragma once
// Axis ticks that read at a glance (#23 item 5): ranges that end on ticks at 1, 2 or 5 × 10^k,
// whole-number ticks on integer axes (steps, epochs: never "1.24, 1.48"), no negative range for
// a series that is never negative, and plain numbers ("126000", "0.25") wherever they fit
// instead of "1.26e+05". Plain C++ with no Qt, so the maths is tested on its own.

#include <string>

namespace lb {

struct AxisOptions {
    int maxTicks = 6;         // at most this many ticks, ends included (at least 2)
    bool integer = false;     // the values are whole numbers: ticks are too
    bool nonNegative = false; // the values are never negative: the range starts at 0 or above
};

struct AxisTicks {
    double min = 0, max = 1; // the range: multiples of step that hold the values
    double step = 1;         // 1, 2 or 5 × 10^k; a whole number on integer axes
    int count = 2;           // ticks from min to max, both included
    int decimals = 0;        // digits after the point that tell the ticks apart
    bool plain = true;       // fixed notation fits (no exponent)
};

// The nicest range holding [lo, hi]. An empty or one-value range gets room around the value;
// infinities and NaNs give the default [0, 1].
AxisTicks niceTicks(double lo, double hi, const AxisOptions& options = {});

// A printf format for the ticks' labels, as Qt Charts' QValueAxis takes it ("%.2f", "%.3g").
std::string tickLabelFormat(const AxisTicks& ticks);

// One tick's label in that format ("0" rather than "-0").
std::string formatTick(double value, const AxisTicks& ticks);

} // namespace lb
