#include "core/live/RunGroups.h"

#include "core/live/MetricFeed.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace lb {

QList<RunGroup> groupRunsByParams(const QList<CompareRow>& rows, const QStringList& params) {
    QList<RunGroup> groups;
    if (params.isEmpty())
        return groups;
    for (const CompareRow& row : rows) {
        QStringList parts;
        for (const QString& name : params) {
            QString value = QStringLiteral("(none)");
            for (const auto& [flag, v] : row.params) {
                if (flag == name) {
                    value = v; // the first, as the compare table shows it
                    break;
                }
            }
            parts << name + QLatin1Char('=') + value;
        }
        const QString label = parts.join(QStringLiteral(", "));
        auto it = std::find_if(groups.begin(), groups.end(), [&](const RunGroup& g) { return g.label == label; });
        if (it == groups.end())
            groups.append({label, {row.run.id}});
        else
            it->runIds << row.run.id;
    }
    return groups;
}

GroupBand groupBand(const std::vector<StepSeries>& runSeries) {
    // Per step: the runs' values (one per run: its last at that step).
    std::map<double, std::vector<double>> byStep;
    for (const StepSeries& series : runSeries) {
        std::map<double, double> lastAtStep;
        for (const auto& [step, value] : series)
            if (std::isfinite(value))
                lastAtStep[step] = value;
        for (const auto& [step, value] : lastAtStep)
            byStep[step].push_back(value);
    }
    GroupBand band;
    for (const auto& [step, values] : byStep) {
        const double n = double(values.size());
        double sum = 0;
        for (double v : values)
            sum += v;
        const double mean = sum / n;
        double squares = 0;
        for (double v : values)
            squares += (v - mean) * (v - mean);
        band.steps.push_back(step);
        band.mean.push_back(mean);
        band.stddev.push_back(values.size() > 1 ? std::sqrt(squares / (n - 1)) : 0.0);
        band.runs.push_back(int(values.size()));
    }
    return band;
}

GroupBand groupBand(const MetricBuffers& buffers, const QString& metric, const QStringList& runIds) {
    std::vector<StepSeries> series;
    for (const QString& run : runIds) {
        auto it = buffers.series.find({run, metric});
        if (it == buffers.series.end())
            continue;
        const MetricSeriesBuffer& b = it->second.buffer;
        StepSeries points;
        points.reserve(b.size());
        for (std::size_t i = 0; i < b.size(); ++i)
            points.emplace_back(b.step(i), b.value(i));
        series.push_back(std::move(points));
    }
    return groupBand(series);
}

} // namespace lb
