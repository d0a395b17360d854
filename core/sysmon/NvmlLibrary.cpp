#include "core/sysmon/NvmlLibrary.h"

#include <cstdlib>
#include <dlfcn.h>

namespace lb::sysmon {

namespace {

// The few NVML declarations used, from nvml.h (stable C ABI since the _v2 entry points); the
// header is not needed at build time, so nothing here needs the CUDA toolkit.
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

struct NvmlLibrary::Api {
    void* handle = nullptr;
    bool initialised = false;
    std::string reason;
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

    template <typename Fn> bool resolve(Fn& fn, const char* symbol) {
        fn = reinterpret_cast<Fn>(dlsym(handle, symbol));
        if (!fn) reason = "NVML not available: " + libraryPath() + " lacks " + symbol;
        return fn != nullptr;
    }

    std::string error(nvmlReturn_t r) const {
        const char* text = errorString ? errorString(r) : nullptr;
        return text ? std::string(text) : "error " + std::to_string(r);
    }

    void load() {
        const std::string path = libraryPath();
        handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            reason =
                "NVML not available: " + path + " cannot be loaded (no NVIDIA driver installed?)";
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
            reason = "NVML not available: nvmlInit failed: " + error(r);
            return;
        }
        initialised = true;
        unsigned int n = 0;
        if (const nvmlReturn_t r = getCount(&n); r != kNvmlSuccess) {
            reason = "NVML not available: cannot count GPUs: " + error(r);
            return;
        }
        count = int(n);
    }
};

std::string NvmlLibrary::libraryPath() {
    const char* env = std::getenv("LABBENCH_NVML_LIBRARY");
    return env && *env ? std::string(env) : std::string("libnvidia-ml.so.1");
}

NvmlLibrary::NvmlLibrary()
    : api_(std::make_unique<Api>()) {
    api_->load();
}

NvmlLibrary::~NvmlLibrary() {
    if (api_->initialised) api_->shutdown();
    // The library stays loaded: unloading NVML while another user holds it is not worth it.
}

bool NvmlLibrary::available() const {
    return api_->initialised && api_->reason.empty();
}

std::string NvmlLibrary::unavailableReason() const {
    return available() ? std::string() : api_->reason;
}

int NvmlLibrary::deviceCount() const {
    return available() ? api_->count : 0;
}

std::vector<NvmlReading> NvmlLibrary::sample() const {
    std::vector<NvmlReading> out;
    if (!available()) return out;
    const Api& n = *api_;
    for (int i = 0; i < n.count; ++i) {
        NvmlReading s;
        s.index = i;
        nvmlDevice_t device = nullptr;
        if (n.getHandle(unsigned(i), &device) != kNvmlSuccess) {
            out.push_back(s);
            continue;
        }
        char text[96] = {0};
        if (n.getName(device, text, sizeof text) == kNvmlSuccess) s.name = text;
        if (n.getUuid(device, text, sizeof text) == kNvmlSuccess) s.uuid = text;
        NvmlUtilization u{};
        if (n.getUtilization(device, &u) == kNvmlSuccess) {
            s.utilization = u.gpu;
            s.memoryUtilization = u.memory;
        }
        NvmlMemory m{};
        if (n.getMemory(device, &m) == kNvmlSuccess) {
            s.memoryUsedBytes = static_cast<long long>(m.used);
            s.memoryTotalBytes = static_cast<long long>(m.total);
        }
        unsigned int value = 0;
        if (n.getTemperature(device, kNvmlTemperatureGpu, &value) == kNvmlSuccess)
            s.temperatureC = value;
        if (n.getPower(device, &value) == kNvmlSuccess) s.powerWatts = value / 1000.0;
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace lb::sysmon
