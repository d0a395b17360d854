#include "core/live/EndpointRates.h"

#include <QList>
#include <algorithm>
#include <cmath>
#include <limits>

namespace lb {

namespace {

// The value of label `name` in `labels` (the text between the braces), empty when absent.
QByteArray label(const QByteArray& labels, const QByteArray& name) {
    const QByteArray key = name + "=\"";
    qsizetype at = 0;
    while ((at = labels.indexOf(key, at)) >= 0) {
        if (at == 0 || labels[at - 1] == ',' || labels[at - 1] == ' ') break;
        at += key.size();
    }
    if (at < 0) return {};
    const qsizetype start = at + key.size();
    const qsizetype end = labels.indexOf('"', start);
    return end < 0 ? QByteArray() : labels.mid(start, end - start);
}

double parseValue(const QByteArray& text) {
    const QByteArray t = text.trimmed();
    if (t == "+Inf") return std::numeric_limits<double>::infinity();
    bool ok = false;
    const double v = t.toDouble(&ok);
    return ok ? v : 0;
}

} // namespace

ScoreCounters parseScoreCounters(const QByteArray& text) {
    ScoreCounters c;
    for (const QByteArray& raw : text.split('\n')) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty() || line.startsWith('#')) continue;
        const qsizetype open = line.indexOf('{');
        const qsizetype close = line.lastIndexOf('}');
        if (open < 0 || close < open)
            continue; // every series the server writes carries a route label
        const QByteArray name = line.left(open);
        const QByteArray labels = line.mid(open + 1, close - open - 1);
        if (label(labels, "route") != "/score") continue;
        const double value = parseValue(line.mid(close + 1));
        if (name == "labbench_requests_total") {
            c.requests += value;
            if (label(labels, "code").toInt() >= 400) c.errors += value;
        } else if (name == "labbench_request_duration_seconds_sum") {
            c.latencySum = value;
        } else if (name == "labbench_request_duration_seconds_count") {
            c.latencyCount = value;
        } else if (name == "labbench_request_duration_seconds_bucket") {
            c.buckets.emplace_back(parseValue(label(labels, "le")), value);
        }
    }
    std::sort(c.buckets.begin(), c.buckets.end());
    return c;
}

double histogramQuantile(double q, const std::vector<std::pair<double, double>>& buckets) {
    if (buckets.empty() || buckets.back().second <= 0) return 0;
    const double rank = q * buckets.back().second;
    double lowerBound = 0, lowerCount = 0;
    for (const auto& [bound, count] : buckets) {
        if (count >= rank) {
            if (std::isinf(bound))
                return lowerBound; // nothing is known above the last finite bound
            const double inBucket = count - lowerCount;
            return inBucket <= 0
                       ? bound
                       : lowerBound + (bound - lowerBound) * (rank - lowerCount) / inBucket;
        }
        lowerBound = bound;
        lowerCount = count;
    }
    return lowerBound;
}

ScoreRates ratesBetween(const ScoreCounters& before, const ScoreCounters& after, double seconds) {
    // Counters that went down belong to a server that restarted: its new totals are the news.
    const bool restarted =
        after.requests < before.requests || after.latencyCount < before.latencyCount;
    const ScoreCounters zero;
    const ScoreCounters& from = restarted ? zero : before;
    ScoreRates r;
    if (seconds > 0) {
        r.requestsPerSecond = (after.requests - from.requests) / seconds;
        r.errorsPerSecond = (after.errors - from.errors) / seconds;
    }
    const double answered = after.latencyCount - from.latencyCount;
    if (answered <= 0) return r;
    r.hasLatency = true;
    r.meanMs = 1000.0 * (after.latencySum - from.latencySum) / answered;
    // The buckets of this interval only: the cumulative counts' differences.
    std::vector<std::pair<double, double>> interval;
    for (const auto& [bound, count] : after.buckets) {
        double old = 0;
        for (const auto& [b, c] : from.buckets)
            if (b == bound) old = c;
        interval.emplace_back(bound, count - old);
    }
    r.p50Ms = 1000.0 * histogramQuantile(0.5, interval);
    r.p99Ms = 1000.0 * histogramQuantile(0.99, interval);
    return r;
}

} // namespace lb
