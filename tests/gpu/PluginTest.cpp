// The CUDA plugin seen from a machine with or without a GPU (runs in CI everywhere): it loads,
// it says cleanly why no device can be used, and the real labbench-train falls back (auto) or
// stops with the reason (cuda). Where a GPU is present the same cases check the other branch.

#include "tests/gpu/Check.h"
#include "tests/gpu/Process.h"

#include "core/train/CudaPlugin.h"

#include <dlfcn.h>

#include <filesystem>
#include <memory>

#include "core/train/Backend.h"

namespace fs = std::filesystem;
using lbtest::runProgram;

namespace {

const std::string kTrain = std::string(LABBENCH_BIN_DIR) + "/labbench-train";

std::string mnistDir() {
    const char* env = std::getenv("LABBENCH_TEST_MNIST_DIR");
    return env && *env ? env : LABBENCH_MNIST_DIR;
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

int lineCount(const std::string& s) {
    int n = 0;
    for (char c : s) n += c == '\n';
    return n;
}

// A quick training run: one epoch of a small model, enough to see which backend ran.
std::vector<std::string> quickRun(const std::string& outDir, std::vector<std::string> extra) {
    std::vector<std::string> argv = {kTrain, "--data", mnistDir(), "-e", "1", "--hidden", "32",
                                     "-o", outDir};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

#ifdef LB_PLUGIN_PATH
// The plugin loaded directly, as makeBackend does.
struct Plugin {
    void* handle = dlopen(LB_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
    LbTrainCreateBackendFn create = handle ? reinterpret_cast<LbTrainCreateBackendFn>(
                                                 dlsym(handle, LB_TRAIN_CUDA_CREATE_SYMBOL))
                                           : nullptr;
};

Plugin& plugin() {
    static Plugin p;
    return p;
}

// Whether this machine has a usable device (decided by the plugin itself), and why not.
bool deviceUsable(std::string* why) {
    if (!plugin().create) return false;
    LbTrainBackendConfig config{LB_TRAIN_CUDA_PLUGIN_ABI, -1, 0};
    char error[512] = {0};
    void* backend = nullptr;
    const int rc = plugin().create(&config, &backend, error, sizeof error);
    if (rc == 0 && backend) {
        delete static_cast<lb::train::Backend*>(backend);
        return true;
    }
    if (why) *why = error;
    return false;
}
#else
bool deviceUsable(std::string* why) {
    if (why) *why = "the CUDA plugin is not built";
    return false;
}
#endif

} // namespace

int main() {
    std::string why;
    const bool gpu = deviceUsable(&why);
    std::printf("device usable: %s%s\n", gpu ? "yes" : "no, ", gpu ? "" : why.c_str());
    const std::string scratch = lbtest::makeScratchDir("gpu-plugin");

    std::vector<lbtest::Case> cases = {
#ifdef LB_PLUGIN_PATH
        {"plugin_loads_and_exports_its_entry_point",
         [] {
             CHECK_MSG(plugin().handle != nullptr, dlerror() ? dlerror() : "dlopen failed");
             CHECK(plugin().create != nullptr);
             // It sits where makeBackend looks: <bin>/../lib/labbench/.
             const fs::path expected = fs::path(LABBENCH_BIN_DIR).parent_path() / "lib" /
                                       "labbench" / LB_TRAIN_CUDA_PLUGIN_FILE;
             CHECK_MSG(fs::equivalent(expected, LB_PLUGIN_PATH), expected.string());
         }},
        {"create_reports_no_device_as_one_sentence",
         [gpu, why] {
             if (gpu) return; // the other branch: covered by the device run below
             CHECK_MSG(!why.empty(), "no reason given");
             CHECK_MSG(contains(why, "no NVIDIA driver") || contains(why, "no CUDA device") ||
                           contains(why, "CUDA cannot start"),
                       why);
             CHECK_MSG(!contains(why, "\n"), why);
             CHECK_MSG(!contains(why, "internal error"), why);
         }},
        {"create_refuses_another_abi",
         [] {
             LbTrainBackendConfig config{LB_TRAIN_CUDA_PLUGIN_ABI + 100, -1, 0};
             char error[512] = {0};
             void* backend = nullptr;
             CHECK(plugin().create(&config, &backend, error, sizeof error) != 0);
             CHECK(backend == nullptr);
             CHECK_MSG(contains(error, "ABI"), error);
         }},
        {"create_survives_a_tiny_error_buffer",
         [] {
             LbTrainBackendConfig config{LB_TRAIN_CUDA_PLUGIN_ABI + 100, -1, 0};
             char error[4] = {'x', 'x', 'x', 'x'};
             void* backend = nullptr;
             CHECK(plugin().create(&config, &backend, error, sizeof error) != 0);
             CHECK(error[3] == '\0');
         }},
#endif
        {"auto_falls_back_to_cpu_with_one_line_or_uses_the_gpu",
         [gpu, scratch] {
             const auto r = runProgram(quickRun(scratch + "/auto", {"--backend", "auto"}), {},
                                       scratch);
             CHECK_MSG(r.exitCode == 0, r.err);
             if (gpu) {
                 CHECK_MSG(contains(r.out, "on cuda ("), r.out);
                 CHECK_MSG(r.err.empty(), r.err);
             } else {
                 CHECK_MSG(contains(r.out, "on cpu ("), r.out);
                 CHECK_MSG(lineCount(r.err) == 1, r.err);
                 CHECK_MSG(contains(r.err, "using the CPU"), r.err);
             }
         }},
        {"backend_cuda_without_a_device_exits_non_zero_with_the_reason",
         [gpu, scratch] {
             if (gpu) return;
             const auto r = runProgram(quickRun(scratch + "/cuda", {"--backend", "cuda"}), {},
                                       scratch);
             CHECK_MSG(r.exitCode == 1, std::to_string(r.exitCode));
#ifdef LB_PLUGIN_PATH
             CHECK_MSG(contains(r.err, "CUDA backend unavailable: "), r.err);
#else
             CHECK_MSG(contains(r.err, "CUDA backend not built"), r.err);
#endif
             CHECK_MSG(lineCount(r.err) == 1, r.err);
             CHECK_MSG(!contains(r.err, "internal error"), r.err);
             CHECK_MSG(!fs::exists(scratch + "/cuda/model.npz"), "a model was written");
         }},
        {"hidden_devices_are_reported",
         [scratch] {
             // CUDA_VISIBLE_DEVICES="" hides every GPU: "no CUDA device" (or no driver here).
             const auto r = runProgram(quickRun(scratch + "/hidden", {"--backend", "cuda"}),
                                       {{"CUDA_VISIBLE_DEVICES", ""}}, scratch);
             CHECK_MSG(r.exitCode == 1, std::to_string(r.exitCode));
#ifdef LB_PLUGIN_PATH
             CHECK_MSG(contains(r.err, "no CUDA device") || contains(r.err, "no NVIDIA driver"),
                       r.err);
#endif
         }},
        {"gpu_id_minus_one_means_cpu_without_a_notice",
         [scratch] {
             const auto r = runProgram(quickRun(scratch + "/g-1", {"-g", "-1"}), {}, scratch);
             CHECK_MSG(r.exitCode == 0, r.err);
             CHECK_MSG(contains(r.out, "on cpu ("), r.out);
             CHECK_MSG(r.err.empty(), r.err);
         }},
        {"gpu_id_out_of_range_names_the_visible_devices",
         [gpu, scratch] {
             if (!gpu) return;
             const auto r = runProgram(
                 quickRun(scratch + "/g64", {"--backend", "cuda", "--gpu_id", "64"}), {},
                 scratch);
             CHECK_MSG(r.exitCode == 1, std::to_string(r.exitCode));
             CHECK_MSG(contains(r.err, "GPU 64 does not exist"), r.err);
         }},
        {"a_missing_plugin_file_says_not_built",
         [scratch] {
             const auto r = runProgram(
                 quickRun(scratch + "/missing", {"--backend", "cuda"}),
                 {{"LABBENCH_TRAIN_CUDA_PLUGIN", scratch + "/no-such-plugin.so"}}, scratch);
             CHECK_MSG(r.exitCode == 1, std::to_string(r.exitCode));
             CHECK_MSG(contains(r.err, "CUDA backend not built"), r.err);
         }},
        {"a_library_that_is_not_the_plugin_is_refused",
         [scratch] {
             // Any shared library without the entry point: libz is a dependency of the trainer.
             const std::string libz = "/lib/x86_64-linux-gnu/libz.so.1";
             if (!fs::exists(libz)) {
                 std::printf("  (no %s here: case not applicable)\n", libz.c_str());
                 return;
             }
             const auto r = runProgram(quickRun(scratch + "/libz", {"--backend", "cuda"}),
                                       {{"LABBENCH_TRAIN_CUDA_PLUGIN", libz}}, scratch);
             CHECK_MSG(r.exitCode == 1, std::to_string(r.exitCode));
             CHECK_MSG(contains(r.err, "is not a labbench-train CUDA backend"), r.err);
         }},
    };
    const int rc = lbtest::runAll(cases);
    std::error_code ec;
    fs::remove_all(scratch, ec);
    return rc;
}
