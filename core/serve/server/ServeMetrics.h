#pragma once
// GET /metrics: request counts by route and status code, and a latency histogram per route, in
// Prometheus' text exposition format (version 0.0.4).

#include <array>
#include <map>
#include <mutex>
#include <string>

namespace lb::serve {

class ServeMetrics {
public:
    // Upper bounds of the latency buckets, in seconds (+Inf is implied).
    static constexpr std::array<double, 14> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                        0.005,  0.01,    0.025,  0.05,  0.1,
                                                        0.25,   1.0,     2.5,    10.0};

    void record(const std::string& route, int status, double seconds);
    std::string prometheusText() const;

private:
    struct Latency {
        std::array<unsigned long long, kBuckets.size()> buckets{}; // not cumulative here
        unsigned long long count = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, unsigned long long> requests_;
    std::map<std::string, Latency> latency_;
};

} // namespace lb::serve
