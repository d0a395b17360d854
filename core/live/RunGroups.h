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
    std::vector<double> steps, mean, stddev;
    std::vector<int> runs; // how many runs the step's numbers come from
};

using StepSeries = std::vector<std::pair<double, double>>; // (step, value) as logged
GroupBand groupBand(const std::vector<StepSeries>& runSeries);
// The same over a metric feed's buffers (raw values by step); the caller holds buffers.mutex.
GroupBand groupBand(const MetricBuffers& buffers, const QString& metric, const QStringList& runIds);

} // namespace lb
