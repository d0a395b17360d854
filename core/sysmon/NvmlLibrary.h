#pragma once
// NvmlLibrary: NVML (libnvidia-ml.so.1) loaded with dlopen, Qt-free, so that both the Qt side
// (core/gpu/GpuMonitor) and the standalone sampler (labbench-sysmon) read GPUs through one
// loader. NVML ships with the driver, not the toolkit: on a machine without a driver the
// library is unavailable with a one-sentence reason, and nothing links against CUDA.

#include <memory>
#include <string>
#include <vector>

namespace lb::sysmon {

// One reading of one GPU. A field NVML cannot give for this device is -1.
struct NvmlReading {
    int index = 0;                 // NVML's index: PCI order, CUDA_VISIBLE_DEVICES ignored
    std::string name;              // "NVIDIA H100 80GB HBM3"
    std::string uuid;              // "GPU-…": stable across reboots, unlike the index
    double utilization = -1;       // % of the last sample period a kernel was running
    double memoryUtilization = -1; // % of the period device memory was read or written
    long long memoryUsedBytes = -1;
    long long memoryTotalBytes = -1;
    double temperatureC = -1;
    double powerWatts = -1;
};

class NvmlLibrary {
public:
    // Loads and initialises NVML; never throws. The library is $LABBENCH_NVML_LIBRARY when set
    // (tests), else libnvidia-ml.so.1 from the loader path.
    NvmlLibrary();
    ~NvmlLibrary();
    NvmlLibrary(const NvmlLibrary&) = delete;
    NvmlLibrary& operator=(const NvmlLibrary&) = delete;

    bool available() const;
    // Why available() is false, one sentence starting "NVML not available: "; empty otherwise.
    std::string unavailableReason() const;
    int deviceCount() const; // 0 when unavailable

    // One reading per GPU (empty when unavailable); a device that fails mid-reading keeps -1 in
    // the fields it could not give.
    std::vector<NvmlReading> sample() const;

    // The library path tried: $LABBENCH_NVML_LIBRARY or libnvidia-ml.so.1.
    static std::string libraryPath();

private:
    struct Api;
    std::unique_ptr<Api> api_;
};

} // namespace lb::sysmon
