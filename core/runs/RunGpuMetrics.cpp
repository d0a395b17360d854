#include "core/runs/RunGpuMetrics.h"

#include "core/store/Store.h"
#include "core/util/Time.h"

namespace lb {

RunGpuMetrics::RunGpuMetrics(Store& store, QString runId, const QString& devices, int intervalMs)
    : store_(store), runId_(std::move(runId)), intervalMs_(intervalMs) {
    for (const QString& d : devices.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int index = d.trimmed().toInt(&ok);
        if (ok)
            devices_.append(index);
    }
    if (devices_.isEmpty())
        return;
    auto monitor = std::make_unique<GpuMonitor>();
    if (monitor->available())
        monitor_ = std::move(monitor);
}

RunGpuMetrics::~RunGpuMetrics() = default;

void RunGpuMetrics::poll() {
    if (!monitor_ || (sinceLast_.isValid() && sinceLast_.elapsed() < intervalMs_))
        return;
    sinceLast_.start();
    std::vector<MetricPoint> points;
    const double now = nowUnixSeconds();
    for (const GpuSample& s : monitor_->sample()) {
        // The local target's GPU numbers are NVML's indices (PCI order); see LocalTarget.
        if (!devices_.contains(s.index))
            continue;
        for (const auto& [name, value] : GpuMonitor::metrics(s))
            points.push_back({name, value, step_, now});
    }
    ++step_;
    if (points.empty())
        return;
    try {
        store_.metrics().append(runId_, points);
    } catch (const std::exception&) {
        // A busy store costs one sample, never the run.
    }
}

} // namespace lb
