#include "core/live/MetricSeriesBuffer.h"

#include <algorithm>
#include <cmath>

namespace lb {

void MetricSeriesBuffer::append(std::int64_t step, double value, double time) {
    byStep_.append(static_cast<double>(step), value);
    times_.push_back(time);
    if (derived_)
        appendDerived(size() - 1);
}

void MetricSeriesBuffer::appendDerived(std::size_t i) {
    double y = byStep_.y(i);
    if (smoothing_ > 0 && std::isfinite(y)) {
        // Debiased EMA, as TensorBoard smooths: early points are not pulled towards zero.
        ema_ = ema_ * smoothing_ + (1 - smoothing_) * y;
        emaWeightSum_ = emaWeightSum_ * smoothing_ + (1 - smoothing_);
        y = ema_ / emaWeightSum_;
    }
    derivedPyramid_.append(axis_ == XAxis::Time ? times_[i] : byStep_.x(i), y);
}

void MetricSeriesBuffer::setView(XAxis axis, double smoothing) {
    smoothing = std::clamp(smoothing, 0.0, 0.999);
    if (axis == axis_ && smoothing == smoothing_)
        return;
    axis_ = axis;
    smoothing_ = smoothing;
    derived_ = axis_ != XAxis::Step || smoothing_ > 0;
    derivedPyramid_.clear();
    ema_ = emaWeightSum_ = 0;
    if (!derived_)
        return;
    derivedPyramid_.reserve(size());
    for (std::size_t i = 0; i < size(); ++i)
        appendDerived(i);
}

std::size_t MetricSeriesBuffer::nearest(double x) const {
    const MinMaxPyramid& v = view();
    if (v.empty())
        return size();
    const std::size_t i = v.lowerBound(x);
    if (i == 0)
        return 0;
    if (i >= v.size())
        return v.size() - 1;
    return (x - v.x(i - 1) <= v.x(i) - x) ? i - 1 : i;
}

std::size_t MetricSeriesBuffer::memoryBytes() const {
    return byStep_.memoryBytes() + times_.capacity() * sizeof(double) +
           (derived_ ? derivedPyramid_.memoryBytes() : 0);
}

} // namespace lb
