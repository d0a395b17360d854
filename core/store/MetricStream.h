#pragma once
// Incremental reads of metric histories for live views: which series a run has and how long
// they are, then only the points past what a view already holds (metrics are keyed by
// (series, seq), so "from seq N" is one range scan).

#include "core/store/Entities.h"

#include <QList>
#include <QString>

#include <vector>

namespace lb {

class Database;

// One metric series of a run and its length.
struct MetricSeriesInfo {
    std::int64_t seriesId = 0;
    QString runId;
    QString name;
    std::int64_t points = 0;     // its length in seq (superseded points included)
    std::int64_t superseded = 0; // how many are superseded; only grows (RunAttempts.h)
};

class MetricStreamReader {
public:
    explicit MetricStreamReader(Database& db) : db_(db) {}
    QList<MetricSeriesInfo> seriesOf(const QString& runId);
    // Appends to `out` at most `limit` points of the series with seq >= fromSeq that are not
    // superseded, in order. Returns the seq to read from next time; `seenLength`, the series'
    // length read before this call (MetricSeriesInfo::points), lets it skip a superseded tail.
    std::int64_t readFrom(std::int64_t seriesId, std::int64_t fromSeq, std::int64_t limit,
                          std::vector<MetricPoint>& out, std::int64_t seenLength = 0);

private:
    Database& db_;
};

} // namespace lb
