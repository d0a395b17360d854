// GPU test (label gpu; exit 77 = skipped without a device): the real labbench-train trains the
// Chainer-sample model 784-100-100-10 on MNIST for 10 epochs with --backend cuda and reaches
// the accuracy of the same run on the CPU (>= 97%, within half a point of the CPU's).

#include "tests/gpu/Check.h"
#include "tests/gpu/Process.h"

#include "core/train/Backend.h"
#include "core/train/Error.h"

#include <cmath>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {

const std::string kTrain = std::string(LABBENCH_BIN_DIR) + "/labbench-train";

std::string mnistDir() {
    const char* env = std::getenv("LABBENCH_TEST_MNIST_DIR");
    return env && *env ? env : LABBENCH_MNIST_DIR;
}

// The values of one metric, in order, from a metrics file (JSON lines).
std::vector<double> metricValues(const std::string& path, const std::string& name) {
    std::vector<double> values;
    std::ifstream in(path);
    const std::string key = "\"name\": \"" + name + "\"";
    for (std::string line; std::getline(in, line);) {
        if (line.find(key) == std::string::npos) continue;
        const auto at = line.find("\"value\": ");
        if (at != std::string::npos) values.push_back(std::strtod(line.c_str() + at + 9, nullptr));
    }
    return values;
}

struct Run {
    int exitCode;
    std::string out, err;
    std::vector<double> accuracy, epochTime;
};

Run train(const std::string& scratch, const std::string& backend) {
    const std::string dir = scratch + "/" + backend;
    fs::create_directories(dir);
    const std::string metrics = dir + "/metrics.jsonl";
    const auto r = lbtest::runProgram({kTrain, "--data", mnistDir(), "-e", "10", "--seed", "1",
                                       "--backend", backend, "-o", dir + "/outputs"},
                                      {{"LABBENCH_METRICS_FILE", metrics}}, dir);
    return {r.exitCode, r.out, r.err, metricValues(metrics, "Accuracy"),
            metricValues(metrics, "epoch_time")};
}

} // namespace

int main() {
    // Skip only when the plugin itself says there is no driver or no device (#16); a missing
    // dataset, a crash or a wrong flag below is a failure.
    try {
        auto probe = lb::train::makeBackend(lb::train::BackendKind::Cuda, {});
        std::printf("device: %s\n", probe->describe().c_str());
    } catch (const lb::train::NoCudaDeviceError& e) {
        std::printf("SKIP: no usable CUDA device: %s\n", e.what());
        return lbtest::kSkip;
    } catch (const lb::train::TrainError& e) {
        std::printf("FAIL: the CUDA backend could not start: %s\n", e.what());
        return 1;
    }
    const std::string scratch = lbtest::makeScratchDir("gpu-run");
    const int rc = lbtest::runAll({
        {"ten_epochs_on_the_gpu_reach_the_cpu_accuracy",
         [&] {
             const Run gpu = train(scratch, "cuda");
             const Run cpu = train(scratch, "cpu");
             CHECK_MSG(gpu.exitCode == 0, gpu.err);
             CHECK_MSG(cpu.exitCode == 0, cpu.err);
             CHECK_MSG(gpu.out.find("on cuda (") != std::string::npos, gpu.out);
             CHECK(gpu.accuracy.size() == 10 && cpu.accuracy.size() == 10);
             if (gpu.accuracy.size() != 10 || cpu.accuracy.size() != 10) return;
             double gpuTime = 0, cpuTime = 0;
             for (double t : gpu.epochTime) gpuTime += t;
             for (double t : cpu.epochTime) cpuTime += t;
             std::printf("  accuracy after 10 epochs: cuda %.4f, cpu %.4f; "
                         "training time cuda %.3f s, cpu %.3f s\n",
                         gpu.accuracy.back(), cpu.accuracy.back(), gpuTime, cpuTime);
             CHECK(gpu.accuracy.back() >= 0.97);
             CHECK(std::fabs(gpu.accuracy.back() - cpu.accuracy.back()) <= 0.005);
             CHECK(fs::exists(scratch + "/cuda/outputs/model.npz"));
         }},
    });
    std::error_code ec;
    fs::remove_all(scratch, ec);
    return rc;
}
