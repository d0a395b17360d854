#pragma once
// System metrics of a running GPU run: utilisation and memory of the GPUs the local target
// gave it, read through NVML every few seconds and stored as the run's metrics
// ("gpu0_utilization", "gpu0_memory_used_mb", …) so the dashboard charts them like any other.

#include "core/gpu/GpuMonitor.h"

#include <QElapsedTimer>
#include <QList>
#include <QString>

#include <memory>

namespace lb {

class Store;

class RunGpuMetrics {
public:
    // `devices` is the run's GPU list as the local target assigned it ("0,1"); nothing is
    // sampled for a CPU run or where NVML is unavailable. Each sample is also appended to
    // `samplesFile` (the run folder's gpu_metrics.jsonl) so `workspace repair` brings it back.
    RunGpuMetrics(Store& store, QString runId, const QString& devices, QString samplesFile,
                  int intervalMs = 5000);
    ~RunGpuMetrics();

    // Samples when the interval has passed since the last sample; never throws.
    void poll();
    bool active() const { return monitor_ != nullptr; }

private:
    Store& store_;
    QString runId_;
    QString samplesFile_;
    QList<int> devices_;
    int intervalMs_;
    qint64 step_ = 0;
    QElapsedTimer sinceLast_;
    std::unique_ptr<GpuMonitor> monitor_;
};

} // namespace lb
