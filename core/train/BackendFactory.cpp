// makeBackend(): picks the CPU backend or loads the CUDA plugin (see CudaPlugin.h).

#include "core/train/Backend.h"
#include "core/train/CpuBackend.h"
#include "core/train/CudaPlugin.h"
#include "core/train/Error.h"
#include "core/train/World.h"

#include <cstdlib>
#include <dlfcn.h>
#include <filesystem>
#include <unistd.h>

namespace lb::train {

namespace fs = std::filesystem;

BackendKind parseBackendKind(const std::string& text) {
    if (text == "auto") return BackendKind::Auto;
    if (text == "cpu") return BackendKind::Cpu;
    if (text == "cuda") return BackendKind::Cuda;
    throw UsageError("--backend must be auto, cpu or cuda, not '" + text + "'");
}

namespace {

// Where the plugin lives: $LABBENCH_TRAIN_CUDA_PLUGIN, else <bin>/../lib/labbench/ next to the
// running program (the build tree mirrors the installed tree).
fs::path pluginPath() {
    if (const char* env = std::getenv("LABBENCH_TRAIN_CUDA_PLUGIN"); env && *env) return env;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return LB_TRAIN_CUDA_PLUGIN_FILE;
    return exe.parent_path().parent_path() / "lib" / "labbench" / LB_TRAIN_CUDA_PLUGIN_FILE;
}

// Loads the plugin and creates the backend; throws TrainError with the reason otherwise.
std::unique_ptr<Backend> loadCudaBackend(const BackendOptions& options) {
    const fs::path path = pluginPath();
    if (!fs::exists(path)) {
        throw TrainError("CUDA backend not built: " + path.string() +
                         " does not exist (build with nvcc and cuDNN, LABBENCH_CUDA=ON)");
    }
    // The handle is kept for the life of the process: the backend's code lives in it.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = dlerror();
        throw TrainError("cannot load the CUDA backend " + path.string() + ": " +
                         (why ? why : "unknown dlopen error") +
                         " (are the CUDA libraries installed?)");
    }
    auto create =
        reinterpret_cast<LbTrainCreateBackendFn>(dlsym(handle, LB_TRAIN_CUDA_CREATE_SYMBOL));
    if (!create) {
        throw TrainError(path.string() + " is not a labbench-train CUDA backend (no symbol " +
                         LB_TRAIN_CUDA_CREATE_SYMBOL + ")");
    }
    LbTrainBackendConfig config{LB_TRAIN_CUDA_PLUGIN_ABI, options.deviceId,
                                options.allowTf32 ? 1 : 0};
    char error[512] = {0};
    void* backend = nullptr;
    const int rc = create(&config, &backend, error, sizeof error);
    if (rc != 0 || !backend) {
        const std::string why = std::string("CUDA backend unavailable: ") +
                                (error[0] ? error : "the plugin gave no reason");
        if (rc == LB_TRAIN_CUDA_NO_DEVICE) throw NoCudaDeviceError(why);
        throw TrainError(why);
    }
    return std::unique_ptr<Backend>(static_cast<Backend*>(backend));
}

// The CPU backend, joined to the launcher's job (MPI) when it has several processes.
std::unique_ptr<Backend> makeCpuBackend(const BackendOptions& options) {
    const World world = detectWorld();
    const int threads = options.threads > 0 ? options.threads : defaultThreads(world);
    return std::make_unique<CpuBackend>(threads, joinWorld(world));
}

} // namespace

std::unique_ptr<Backend> makeBackend(BackendKind kind, const BackendOptions& options,
                                     std::string* notice) {
    switch (kind) {
    case BackendKind::Cpu:
        return makeCpuBackend(options);
    case BackendKind::Cuda:
        return loadCudaBackend(options);
    case BackendKind::Auto:
        try {
            return loadCudaBackend(options);
        } catch (const TrainError& e) {
            if (notice) *notice = std::string(e.what()) + "; using the CPU";
            return makeCpuBackend(options);
        }
    }
    throw TrainError("unknown backend kind");
}

} // namespace lb::train
