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

namespace {
// A JSON string's contents; control characters are dropped (no name or path needs them).
std::string jsonEscaped(const std::string& text) {
    std::string escaped;
    for (char c : text) {
        if (c == '"' || c == '\\') escaped += '\\';
        if (static_cast<unsigned char>(c) < 0x20) continue;
        escaped += c;
    }
    return escaped;
}
} // namespace

std::string MetricsSink::formatLine(const std::string& name, double value, long step, double time) {
    const std::string escaped = jsonEscaped(name);
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

std::string MetricsSink::formatCheckpointLine(const std::string& path, long step, double time) {
    char tail[96];
    std::snprintf(tail, sizeof tail, ", \"step\": %ld, \"time\": %.6f}\n", step, time);
    return "{\"type\": \"checkpoint\", \"path\": \"" + jsonEscaped(path) + "\"" + tail;
}

void MetricsSink::checkpointSaved(const std::string& path, long step) {
    if (!file_) return;
    pending_ += formatCheckpointLine(path, step, unixTime());
    flush();
}

void MetricsSink::flush() {
    if (!file_ || pending_.empty()) return;
    std::fwrite(pending_.data(), 1, pending_.size(), file_);
    std::fflush(file_);
    pending_.clear();
}

} // namespace lb::train
