// MetricRepository::summaries: last/min/max of each metric from the series summaries that
// append keeps (issue 17), and the steps where they came from the points.
#include "core/store/Database.h"
#include "core/store/Repositories.h"

namespace lb {

QList<MetricSummary> MetricRepository::summaries(const QString& runId) {
    Statement series(db_, "SELECT id, name, points - superseded_points, last_step, last_value, min_value, max_value FROM metric_series "
                          "WHERE run_id = ? ORDER BY name");
    Statement stepOf(db_, "SELECT step FROM metrics WHERE series_id = ? AND value = ? AND superseded = 0 "
                          "ORDER BY seq LIMIT 1");
    series.bind(1, runId);
    QList<MetricSummary> out;
    while (series.step()) {
        MetricSummary m;
        const std::int64_t id = series.int64(0);
        m.name = series.text(1);
        m.points = series.int64(2);
        m.lastStep = series.int64(3);
        m.last = series.isNull(4) ? qQNaN() : series.real(4);
        m.min = series.isNull(5) ? qQNaN() : series.real(5);
        m.max = series.isNull(6) ? qQNaN() : series.real(6);
        auto step = [&](double value) -> std::int64_t {
            if (qIsNaN(value))
                return -1;
            stepOf.bind(1, id).bind(2, value);
            const std::int64_t s = stepOf.step() ? stepOf.int64(0) : -1;
            stepOf.reset();
            return s;
        };
        m.minStep = step(m.min);
        m.maxStep = step(m.max);
        out.append(m);
    }
    return out;
}

} // namespace lb
