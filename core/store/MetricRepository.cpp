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

namespace {
// Writes points of one run, a series-id cache with the summaries it keeps, written by flush().
class SeriesWriter {
public:
    SeriesWriter(Database& db, const QString& runId)
        : db_(db), runId_(runId),
          findSeries_(db, "SELECT id, points, last_step, last_value, min_value, max_value FROM metric_series "
                          "WHERE run_id = ? AND name = ?"),
          newSeries_(db, "INSERT INTO metric_series(run_id, name) VALUES(?, ?)"),
          insert_(db, "INSERT INTO metrics(series_id, seq, step, value, time, attempt) VALUES(?, ?, ?, ?, ?, ?)"),
          update_(db, "UPDATE metric_series SET points = ?, last_step = ?, last_value = ?, min_value = ?, "
                      "max_value = ? WHERE id = ?") {}

    void add(const MetricPoint& p, int attempt) {
        auto it = cache_.find(p.name);
        if (it == cache_.end()) {
            SeriesState state;
            findSeries_.bind(1, runId_).bind(2, p.name);
            if (findSeries_.step()) {
                state = {findSeries_.int64(0), findSeries_.int64(1), findSeries_.int64(2),
                         optionalReal(findSeries_, 3), optionalReal(findSeries_, 4), optionalReal(findSeries_, 5)};
            } else {
                newSeries_.bind(1, runId_).bind(2, p.name).exec();
                state.id = db_.lastInsertId();
            }
            findSeries_.reset();
            it = cache_.insert(p.name, state);
        }
        // A point logged without a step takes the next one, as Azure ML's run.log does.
        const std::int64_t step = p.step >= 0 ? p.step : it->lastStep + 1;
        insert_.bind(1, it->id).bind(2, it->points).bind(3, step).bind(4, p.value).bind(5, p.time);
        insert_.bind(6, attempt).exec();
        ++it->points;
        it->lastStep = std::max(it->lastStep, step);
        it->add(p.value);
    }

    // Writes the summaries; a marker may change them, so the cache starts afresh after it.
    void flush() {
        for (const SeriesState& s : cache_)
            update_.bind(1, s.points).bind(2, s.lastStep).bind(3, s.last).bind(4, s.min).bind(5, s.max).bind(6, s.id).exec();
        cache_.clear();
    }

private:
    Database& db_;
    const QString& runId_;
    Statement findSeries_, newSeries_, insert_, update_;
    QHash<QString, SeriesState> cache_;
};
} // namespace

void MetricRepository::append(const QString& runId, const std::vector<MetricPoint>& points,
                              const QString& offsetFile, std::int64_t offsetBytes, std::int64_t offsetLines,
                              const std::vector<StreamMarker>& markers) {
    Transaction tx(db_);
    RunAttemptRepository attempts(db_);
    int attempt = attempts.currentAttempt(runId);
    SeriesWriter writer(db_, runId);
    std::size_t nextMarker = 0;
    auto applyMarkersBefore = [&](std::size_t point) {
        for (; nextMarker < markers.size() && markers[nextMarker].beforePoint <= point; ++nextMarker) {
            writer.flush();
            const StreamMarker& m = markers[nextMarker];
            if (m.kind == StreamMarker::Kind::Checkpoint)
                attempts.recordCheckpoint(runId, m);
            else
                attempt = attempts.beginAttempt(runId, m);
        }
    };
    for (std::size_t i = 0; i < points.size(); ++i) {
        applyMarkersBefore(i);
        writer.add(points[i], attempt);
    }
    applyMarkersBefore(points.size());
    writer.flush();
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

std::vector<MetricPoint> MetricRepository::series(const QString& runId, const QString& name, bool allAttempts) {
    std::vector<MetricPoint> result;
    const std::int64_t id = seriesId(runId, name);
    if (!id)
        return result;
    Statement s(db_, allAttempts ? "SELECT step, value, time, attempt, superseded FROM metrics WHERE series_id = ? "
                                   "ORDER BY seq"
                                 : "SELECT step, value, time, attempt, superseded FROM metrics WHERE series_id = ? "
                                   "AND superseded = 0 ORDER BY seq");
    s.bind(1, id);
    while (s.step())
        result.push_back({name, s.real(1), s.int64(0), s.real(2), static_cast<int>(s.int64(3)), s.int64(4) != 0});
    return result;
}

std::vector<MetricPoint> MetricRepository::all(const QString& runId, bool allAttempts) {
    std::vector<MetricPoint> result;
    for (const QString& name : names(runId)) {
        auto points = series(runId, name, allAttempts);
        result.insert(result.end(), points.begin(), points.end());
    }
    return result;
}

std::optional<MetricPoint> MetricRepository::last(const QString& runId, const QString& name) {
    Statement s(db_, "SELECT m.step, m.value, m.time FROM metrics m JOIN metric_series ms ON "
                     "ms.id = m.series_id WHERE ms.run_id = ? AND ms.name = ? AND m.superseded = 0 "
                     "ORDER BY m.seq DESC LIMIT 1");
    s.bind(1, runId).bind(2, name);
    if (!s.step())
        return std::nullopt;
    return MetricPoint{name, s.real(1), s.int64(0), s.real(2)};
}

std::int64_t MetricRepository::count(const QString& runId) {
    Statement s(db_, "SELECT coalesce(sum(points - superseded_points), 0) FROM metric_series WHERE run_id = ?");
    s.bind(1, runId);
    s.step();
    return s.int64(0);
}

} // namespace lb
