#pragma once
// A growing (x, y) series with a min/max pyramid over it, so that "the lowest and highest point
// in each pixel column of [x0, x1]" costs O(columns · log n) however long the history grows.
// Spikes survive decimation because every column keeps its extreme points, not an average.

#include <QPointF>

#include <cstdint>
#include <vector>

namespace lb {

class MinMaxPyramid {
public:
    // Blocks of kFanout points form level 1, blocks of kFanout level-1 blocks level 2, …
    static constexpr std::size_t kFanout = 32;

    // Appends one point. x must not decrease (steps, wall time); a smaller x is clamped to the
    // last one so that lookups by x stay a binary search.
    void append(double x, double y);
    void clear();
    void reserve(std::size_t n);

    std::size_t size() const { return xs_.size(); }
    bool empty() const { return xs_.empty(); }
    double x(std::size_t i) const { return xs_[i]; }
    double y(std::size_t i) const { return ys_[i]; }
    double firstX() const { return xs_.front(); }
    double lastX() const { return xs_.back(); }
    // The extreme y over all points (0, 0 when empty).
    double minY() const { return minY_; }
    double maxY() const { return maxY_; }

    // Index of the first point with x >= value.
    std::size_t lowerBound(double value) const;

    // Indices of the lowest and highest y in [lo, hi) (lo < hi <= size()).
    void rangeMinMax(std::size_t lo, std::size_t hi, std::size_t* minIndex,
                     std::size_t* maxIndex) const;

    // Decimates [x0, x1] into `columns` equal columns: for every column that holds points, its
    // lowest and highest point in logged order (one point if they coincide), plus the nearest
    // point outside each edge so the line runs to the border. At most 2 · columns + 2 points.
    // With `positiveOnly`, points with y <= 0 are dropped (for a log axis).
    void decimate(double x0, double x1, int columns, std::vector<QPointF>& out,
                  bool positiveOnly = false) const;

    // Bytes held by the series and its pyramid.
    std::size_t memoryBytes() const;

private:
    struct Block {
        std::uint32_t minIndex;
        std::uint32_t maxIndex;
    };
    void considerIndex(std::size_t i, std::size_t* mn, std::size_t* mx) const;
    void grow(std::size_t level);

    std::vector<double> xs_;
    std::vector<float> ys_; // float: a chart needs no more, and it keeps 1e7 points at 120 MB
    std::vector<std::vector<Block>> levels_; // levels_[0] is pyramid level 1
    double minY_ = 0, maxY_ = 0;
};

} // namespace lb
