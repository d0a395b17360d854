#include "core/train/Comm.h"

#include "core/train/Error.h"
#include "core/train/MpiPlugin.h"

#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <exception>
#include <filesystem>
#include <mutex>

namespace lb::train {

namespace fs = std::filesystem;

namespace {

// Where the plugin lives: $LABBENCH_TRAIN_MPI_PLUGIN, else <bin>/../lib/labbench/ next to the
// running program (the build tree mirrors the installed tree), like the CUDA plugin.
fs::path pluginPath() {
    if (const char* env = std::getenv("LABBENCH_TRAIN_MPI_PLUGIN"); env && *env) return env;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return LB_TRAIN_MPI_PLUGIN_FILE;
    return exe.parent_path().parent_path() / "lib" / "labbench" / LB_TRAIN_MPI_PLUGIN_FILE;
}

// The process-wide MPI state: MPI can be initialised and finalised once per process.
struct MpiState {
    std::mutex mutex;
    std::weak_ptr<Communicator> joined;
    LbTrainMpi api{};
    bool active = false;    // initialised and not finalised: abortWorld() may abort
    bool finalised = false; // MPI cannot be joined again
};
MpiState& state() {
    static MpiState s;
    return s;
}

class MpiCommunicator final : public Communicator {
public:
    explicit MpiCommunicator(const LbTrainMpi& api)
        : api_(api) {}
    ~MpiCommunicator() override {
        // Unwinding an error: leave MPI up for abortWorld(), which main() calls after printing
        // the reason (MPI_Finalize would wait for ranks that sit in an all-reduce).
        if (std::uncaught_exceptions() > 0) return;
        MpiState& s = state();
        std::lock_guard lock(s.mutex);
        char error[512] = {0};
        s.active = false;
        s.finalised = true;
        if (api_.finalize(error, sizeof error) != 0)
            std::fprintf(stderr, "labbench-train: %s\n", error); // a destructor cannot throw
    }
    int rank() const override { return api_.rank; }
    int size() const override { return api_.size; }
    void allReduceSum(float* x, std::size_t n) override {
        char error[512] = {0};
        if (n > 0 && api_.allReduceSumFloat(x, n, error, sizeof error) != 0)
            throw TrainError(std::string(error) + " (rank " + std::to_string(api_.rank) + " of " +
                             std::to_string(api_.size) + ")");
    }
    std::string describe() const override {
        return "MPI, rank " + std::to_string(api_.rank) + " of " + std::to_string(api_.size);
    }

private:
    LbTrainMpi api_;
};

// Loads the plugin and initialises MPI; throws TrainError with the reason.
LbTrainMpi openMpi(const World& world) {
    const std::string job = "this process is rank " + std::to_string(world.rank) + " of " +
                            std::to_string(world.size) + " (" + world.from + ")";
    const fs::path path = pluginPath();
    // The handle is kept for the life of the process: MPI's code lives behind it.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = dlerror();
        throw TrainError(job + " but MPI cannot be loaded (" + (why ? why : path.string()) +
                         "); install Open MPI (libopenmpi3) and a labbench-train built with "
                         "libopenmpi-dev, or start a single process");
    }
    auto open = reinterpret_cast<LbTrainMpiOpenFn>(dlsym(handle, LB_TRAIN_MPI_OPEN_SYMBOL));
    if (!open) {
        throw TrainError(job + " but " + path.string() +
                         " is not labbench-train's MPI plugin (no symbol " +
                         LB_TRAIN_MPI_OPEN_SYMBOL + "); reinstall Labbench");
    }
    LbTrainMpi api{};
    char error[512] = {0};
    if (open(LB_TRAIN_MPI_PLUGIN_ABI, &api, error, sizeof error) != 0) {
        throw TrainError(
            job + " but MPI did not start: " + (error[0] ? error : "the plugin gave no reason"));
    }
    if (api.size != world.size || api.rank != world.rank) {
        throw TrainError(job + " but MPI says rank " + std::to_string(api.rank) + " of " +
                         std::to_string(api.size) +
                         "; start labbench-train with mpirun or srun --mpi=pmix");
    }
    return api;
}

} // namespace

std::shared_ptr<Communicator> joinWorld(const World& world) {
    if (world.size <= 1) return nullptr;
    MpiState& s = state();
    std::lock_guard lock(s.mutex);
    if (auto existing = s.joined.lock()) return existing;
    if (s.finalised)
        throw TrainError("MPI was already finalised in this process and cannot be joined again");
    s.api = openMpi(world);
    s.active = true;
    auto comm = std::make_shared<MpiCommunicator>(s.api);
    s.joined = comm;
    return comm;
}

void abortWorld(int code) noexcept {
    MpiState& s = state();
    std::lock_guard lock(s.mutex);
    if (!s.active || s.api.size <= 1 || !s.api.abortJob) return;
    std::fflush(stdout);
    std::fflush(stderr);
    s.api.abortJob(code);
}

} // namespace lb::train
