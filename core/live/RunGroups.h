#pragma once
// Grouping compared runs by parameters (issue 17): runs whose chosen parameters hold the same
// values form a group (typically the seeds of one configuration), and each metric of a group is
// summarised step by step as the mean and standard deviation over the group's runs: the band
// the compare charts draw, which W&B has and MLflow and TensorBoard lack.
#include "core/live/CompareModel.h"

#include <QStringList>
#include <utility>
#include <vector>

namespace lb {

struct MetricBuffers;

struct RunGroup {
    QString label;      // "--lr=0.1, --batch=32"; a parameter a run lacks shows as "(none)"
    QStringList runIds; // in the order the rows came
};

// The groups of `rows` by the values of `params` (names as CompareRow::params has them), in the
// order each group's first run came. No params: no groups.
QList<RunGroup> groupRunsByParams(const QList<CompareRow>& rows, const QStringList& params);

// One metric of one group: at each step any run logged, the mean over the runs that logged it
// and the sample standard deviation (n - 1 in the denominator; 0 when one run has the step).
// NaN and infinite values are left out; a step logged twice in a run counts its last value.
struct GroupBand {
    std::vector<double> steps, mean, stddev; // steps: each point's x (seconds on a time axis)
    std::vector<int> runs;                   // how many runs the step's numbers come from
};

using StepSeries = std::vector<std::pair<double, double>>; // (step, value) as logged
GroupBand groupBand(const std::vector<StepSeries>& runSeries);

// The band on a time axis: x is seconds since each run's own first point (seeds of a group
// rarely start at the same moment, and often run one after another). Runs log at different
// moments, so each run's values are interpolated linearly onto the group's x values: every x any
// run logged at, or `maxPoints` even x values when there are more. A run counts at x only inside
// its own span. `runSeries` holds (wall time, value) pairs in time order.
GroupBand groupBandOverTime(const std::vector<StepSeries>& runSeries, std::size_t maxPoints = 2000);

// The same over a metric feed's buffers (raw values by step, or by time since each run's first
// point with `overTime`); the caller holds buffers.mutex.
GroupBand groupBand(const MetricBuffers& buffers, const QString& metric, const QStringList& runIds,
                    bool overTime = false);

} // namespace lb
