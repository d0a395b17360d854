#include "core/gpu/GpuMonitor.h"

#include <QByteArray>
#include <QPair>

#include <dlfcn.h>

#include <cstdlib>

namespace lb {

namespace {

// The few NVML declarations used, from nvml.h (stable C ABI since the _v2 entry points); the
// header is not needed at build time, so the core builds without the CUDA toolkit.
using nvmlReturn_t = int;
using nvmlDevice_t = struct nvmlDeviceOpaque*;
constexpr nvmlReturn_t kNvmlSuccess = 0;
constexpr int kNvmlTemperatureGpu = 0;
struct NvmlUtilization {
    unsigned int gpu;
    unsigned int memory;
};
struct NvmlMemory {
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
};

} // namespace

struct GpuMonitor::Nvml {
    void* handle = nullptr;
    bool initialised = false;
    QString reason;
    int count = 0;

    nvmlReturn_t (*init)() = nullptr;
    nvmlReturn_t (*shutdown)() = nullptr;
    const char* (*errorString)(nvmlReturn_t) = nullptr;
    nvmlReturn_t (*getCount)(unsigned int*) = nullptr;
    nvmlReturn_t (*getHandle)(unsigned int, nvmlDevice_t*) = nullptr;
    nvmlReturn_t (*getName)(nvmlDevice_t, char*, unsigned int) = nullptr;
    nvmlReturn_t (*getUuid)(nvmlDevice_t, char*, unsigned int) = nullptr;
    nvmlReturn_t (*getUtilization)(nvmlDevice_t, NvmlUtilization*) = nullptr;
    nvmlReturn_t (*getMemory)(nvmlDevice_t, NvmlMemory*) = nullptr;
    nvmlReturn_t (*getTemperature)(nvmlDevice_t, int, unsigned int*) = nullptr;
    nvmlReturn_t (*getPower)(nvmlDevice_t, unsigned int*) = nullptr;

    template <typename Fn>
    bool resolve(Fn& fn, const char* symbol) {
        fn = reinterpret_cast<Fn>(dlsym(handle, symbol));
        if (!fn) reason = QStringLiteral("NVML not available: %1 lacks %2").arg(library(), symbol);
        return fn != nullptr;
    }

    static QString library() {
        const char* env = std::getenv("LABBENCH_NVML_LIBRARY");
        return env && *env ? QString::fromLocal8Bit(env) : QStringLiteral("libnvidia-ml.so.1");
    }

    QString error(nvmlReturn_t r) const {
        const char* text = errorString ? errorString(r) : nullptr;
        return text ? QString::fromUtf8(text) : QStringLiteral("error %1").arg(r);
    }

    void load() {
        const QByteArray path = library().toLocal8Bit();
        handle = dlopen(path.constData(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            reason = QStringLiteral("NVML not available: %1 cannot be loaded (no NVIDIA driver "
                                    "installed?)")
                         .arg(library());
            return;
        }
        if (!resolve(init, "nvmlInit_v2") || !resolve(shutdown, "nvmlShutdown") ||
            !resolve(errorString, "nvmlErrorString") ||
            !resolve(getCount, "nvmlDeviceGetCount_v2") ||
            !resolve(getHandle, "nvmlDeviceGetHandleByIndex_v2") ||
            !resolve(getName, "nvmlDeviceGetName") || !resolve(getUuid, "nvmlDeviceGetUUID") ||
            !resolve(getUtilization, "nvmlDeviceGetUtilizationRates") ||
            !resolve(getMemory, "nvmlDeviceGetMemoryInfo") ||
            !resolve(getTemperature, "nvmlDeviceGetTemperature") ||
            !resolve(getPower, "nvmlDeviceGetPowerUsage")) {
            return;
        }
        if (const nvmlReturn_t r = init(); r != kNvmlSuccess) {
            reason = QStringLiteral("NVML not available: nvmlInit failed: %1").arg(error(r));
            return;
        }
        initialised = true;
        unsigned int n = 0;
        if (const nvmlReturn_t r = getCount(&n); r != kNvmlSuccess) {
            reason = QStringLiteral("NVML not available: cannot count GPUs: %1").arg(error(r));
            return;
        }
        count = int(n);
    }
};

GpuMonitor::GpuMonitor() : nvml_(std::make_unique<Nvml>()) { nvml_->load(); }

GpuMonitor::~GpuMonitor() {
    if (nvml_->initialised) nvml_->shutdown();
    // The library stays loaded: unloading NVML while another monitor uses it is not worth it.
}

bool GpuMonitor::available() const { return nvml_->initialised && nvml_->reason.isEmpty(); }

QString GpuMonitor::unavailableReason() const { return available() ? QString() : nvml_->reason; }

int GpuMonitor::deviceCount() const { return available() ? nvml_->count : 0; }

QList<GpuSample> GpuMonitor::sample() const {
    QList<GpuSample> out;
    if (!available()) return out;
    const Nvml& n = *nvml_;
    for (int i = 0; i < n.count; ++i) {
        GpuSample s;
        s.index = i;
        nvmlDevice_t device = nullptr;
        if (n.getHandle(unsigned(i), &device) != kNvmlSuccess) {
            out.append(s);
            continue;
        }
        char text[96] = {0};
        if (n.getName(device, text, sizeof text) == kNvmlSuccess) s.name = QString::fromUtf8(text);
        if (n.getUuid(device, text, sizeof text) == kNvmlSuccess) s.uuid = QString::fromUtf8(text);
        NvmlUtilization u{};
        if (n.getUtilization(device, &u) == kNvmlSuccess) {
            s.utilization = u.gpu;
            s.memoryUtilization = u.memory;
        }
        NvmlMemory m{};
        if (n.getMemory(device, &m) == kNvmlSuccess) {
            s.memoryUsedBytes = qint64(m.used);
            s.memoryTotalBytes = qint64(m.total);
        }
        unsigned int value = 0;
        if (n.getTemperature(device, kNvmlTemperatureGpu, &value) == kNvmlSuccess)
            s.temperatureC = value;
        if (n.getPower(device, &value) == kNvmlSuccess) s.powerWatts = value / 1000.0;
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
