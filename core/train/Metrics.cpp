#include "core/train/Metrics.h"

#include "core/train/Error.h"

#include <chrono>
#include <cmath>
#include <cstring>

namespace lb::train {

double unixTime() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

MetricsSink::MetricsSink(const std::string& path) {
    if (path.empty()) return;
    file_ = std::fopen(path.c_str(), "a");
    if (!file_) {
        throw TrainError("LABBENCH_METRICS_FILE=" + path + ": cannot open for appending (" +
                         std::strerror(errno) + ")");
    }
}

MetricsSink::~MetricsSink() {
    if (file_) {
        flush();
        std::fclose(file_);
    }
}

std::string MetricsSink::formatLine(const std::string& name, double value, long step, double time) {
    std::string escaped;
    for (char c : name) {
        if (c == '"' || c == '\\') escaped += '\\';
        if (static_cast<unsigned char>(c) < 0x20) continue;
        escaped += c;
    }
    // NaN and the infinities (a diverged loss) as Labbench's JSON writes them everywhere:
    // "NaN", "Infinity", "-Infinity"; null would read back as "no value" (#25).
    char number[64];
    if (std::isfinite(value))
        std::snprintf(number, sizeof number, "%.9g", value);
    else
        std::snprintf(number, sizeof number, "%s",
                      std::isnan(value) ? "\"NaN\"" : value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    char tail[96];
    std::snprintf(tail, sizeof tail, ", \"step\": %ld, \"time\": %.6f}\n", step, time);
    return "{\"name\": \"" + escaped + "\", \"value\": " + number + tail;
}

void MetricsSink::log(const std::string& name, double value, long step) {
    if (file_) pending_ += formatLine(name, value, step, unixTime());
}

void MetricsSink::flush() {
    if (!file_ || pending_.empty()) return;
    std::fwrite(pending_.data(), 1, pending_.size(), file_);
    std::fflush(file_);
    pending_.clear();
}

} // namespace lb::train
