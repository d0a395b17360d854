#pragma once
// The live request-rate and latency of an endpoint, from two scrapes of its GET /metrics
// (Prometheus text, core/serve/server/ServeMetrics): the counters of POST /score only, so the
// charts' own scrapes and health checks do not count as traffic.

#include <QByteArray>
#include <vector>

namespace lb {

// The /score counters of one scrape.
struct ScoreCounters {
    double requests = 0;   // labbench_requests_total summed over status codes
    double errors = 0;     // of which answered with a status of 400 or more
    double latencySum = 0; // seconds
    double latencyCount = 0;
    std::vector<std::pair<double, double>>
        buckets; // (upper bound in s, cumulative count), by bound
};

// Parses the exposition text; an empty ScoreCounters when /score has not been called yet.
ScoreCounters parseScoreCounters(const QByteArray& text);

// What happened between two scrapes `seconds` apart.
struct ScoreRates {
    double requestsPerSecond = 0;
    double errorsPerSecond = 0;
    bool hasLatency = false; // false when no request was answered in between
    double meanMs = 0;
    double p50Ms = 0;
    double p99Ms = 0;
};

// A server that restarted (its counters went down) counts from zero again.
ScoreRates ratesBetween(const ScoreCounters& before, const ScoreCounters& after, double seconds);

// Prometheus' histogram_quantile over cumulative (upper bound, count) `buckets`: linear inside
// the bucket that holds quantile `q`; one that falls in the +Inf bucket answers its lower bound.
double histogramQuantile(double q, const std::vector<std::pair<double, double>>& buckets);

} // namespace lb
