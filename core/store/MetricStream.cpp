#include "core/store/MetricStream.h"

#include "core/store/Database.h"

namespace lb {

QList<MetricSeriesInfo> MetricStreamReader::seriesOf(const QString& runId) {
    Statement s(db_, "SELECT id, name, points FROM metric_series WHERE run_id = ? ORDER BY id");
    s.bind(1, runId);
    QList<MetricSeriesInfo> result;
    while (s.step())
        result.append({s.int64(0), runId, s.text(1), s.int64(2)});
    return result;
}

void MetricStreamReader::readFrom(std::int64_t seriesId, std::int64_t fromSeq, std::int64_t limit,
                                  std::vector<MetricPoint>& out) {
    Statement s(db_, "SELECT step, value, time FROM metrics WHERE series_id = ? AND seq >= ? "
                     "ORDER BY seq LIMIT ?");
    s.bind(1, seriesId).bind(2, fromSeq).bind(3, limit);
    while (s.step())
        out.push_back({QString(), s.real(1), s.int64(0), s.real(2)});
}

} // namespace lb
