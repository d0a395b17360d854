#pragma once
// GpuMonitor: utilisation and memory of every NVIDIA GPU on this machine, read through NVML.
// NVML (libnvidia-ml.so.1) ships with the driver, not the toolkit, so it is loaded at run time:
// on a machine without a driver the monitor is simply unavailable, with a reason to show, and
// nothing links against CUDA. The loading itself is core/sysmon/NvmlLibrary (Qt-free, shared
// with the labbench-sysmon sampler); this is its Qt face for the GUI and the CLI.

#include <QList>
#include <QPair>
#include <QString>

#include <memory>

namespace lb {

namespace sysmon {
class NvmlLibrary;
}

// One reading of one GPU. A field NVML cannot give for this device is -1.
struct GpuSample {
    int index = 0;                  // NVML's index: PCI order, CUDA_VISIBLE_DEVICES ignored
    QString name;                   // "NVIDIA H100 80GB HBM3"
    QString uuid;                   // "GPU-…": stable across reboots, unlike the index
    double utilization = -1;        // % of the last sample period a kernel was running
    double memoryUtilization = -1;  // % of the period device memory was read or written
    qint64 memoryUsedBytes = -1;
    qint64 memoryTotalBytes = -1;
    double temperatureC = -1;
    double powerWatts = -1;
};

class GpuMonitor {
public:
    // Loads and initialises NVML; never throws. The library is $LABBENCH_NVML_LIBRARY when set
    // (tests), else libnvidia-ml.so.1 from the loader path.
    GpuMonitor();
    ~GpuMonitor();
    GpuMonitor(const GpuMonitor&) = delete;
    GpuMonitor& operator=(const GpuMonitor&) = delete;

    bool available() const;
    // Why available() is false, one sentence starting "NVML not available: "; empty otherwise.
    QString unavailableReason() const;
    int deviceCount() const; // 0 when unavailable

    // One reading per GPU (empty when unavailable). A device that fails mid-reading keeps -1 in
    // the fields it could not give; the call itself never throws.
    QList<GpuSample> sample() const;

    // The system-metric names for a sample: "gpu0_utilization", "gpu0_memory_used_mb", ...
    // paired with their values (fields at -1 are left out).
    static QList<QPair<QString, double>> metrics(const GpuSample& s);

private:
    std::unique_ptr<sysmon::NvmlLibrary> nvml_;
};

} // namespace lb
