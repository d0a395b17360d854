#pragma once
// One metric of one run, held in full for live charts: the history by step with its min/max
// pyramid, the wall times, and on demand a second pyramid for the current view (x = time,
// and/or exponentially smoothed values), kept up to date as points arrive.

#include "core/live/MinMaxPyramid.h"

#include <vector>

namespace lb {

class MetricSeriesBuffer {
public:
    enum class XAxis { Step, Time };

    void append(std::int64_t step, double value, double time);
    std::size_t size() const { return byStep_.size(); }

    double step(std::size_t i) const { return byStep_.x(i); }
    double value(std::size_t i) const { return byStep_.y(i); }
    double time(std::size_t i) const { return times_[i]; }

    // Chooses what view() holds. smoothing in [0, 1): TensorBoard's debiased EMA weight.
    void setView(XAxis axis, double smoothing);
    XAxis axis() const { return axis_; }
    double smoothing() const { return smoothing_; }
    // The series as charted (x per the axis, y raw or smoothed), decimated from here.
    const MinMaxPyramid& view() const { return derived_ ? derivedPyramid_ : byStep_; }

    // Index of the point whose charted x is nearest `x` (for hover read-outs); size() if empty.
    std::size_t nearest(double x) const;

    std::size_t memoryBytes() const;

private:
    void appendDerived(std::size_t i);
    MinMaxPyramid byStep_;
    std::vector<double> times_;
    XAxis axis_ = XAxis::Step;
    double smoothing_ = 0;
    bool derived_ = false;
    MinMaxPyramid derivedPyramid_;
    double ema_ = 0;
    double emaWeightSum_ = 0;
};

} // namespace lb
