#include "core/store/SystemMetricRepository.h"

#include "core/store/Database.h"
#include "core/store/Repositories.h"

#include <QHash>
#include <cmath>

namespace lb {

namespace {

std::optional<double> optionalReal(const Statement& s, int column) {
    return s.isNull(column) ? std::nullopt : std::optional<double>(s.real(column));
}

} // namespace

void SystemMetricRepository::append(const QString& runId,
                                    const std::vector<SystemMetricPoint>& points,
                                    const QString& offsetFile, std::int64_t offsetBytes,
                                    std::int64_t offsetLines) {
    Transaction tx(db_);
    Statement find(db_, "SELECT id, points, last_value, min_value, max_value "
                        "FROM system_metric_series WHERE run_id = ? AND node = ? AND name = ?");
    Statement create(db_, "INSERT INTO system_metric_series(run_id, node, name) VALUES(?, ?, ?)");
    Statement insert(db_, "INSERT INTO system_metrics(series_id, seq, step, value, time) "
                          "VALUES(?, ?, ?, ?, ?)");
    QHash<QString, SystemMetricSeries> cache; // by node + '\\n' + name
    for (const SystemMetricPoint& p : points) {
        const QString key = p.node + QLatin1Char('\n') + p.name;
        auto it = cache.find(key);
        if (it == cache.end()) {
            SystemMetricSeries s;
            find.bind(1, runId).bind(2, p.node).bind(3, p.name);
            if (find.step()) {
                s.id = find.int64(0);
                s.points = find.int64(1);
                s.last = optionalReal(find, 2);
                s.min = optionalReal(find, 3);
                s.max = optionalReal(find, 4);
            } else {
                create.bind(1, runId).bind(2, p.node).bind(3, p.name).exec();
                s.id = db_.lastInsertId();
            }
            find.reset();
            it = cache.insert(key, s);
        }
        insert.bind(1, it->id)
            .bind(2, it->points)
            .bind(3, p.step)
            .bind(4, p.value)
            .bind(5, p.time)
            .exec();
        ++it->points;
        it->last = p.value;
        if (!std::isnan(p.value)) {
            if (!it->min || p.value < *it->min) it->min = p.value;
            if (!it->max || p.value > *it->max) it->max = p.value;
        }
    }
    Statement update(db_, "UPDATE system_metric_series SET points = ?, last_value = ?, "
                          "min_value = ?, max_value = ? WHERE id = ?");
    for (const SystemMetricSeries& s : cache)
        update.bind(1, s.points).bind(2, s.last).bind(3, s.min).bind(4, s.max).bind(5, s.id).exec();
    if (!offsetFile.isEmpty() && offsetBytes >= 0)
        RunRepository(db_).setIngestOffset(runId, offsetFile, {offsetBytes, offsetLines});
    tx.commit();
}

QList<SystemMetricSeries> SystemMetricRepository::series(const QString& runId) {
    Statement s(db_, "SELECT id, node, name, points, last_value, min_value, max_value "
                     "FROM system_metric_series WHERE run_id = ? ORDER BY node, name");
    s.bind(1, runId);
    QList<SystemMetricSeries> out;
    while (s.step())
        out.append({s.int64(0), s.text(1), s.text(2), s.int64(3), optionalReal(s, 4),
                    optionalReal(s, 5), optionalReal(s, 6)});
    return out;
}

std::vector<SystemMetricPoint> SystemMetricRepository::all(const QString& runId) {
    Statement s(db_, "SELECT e.node, e.name, m.value, m.step, m.time FROM system_metrics m "
                     "JOIN system_metric_series e ON e.id = m.series_id WHERE e.run_id = ? "
                     "ORDER BY e.node, e.name, m.seq");
    s.bind(1, runId);
    std::vector<SystemMetricPoint> out;
    while (s.step())
        out.push_back({s.text(0), s.text(1), s.real(2), s.int64(3), s.real(4)});
    return out;
}

void SystemMetricRepository::readFrom(std::int64_t seriesId, std::int64_t fromSeq,
                                      std::int64_t limit, std::vector<SystemMetricPoint>& out) {
    Statement s(db_, "SELECT step, value, time FROM system_metrics WHERE series_id = ? AND "
                     "seq >= ? ORDER BY seq LIMIT ?");
    s.bind(1, seriesId).bind(2, fromSeq).bind(3, limit);
    while (s.step())
        out.push_back({QString(), QString(), s.real(1), s.int64(0), s.real(2)});
}

std::int64_t SystemMetricRepository::count(const QString& runId) {
    Statement s(db_, "SELECT COALESCE(SUM(points), 0) FROM system_metric_series WHERE run_id = ?");
    s.bind(1, runId);
    return s.step() ? s.int64(0) : 0;
}

} // namespace lb
