#pragma once
// The run metric stream, shared with every Labbench script: one JSON object per line,
// {"name": ..., "value": ..., "step": ..., "time": unix seconds}, appended to the file named by
// LABBENCH_METRICS_FILE. Lines are buffered and written + flushed by flush() (once per epoch),
// so a tailer never sees half an epoch and the step loop never touches the file.

#include <cstdio>
#include <string>

namespace lb::train {

class MetricsSink {
public:
    // Empty path: disabled (log() and flush() do nothing).
    explicit MetricsSink(const std::string& path);
    ~MetricsSink();
    MetricsSink(const MetricsSink&) = delete;
    MetricsSink& operator=(const MetricsSink&) = delete;

    bool enabled() const { return file_ != nullptr; }
    void log(const std::string& name, double value, long step);
    void flush();
    // The attempt contract's checkpoint marker, after the points logged so far (flushed first):
    // {"type":"checkpoint","path":...,"step":...,"time":...}. Call it once the file is complete;
    // a later attempt of the run keeps what came before it and supersedes what came after.
    void checkpointSaved(const std::string& path, long step);

    // One line of the stream; value NaN/inf becomes null (JSON has no such numbers).
    static std::string formatLine(const std::string& name, double value, long step, double time);
    static std::string formatCheckpointLine(const std::string& path, long step, double time);

private:
    std::FILE* file_ = nullptr;
    std::string pending_;
};

// Unix time in seconds with sub-second precision.
double unixTime();

} // namespace lb::train
