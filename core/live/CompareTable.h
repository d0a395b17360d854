#pragma once
// Compared runs side by side as text cells (issue 17): one row per run with its id, name, every
// parameter any run has (those whose value differs between runs noted) and each metric's last,
// min and max with the step where the min and max came. `labbench runs compare` prints it and the
// compare view exports it, so the CSV is the same from both. Also the metric series as CSV.
#include "core/live/CompareModel.h"

#include <QByteArray>
#include <QSet>
#include <QStringList>

namespace lb {

struct MetricBuffers;

struct CompareTable {
    QStringList params;   // every parameter any run has, in first-seen order
    QSet<QString> differ; // those whose value is not the same in every run (or missing in one)
    QStringList metrics;  // every metric any run has (or only the asked ones), sorted
    QStringList header;   // run, name, each parameter, each metric's .last/.min/.max
    QList<QStringList> rows;
};

// `onlyMetrics` empty: every metric.
CompareTable compareTable(const CompareData& data, const QStringList& onlyMetrics = {});

// RFC 4180 CSV: a header line, then one line per row.
QByteArray toCsv(const QStringList& header, const QList<QStringList>& rows);

// Every point of the runs' metrics as the feed holds them: "run,metric,step,time,value", by
// run, then metric, then logged order. The caller holds buffers.mutex.
QByteArray metricSeriesCsv(const MetricBuffers& buffers, const QStringList& runIds);

} // namespace lb
