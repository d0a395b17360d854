#include "core/store/MetricStream.h"

#include "core/store/Database.h"

#include <algorithm>

namespace lb {

QList<MetricSeriesInfo> MetricStreamReader::seriesOf(const QString& runId) {
    Statement s(db_, "SELECT id, name, points, superseded_points FROM metric_series WHERE run_id = ? "
                     "ORDER BY id");
    s.bind(1, runId);
    QList<MetricSeriesInfo> result;
    while (s.step())
        result.append({s.int64(0), runId, s.text(1), s.int64(2), s.int64(3)});
    return result;
}

std::int64_t MetricStreamReader::readFrom(std::int64_t seriesId, std::int64_t fromSeq,
                                          std::int64_t limit, std::vector<MetricPoint>& out,
                                          std::int64_t seenLength) {
    Statement s(db_, "SELECT seq, step, value, time FROM metrics WHERE series_id = ? AND seq >= ? "
                     "AND superseded = 0 ORDER BY seq LIMIT ?");
    s.bind(1, seriesId).bind(2, fromSeq).bind(3, limit);
    std::int64_t read = 0, next = fromSeq;
    while (s.step()) {
        out.push_back({QString(), s.real(2), s.int64(1), s.real(3)});
        next = s.int64(0) + 1;
        ++read;
    }
    // Everything there was got read: the seqs up to the length seen before the query that
    // came back as no row are superseded, and need not be asked for again.
    if (read < limit)
        next = std::max(next, seenLength);
    return next;
}

} // namespace lb
