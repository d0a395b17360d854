#pragma once
// System metrics of runs (issue 19): CPU, memory, disk, network and GPU samples that
// labbench-sysmon took on each node, stored apart from the script's own metrics (migration 9).
// A series is (run, node, name); its points keep their order (seq), so live views read only
// what is past what they hold.

#include <QList>
#include <QString>
#include <cstdint>
#include <optional>
#include <vector>

namespace lb {

class Database;

struct SystemMetricPoint {
    QString node;
    QString name;
    double value = 0;
    std::int64_t step = 0;
    double time = 0; // Unix seconds
};

// One series of a run and its summaries.
struct SystemMetricSeries {
    std::int64_t id = 0;
    QString node;
    QString name;
    std::int64_t points = 0;
    std::optional<double> last, min, max;
};

class SystemMetricRepository {
public:
    explicit SystemMetricRepository(Database& db)
        : db_(db) {}

    // Appends points in one transaction, with the ingest offset of `offsetFile` (RUN/system/
    // relative name) when given, so the offset and the points it covers are stored together.
    void append(const QString& runId, const std::vector<SystemMetricPoint>& points,
                const QString& offsetFile = {}, std::int64_t offsetBytes = -1,
                std::int64_t offsetLines = 0);
    // Every series of the run, by node, then name.
    QList<SystemMetricSeries> series(const QString& runId);
    // Every point of the run, by node, then name, then in sampled order.
    std::vector<SystemMetricPoint> all(const QString& runId);
    // Appends to `out` at most `limit` points of a series with seq >= fromSeq, in order (the
    // points carry no node or name: the caller knows the series).
    void readFrom(std::int64_t seriesId, std::int64_t fromSeq, std::int64_t limit,
                  std::vector<SystemMetricPoint>& out);
    std::int64_t count(const QString& runId);

private:
    Database& db_;
};

} // namespace lb
