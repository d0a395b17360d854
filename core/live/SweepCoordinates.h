#pragma once
// The numbers behind a sweep's parallel-coordinates view: one axis per parameter plus the
// primary metric, and one polyline per child with its position on each axis in [0, 1] (0 at the
// bottom). Choices are evenly spaced categories; log-distributed parameters use a log axis;
// the metric axis spans the values reported. The view only paints what this computes.

#include "core/sweep/Sweep.h"

#include <QList>
#include <QStringList>

namespace lb {

struct ParallelAxis {
    QString title;
    bool categorical = false;
    QStringList categories; // bottom to top, when categorical
    bool logScale = false;
    double min = 0, max = 0; // the data's range, when numeric
    bool metric = false;     // the last axis
    // Position in [0, 1] for an axis value (numeric axes only).
    double position(double value) const;
    // Labels for the bottom and top of a numeric axis, or the categories.
    QString label(double position) const;
};

struct ParallelLine {
    QString runId;
    QList<double> positions; // one per axis; NaN where the child has no value
    std::optional<double> metric;
    double quality = -1; // 0 (worst) … 1 (best) by the primary metric; -1 without one
    bool best = false;
};

struct ParallelData {
    QList<ParallelAxis> axes;
    QList<ParallelLine> lines; // the best child last, so it is drawn on top
};

ParallelData parallelCoordinates(const sweep::SweepSummary& summary);

} // namespace lb
