#include "core/live/RunGroups.h"

#include "core/live/MetricFeed.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

namespace lb {

QList<RunGroup> groupRunsByParams(const QList<CompareRow>& rows, const QStringList& params) {
    QList<RunGroup> groups;
    if (params.isEmpty()) return groups;
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
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const RunGroup& g) { return g.label == label; });
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
            if (std::isfinite(value)) lastAtStep[step] = value;
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

namespace {

// One run's finite points as (seconds since its first point, value), in time order.
StepSeries relativeToStart(const StepSeries& series) {
    StepSeries points;
    for (const auto& [time, value] : series)
        if (std::isfinite(time) && std::isfinite(value)) points.emplace_back(time, value);
    std::stable_sort(points.begin(), points.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    if (!points.empty()) {
        const double t0 = points.front().first;
        for (auto& p : points)
            p.first -= t0;
    }
    return points;
}

// The run's value at x by linear interpolation between its neighbours; nullopt outside its span.
// At an x logged more than once, the last value logged there.
std::optional<double> valueAt(const StepSeries& points, double x) {
    if (points.empty() || x < points.front().first || x > points.back().first) return std::nullopt;
    auto after = std::upper_bound(points.begin(), points.end(), x,
                                  [](double v, const auto& p) { return v < p.first; });
    const auto& before = *(after - 1);
    if (before.first == x || after == points.end()) return before.second;
    const double w = (x - before.first) / (after->first - before.first);
    return before.second + w * (after->second - before.second);
}

} // namespace

GroupBand groupBandOverTime(const std::vector<StepSeries>& runSeries, std::size_t maxPoints) {
    std::vector<StepSeries> runs;
    std::vector<double> xs;
    double span = 0;
    for (const StepSeries& series : runSeries) {
        StepSeries points = relativeToStart(series);
        if (points.empty()) continue;
        span = std::max(span, points.back().first);
        for (const auto& p : points)
            xs.push_back(p.first);
        runs.push_back(std::move(points));
    }
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
    if (xs.size() > maxPoints && maxPoints > 1) {
        xs.resize(maxPoints);
        for (std::size_t i = 0; i < maxPoints; ++i)
            xs[i] = span * double(i) / double(maxPoints - 1);
    }
    std::vector<StepSeries> atGrid(runs.size());
    for (std::size_t r = 0; r < runs.size(); ++r)
        for (double x : xs)
            if (const auto v = valueAt(runs[r], x)) atGrid[r].emplace_back(x, *v);
    return groupBand(atGrid);
}

GroupBand groupBand(const MetricBuffers& buffers, const QString& metric, const QStringList& runIds,
                    bool overTime) {
    std::vector<StepSeries> series;
    for (const QString& run : runIds) {
        auto it = buffers.series.find({run, metric});
        if (it == buffers.series.end()) continue;
        const MetricSeriesBuffer& b = it->second.buffer;
        StepSeries points;
        points.reserve(b.size());
        for (std::size_t i = 0; i < b.size(); ++i)
            points.emplace_back(overTime ? b.time(i) : b.step(i), b.value(i));
        series.push_back(std::move(points));
    }
    return overTime ? groupBandOverTime(series) : groupBand(series);
}

} // namespace lb
