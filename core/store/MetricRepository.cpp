#include "core/store/Database.h"
#include "core/store/Repositories.h"

#include <QHash>

#include <cmath>
#include <optional>

namespace lb {

namespace {
struct SeriesState {
    std::int64_t id = 0;
    std::int64_t points = 0;
    std::int64_t lastStep = -1;
    // The summaries the runs table filters and sorts on; NaN never becomes a min or a max.
    std::optional<double> last, min, max;

    void add(double value) {
        last = value;
        if (std::isnan(value))
            return;
        if (!min || value < *min)
            min = value;
        if (!max || value > *max)
            max = value;
    }
};

std::optional<double> optionalReal(const Statement& s, int column) {
    return s.isNull(column) ? std::nullopt : std::optional<double>(s.real(column));
}
} // namespace

std::int64_t MetricRepository::seriesId(const QString& runId, const QString& name) {
    Statement s(db_, "SELECT id FROM metric_series WHERE run_id = ? AND name = ?");
    s.bind(1, runId).bind(2, name);
    return s.step() ? s.int64(0) : 0;
}

void MetricRepository::append(const QString& runId, const std::vector<MetricPoint>& points,
                              const QString& offsetFile, std::int64_t offsetBytes, std::int64_t offsetLines) {
    Transaction tx(db_);
    Statement findSeries(db_, "SELECT id, points, last_step, last_value, min_value, max_value FROM metric_series "
                              "WHERE run_id = ? AND name = ?");
    Statement newSeries(db_, "INSERT INTO metric_series(run_id, name) VALUES(?, ?)");
    Statement insert(db_, "INSERT INTO metrics(series_id, seq, step, value, time) VALUES(?, ?, ?, ?, ?)");
    QHash<QString, SeriesState> cache;
    for (const MetricPoint& p : points) {
        auto it = cache.find(p.name);
        if (it == cache.end()) {
            SeriesState state;
            findSeries.bind(1, runId).bind(2, p.name);
            if (findSeries.step()) {
                state = {findSeries.int64(0), findSeries.int64(1), findSeries.int64(2),
                         optionalReal(findSeries, 3), optionalReal(findSeries, 4), optionalReal(findSeries, 5)};
            } else {
                newSeries.bind(1, runId).bind(2, p.name).exec();
                state.id = db_.lastInsertId();
            }
            findSeries.reset();
            it = cache.insert(p.name, state);
        }
        // A point logged without a step takes the next one, as Azure ML's run.log does.
        const std::int64_t step = p.step >= 0 ? p.step : it->lastStep + 1;
        insert.bind(1, it->id).bind(2, it->points).bind(3, step).bind(4, p.value).bind(5, p.time).exec();
        ++it->points;
        it->lastStep = std::max(it->lastStep, step);
        it->add(p.value);
    }
    Statement update(db_, "UPDATE metric_series SET points = ?, last_step = ?, last_value = ?, min_value = ?, "
                          "max_value = ? WHERE id = ?");
    for (const SeriesState& s : cache)
        update.bind(1, s.points).bind(2, s.lastStep).bind(3, s.last).bind(4, s.min).bind(5, s.max).bind(6, s.id).exec();
    if (!offsetFile.isEmpty() && offsetBytes >= 0)
        RunRepository(db_).setIngestOffset(runId, offsetFile, {offsetBytes, offsetLines});
    tx.commit();
}

QStringList MetricRepository::names(const QString& runId) {
    Statement s(db_, "SELECT name FROM metric_series WHERE run_id = ? ORDER BY id");
    s.bind(1, runId);
    QStringList result;
    while (s.step())
        result.append(s.text(0));
    return result;
}

std::vector<MetricPoint> MetricRepository::series(const QString& runId, const QString& name) {
    std::vector<MetricPoint> result;
    const std::int64_t id = seriesId(runId, name);
    if (!id)
        return result;
    Statement s(db_, "SELECT step, value, time FROM metrics WHERE series_id = ? ORDER BY seq");
    s.bind(1, id);
    while (s.step())
        result.push_back({name, s.real(1), s.int64(0), s.real(2)});
    return result;
}

std::vector<MetricPoint> MetricRepository::all(const QString& runId) {
    std::vector<MetricPoint> result;
    for (const QString& name : names(runId)) {
        auto points = series(runId, name);
        result.insert(result.end(), points.begin(), points.end());
    }
    return result;
}

std::optional<MetricPoint> MetricRepository::last(const QString& runId, const QString& name) {
    Statement s(db_, "SELECT m.step, m.value, m.time FROM metrics m JOIN metric_series ms ON "
                     "ms.id = m.series_id WHERE ms.run_id = ? AND ms.name = ? ORDER BY m.seq DESC LIMIT 1");
    s.bind(1, runId).bind(2, name);
    if (!s.step())
        return std::nullopt;
    return MetricPoint{name, s.real(1), s.int64(0), s.real(2)};
}

std::int64_t MetricRepository::count(const QString& runId) {
    Statement s(db_, "SELECT coalesce(sum(points), 0) FROM metric_series WHERE run_id = ?");
    s.bind(1, runId);
    s.step();
    return s.int64(0);
}

} // namespace lb
