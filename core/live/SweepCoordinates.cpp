#include "core/live/SweepCoordinates.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lb {

namespace {

bool isLogKind(sweep::ParameterKind k) {
    using K = sweep::ParameterKind;
    return k == K::LogUniform || k == K::QLogUniform || k == K::LogNormal || k == K::QLogNormal;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

} // namespace

double ParallelAxis::position(double value) const {
    if (!std::isfinite(value)) return kNaN;
    double lo = min, hi = max, v = value;
    if (logScale) {
        if (value <= 0) return 0;
        lo = std::log(min);
        hi = std::log(max);
        v = std::log(value);
    }
    if (!(hi > lo)) return 0.5; // a single value sits in the middle
    return std::clamp((v - lo) / (hi - lo), 0.0, 1.0);
}

QString ParallelAxis::label(double position) const {
    if (categorical) {
        if (categories.isEmpty()) return {};
        const double n = static_cast<double>(categories.size() - 1);
        return categories.value(static_cast<int>(std::lround(position * n)));
    }
    double v = min + (max - min) * position;
    if (logScale && min > 0 && max > 0)
        v = std::exp(std::log(min) + (std::log(max) - std::log(min)) * position);
    return QString::number(v, 'g', 4);
}

ParallelData parallelCoordinates(const sweep::SweepSummary& summary) {
    ParallelData data;
    const auto& children = summary.children;
    for (const sweep::Parameter& p : summary.spec.parameters) {
        ParallelAxis axis;
        axis.title = p.name;
        const std::string key = toStd(p.name);
        if (p.isChoice()) {
            axis.categorical = true;
            for (const Json& c : p.choices)
                axis.categories.append(sweep::valueText(c));
        } else {
            axis.logScale = isLogKind(p.kind);
            double lo = std::numeric_limits<double>::infinity(), hi = -lo;
            for (const sweep::SweepChild& c : children) {
                if (!c.params.contains(key) || !c.params[key].is_number()) continue;
                const double v = c.params[key].get<double>();
                if (axis.logScale && v <= 0) axis.logScale = false; // a log axis cannot show it
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
            axis.min = std::isfinite(lo) ? lo : 0;
            axis.max = std::isfinite(hi) ? hi : 1;
        }
        data.axes.append(axis);
    }
    ParallelAxis metric;
    metric.title = summary.spec.primaryMetric;
    metric.metric = true;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const sweep::SweepChild& c : children)
        if (c.primaryMetric && std::isfinite(*c.primaryMetric)) {
            lo = std::min(lo, *c.primaryMetric);
            hi = std::max(hi, *c.primaryMetric);
        }
    metric.min = std::isfinite(lo) ? lo : 0;
    metric.max = std::isfinite(hi) ? hi : 1;
    data.axes.append(metric);

    for (const sweep::SweepChild& c : children) {
        ParallelLine line;
        line.runId = c.run.id;
        for (qsizetype a = 0; a + 1 < data.axes.size(); ++a) {
            const ParallelAxis& axis = data.axes[a];
            const std::string key = toStd(axis.title);
            double pos = kNaN;
            if (c.params.contains(key)) {
                const Json& v = c.params[key];
                if (axis.categorical) {
                    const qsizetype i = axis.categories.indexOf(sweep::valueText(v));
                    const qsizetype n = axis.categories.size();
                    if (i >= 0) pos = n > 1 ? double(i) / double(n - 1) : 0.5;
                } else if (v.is_number()) {
                    pos = axis.position(v.get<double>());
                }
            }
            line.positions.append(pos);
        }
        if (c.primaryMetric && std::isfinite(*c.primaryMetric)) {
            line.metric = c.primaryMetric;
            const double p = metric.position(*c.primaryMetric);
            line.positions.append(p);
            line.quality = summary.spec.maximize ? p : 1 - p;
        } else {
            line.positions.append(kNaN);
        }
        line.best = c.run.id == summary.bestId;
        data.lines.append(line);
    }
    // The best child last (drawn on top); the others keep their order.
    std::stable_partition(data.lines.begin(), data.lines.end(),
                          [](const ParallelLine& l) { return !l.best; });
    return data;
}

} // namespace lb
