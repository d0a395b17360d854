#include "core/gpu/GpuMonitor.h"

#include "core/sysmon/NvmlLibrary.h"

#include <QPair>

namespace lb {

GpuMonitor::GpuMonitor()
    : nvml_(std::make_unique<sysmon::NvmlLibrary>()) {}

GpuMonitor::~GpuMonitor() = default;

bool GpuMonitor::available() const {
    return nvml_->available();
}

QString GpuMonitor::unavailableReason() const {
    return QString::fromStdString(nvml_->unavailableReason());
}

int GpuMonitor::deviceCount() const {
    return nvml_->deviceCount();
}

QList<GpuSample> GpuMonitor::sample() const {
    QList<GpuSample> out;
    for (const sysmon::NvmlReading& r : nvml_->sample()) {
        GpuSample s;
        s.index = r.index;
        s.name = QString::fromStdString(r.name);
        s.uuid = QString::fromStdString(r.uuid);
        s.utilization = r.utilization;
        s.memoryUtilization = r.memoryUtilization;
        s.memoryUsedBytes = r.memoryUsedBytes;
        s.memoryTotalBytes = r.memoryTotalBytes;
        s.temperatureC = r.temperatureC;
        s.powerWatts = r.powerWatts;
        out.append(s);
    }
    return out;
}

QList<QPair<QString, double>> GpuMonitor::metrics(const GpuSample& s) {
    const QString prefix = QStringLiteral("gpu%1_").arg(s.index);
    QList<QPair<QString, double>> out;
    const auto add = [&](const char* name, double value) {
        if (value >= 0) out.append({prefix + QLatin1String(name), value});
    };
    add("utilization", s.utilization);
    add("memory_utilization", s.memoryUtilization);
    add("memory_used_mb", s.memoryUsedBytes >= 0 ? s.memoryUsedBytes / 1048576.0 : -1);
    add("memory_total_mb", s.memoryTotalBytes >= 0 ? s.memoryTotalBytes / 1048576.0 : -1);
    add("temperature_c", s.temperatureC);
    add("power_w", s.powerWatts);
    return out;
}

} // namespace lb
