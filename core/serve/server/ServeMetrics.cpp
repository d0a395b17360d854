#include "core/serve/server/ServeMetrics.h"

#include <cstdio>

namespace lb::serve {

void ServeMetrics::record(const std::string& route, int status, double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[{route, status}];
    Latency& l = latency_[route];
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i]) {
            ++l.buckets[i];
            break;
        }
    ++l.count;
    l.sum += seconds;
}

std::string ServeMetrics::prometheusText() const {
    std::lock_guard lock(mutex_);
    std::string out;
    char line[256];
    out += "# HELP labbench_requests_total HTTP requests answered, by route and status code.\n"
           "# TYPE labbench_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
        std::snprintf(line, sizeof line, "labbench_requests_total{route=\"%s\",code=\"%d\"} %llu\n",
                      key.first.c_str(), key.second, n);
        out += line;
    }
    out += "# HELP labbench_request_duration_seconds Time from request to response, by route.\n"
           "# TYPE labbench_request_duration_seconds histogram\n";
    for (const auto& [route, l] : latency_) {
        unsigned long long cumulative = 0;
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
            cumulative += l.buckets[i];
            std::snprintf(line, sizeof line,
                          "labbench_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                          route.c_str(), kBuckets[i], cumulative);
            out += line;
        }
        std::snprintf(line, sizeof line,
                      "labbench_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
                      "labbench_request_duration_seconds_sum{route=\"%s\"} %.9g\n"
                      "labbench_request_duration_seconds_count{route=\"%s\"} %llu\n",
                      route.c_str(), l.count, route.c_str(), l.sum, route.c_str(), l.count);
        out += line;
    }
    return out;
}

} // namespace lb::serve
