#include "core/live/MinMaxPyramid.h"

#include <algorithm>
#include <cmath>

namespace lb {

void MinMaxPyramid::append(double x, double y) {
    if (!xs_.empty() && x < xs_.back())
        x = xs_.back();
    if (xs_.empty()) {
        minY_ = maxY_ = y;
    } else {
        minY_ = std::min(minY_, y);
        maxY_ = std::max(maxY_, y);
    }
    xs_.push_back(x);
    ys_.push_back(static_cast<float>(y));
    if (xs_.size() % kFanout == 0)
        grow(0);
}

// Level `level`'s element count just reached a multiple of kFanout: summarise the last kFanout
// elements into one block of the next level, and cascade.
void MinMaxPyramid::grow(std::size_t level) {
    if (levels_.size() <= level)
        levels_.emplace_back();
    const std::size_t count = level == 0 ? xs_.size() : levels_[level - 1].size();
    const std::size_t first = count - kFanout;
    std::size_t mn = 0, mx = 0;
    bool any = false;
    for (std::size_t i = first; i < count; ++i) {
        std::size_t a, b;
        if (level == 0) {
            a = b = i;
        } else {
            a = levels_[level - 1][i].minIndex;
            b = levels_[level - 1][i].maxIndex;
        }
        if (!any || ys_[a] < ys_[mn])
            mn = a;
        if (!any || ys_[b] > ys_[mx])
            mx = b;
        any = true;
    }
    levels_[level].push_back({static_cast<std::uint32_t>(mn), static_cast<std::uint32_t>(mx)});
    if (levels_[level].size() % kFanout == 0)
        grow(level + 1);
}

void MinMaxPyramid::clear() {
    xs_.clear();
    ys_.clear();
    levels_.clear();
    minY_ = maxY_ = 0;
}

void MinMaxPyramid::reserve(std::size_t n) {
    xs_.reserve(n);
    ys_.reserve(n);
}

std::size_t MinMaxPyramid::lowerBound(double value) const {
    return static_cast<std::size_t>(std::lower_bound(xs_.begin(), xs_.end(), value) - xs_.begin());
}

void MinMaxPyramid::considerIndex(std::size_t i, std::size_t* mn, std::size_t* mx) const {
    if (ys_[i] < ys_[*mn])
        *mn = i;
    if (ys_[i] > ys_[*mx])
        *mx = i;
}

void MinMaxPyramid::rangeMinMax(std::size_t lo, std::size_t hi, std::size_t* minIndex,
                                std::size_t* maxIndex) const {
    *minIndex = *maxIndex = lo;
    // Walk up: peel unaligned elements off both ends at this level, then continue with whole
    // blocks one level up. Only complete blocks exist, and an aligned `hi` covers only those.
    std::size_t level = 0;
    while (lo < hi) {
        const bool canClimb = level < levels_.size() && hi - lo >= 2 * kFanout;
        if (!canClimb) {
            for (std::size_t i = lo; i < hi; ++i) {
                if (level == 0) {
                    considerIndex(i, minIndex, maxIndex);
                } else {
                    considerIndex(levels_[level - 1][i].minIndex, minIndex, maxIndex);
                    considerIndex(levels_[level - 1][i].maxIndex, minIndex, maxIndex);
                }
            }
            break;
        }
        auto take = [&](std::size_t i) {
            if (level == 0) {
                considerIndex(i, minIndex, maxIndex);
            } else {
                considerIndex(levels_[level - 1][i].minIndex, minIndex, maxIndex);
                considerIndex(levels_[level - 1][i].maxIndex, minIndex, maxIndex);
            }
        };
        while (lo % kFanout != 0 && lo < hi)
            take(lo++);
        while (hi % kFanout != 0 && lo < hi)
            take(--hi);
        lo /= kFanout;
        hi /= kFanout;
        ++level;
        // Blocks at the new level may not all exist yet (the newest is still filling).
        if (hi > levels_[level - 1].size()) {
            // Cannot happen with aligned hi <= count, kept as a guard against misuse.
            hi = levels_[level - 1].size();
        }
    }
}

void MinMaxPyramid::decimate(double x0, double x1, int columns, std::vector<QPointF>& out,
                             bool positiveOnly) const {
    out.clear();
    if (xs_.empty() || columns <= 0 || !(x1 >= x0))
        return;
    auto push = [&](std::size_t i) {
        if (positiveOnly && !(ys_[i] > 0))
            return;
        out.emplace_back(xs_[i], ys_[i]);
    };
    const std::size_t begin = lowerBound(x0);
    const std::size_t end = static_cast<std::size_t>(
        std::upper_bound(xs_.begin(), xs_.end(), x1) - xs_.begin());
    if (begin > 0)
        push(begin - 1);
    const double width = (x1 - x0) / columns;
    std::size_t lo = begin;
    for (int c = 0; c < columns && lo < end; ++c) {
        std::size_t hi = end;
        if (c + 1 < columns && width > 0) {
            const double edge = x0 + width * (c + 1);
            hi = std::max(lo, std::min(end, lowerBound(edge)));
        }
        if (hi > lo) {
            std::size_t mn, mx;
            rangeMinMax(lo, hi, &mn, &mx);
            push(std::min(mn, mx));
            if (mx != mn)
                push(std::max(mn, mx));
        }
        lo = hi;
    }
    if (end < xs_.size())
        push(end);
}

std::size_t MinMaxPyramid::memoryBytes() const {
    std::size_t bytes = xs_.capacity() * sizeof(double) + ys_.capacity() * sizeof(float);
    for (const auto& level : levels_)
        bytes += level.capacity() * sizeof(Block);
    return bytes;
}

} // namespace lb
