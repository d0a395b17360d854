#include "core/train/Options.h"

#include "core/train/Error.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>

namespace lb::train {

namespace {

long parseInt(const std::string& flag, const std::string& text, long min, long max) {
    char* end = nullptr;
    errno = 0;
    const long v = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno != 0 || v < min || v > max) {
        throw UsageError(flag + " takes a whole number from " + std::to_string(min) + " to " +
                         std::to_string(max) + ", not '" + text + "'");
    }
    return v;
}

float parseFloat(const std::string& flag, const std::string& text, double min) {
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || errno != 0 || !std::isfinite(v) || v < min) {
        throw UsageError(flag + " takes a number >= " + std::to_string(min) + ", not '" + text +
                         "'");
    }
    return float(v);
}

} // namespace

std::string usageText() {
    return R"(usage: labbench-train [options]            train an MLP on MNIST-format data
       labbench-train --evaluate MODEL.npz [data options]
       labbench-train --predict FILE [--predict FILE ...] [--model MODEL.npz]

Chainer MNIST sample flags:
  -e, --epochs N          epochs to train (20)
  -b, --batchsize N       images per step (100)
  -o, --output_dir DIR    where model.npz goes (./outputs)
  -g, --gpu_id N          GPU ordinal; -1 = CPU (-1)
Model and optimizer:
  --hidden W1,W2,...      hidden layer widths (100,100)
  --optimizer sgd|adam    (sgd: momentum SGD)
  --lr X                  learning rate (0.01 for sgd, 0.001 for adam)
  --momentum X            SGD momentum (0.9)
  --weight_decay X        L2 weight decay (0)
  --seed N                initialisation and shuffling seed (0)
Machine:
  --threads N             CPU threads (every core)
  --backend auto|cpu|cuda (auto)
Data:
  --data DIR              the four MNIST files (gzip or raw) in DIR
  --dataset NAME          mnist or fashion-mnist, looked up in $LABBENCH_DATA, the cache,
                          the MNIST Labbench ships and /usr/share/datasets (mnist)
  --download              fetch MNIST into the cache first, verifying SHA-256
Output:
  --log_interval N        steps between batch_loss metrics (100)
Checkpoints:
  --checkpoint-every N    write a checkpoint after every N epochs (0: none)
  --checkpoint-minutes M  write one every M minutes, at the next step (0: none)
  --checkpoint-dir DIR    where (else $LABBENCH_CHECKPOINT_DIR, else ./checkpoints)
  --checkpoint-keep N     how many of this run's newest stay (2)
  --resume PATH           go on from a checkpoint file, or the newest one in a folder;
                          --epochs counts from the start, so -e 10 trains to epoch 10;
                          without it, $LABBENCH_RESUME_CHECKPOINT when it exists (a
                          resumed or requeued Labbench run sets it)
Metrics go to $LABBENCH_METRICS_FILE as JSON lines when it is set, with a checkpoint marker
after each checkpoint written.
Under mpirun or srun --mpi=pmix the processes train data-parallel (--batchsize per process);
rank 0 alone prints, logs and writes the model.
)";
}

Options parseOptions(const std::vector<std::string>& args) {
    Options o;
    // Each flag: does it take a value, and what to do with it. Underscore and dash spellings
    // are both accepted (the Chainer sample uses underscores).
    using Setter = std::function<void(const std::string& flag, const std::string& value)>;
    struct Flag {
        bool takesValue;
        Setter set;
    };
    const std::map<std::string, Flag> flags = {
        {"--epochs",
         {true, [&](auto& f, auto& v) { o.epochs = int(parseInt(f, v, 1, 1'000'000)); }}},
        {"--batchsize",
         {true, [&](auto& f, auto& v) { o.batchSize = int(parseInt(f, v, 1, 1'000'000)); }}},
        {"--output_dir", {true, [&](auto&, auto& v) { o.outputDir = v; }}},
        {"--gpu_id",
         {true,
          [&](auto& f, auto& v) {
              o.gpuId = int(parseInt(f, v, -1, 1024));
              o.gpuIdGiven = true;
          }}},
        {"--hidden", {true, [&](auto&, auto& v) { o.hidden = v; }}},
        {"--optimizer",
         {true,
          [&](auto& f, auto& v) {
              if (v == "sgd")
                  o.optimizer = OptimizerKind::Sgd;
              else if (v == "adam")
                  o.optimizer = OptimizerKind::Adam;
              else
                  throw UsageError(f + " must be sgd or adam, not '" + v + "'");
          }}},
        {"--lr",
         {true,
          [&](auto& f, auto& v) {
              o.lr = parseFloat(f, v, 0.0);
              o.lrGiven = true;
          }}},
        {"--momentum", {true, [&](auto& f, auto& v) { o.momentum = parseFloat(f, v, 0.0); }}},
        {"--weight_decay",
         {true, [&](auto& f, auto& v) { o.weightDecay = parseFloat(f, v, 0.0); }}},
        {"--seed",
         {true,
          [&](auto& f, auto& v) {
              o.seed = (unsigned long long)parseInt(f, v, 0, 0x7fffffffffffffffL);
          }}},
        {"--threads", {true, [&](auto& f, auto& v) { o.threads = int(parseInt(f, v, 0, 4096)); }}},
        {"--backend", {true, [&](auto&, auto& v) { o.backend = parseBackendKind(v); }}},
        {"--data", {true, [&](auto&, auto& v) { o.dataDir = v; }}},
        {"--dataset", {true, [&](auto&, auto& v) { o.dataset = v; }}},
        {"--download", {false, [&](auto&, auto&) { o.download = true; }}},
        {"--evaluate", {true, [&](auto&, auto& v) { o.evaluateModel = v; }}},
        {"--predict", {true, [&](auto&, auto& v) { o.predictFiles.push_back(v); }}},
        {"--model", {true, [&](auto&, auto& v) { o.modelPath = v; }}},
        {"--log_interval",
         {true, [&](auto& f, auto& v) { o.logInterval = int(parseInt(f, v, 1, 1'000'000'000)); }}},
        {"--checkpoint_every",
         {true, [&](auto& f, auto& v) { o.checkpointEvery = int(parseInt(f, v, 0, 1'000'000)); }}},
        {"--checkpoint_minutes",
         {true, [&](auto& f, auto& v) { o.checkpointMinutes = parseFloat(f, v, 0.0); }}},
        {"--checkpoint_dir", {true, [&](auto&, auto& v) { o.checkpointDir = v; }}},
        {"--checkpoint_keep",
         {true, [&](auto& f, auto& v) { o.checkpointKeep = int(parseInt(f, v, 1, 1'000'000)); }}},
        {"--resume", {true, [&](auto&, auto& v) { o.resumePath = v; }}},
        {"--help", {false, [&](auto&, auto&) { o.mode = Options::Mode::Help; }}},
    };
    const std::map<std::string, std::string> shortNames = {{"-e", "--epochs"},
                                                           {"-b", "--batchsize"},
                                                           {"-o", "--output_dir"},
                                                           {"-g", "--gpu_id"},
                                                           {"-h", "--help"}};

    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string name = args[i], value;
        bool inlineValue = false;
        if (name.rfind("--", 0) == 0) {
            if (const auto eq = name.find('='); eq != std::string::npos) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
                inlineValue = true;
            }
            for (std::size_t k = 2; k < name.size(); ++k) {
                if (name[k] == '-') name[k] = '_';
            }
            if (name == "--batch_size") name = "--batchsize";
        } else if (auto s = shortNames.find(name); s != shortNames.end()) {
            name = s->second;
        } else {
            throw UsageError("unexpected argument '" + name + "' (see --help)");
        }
        const auto it = flags.find(name);
        if (it == flags.end()) throw UsageError("unknown option '" + args[i] + "' (see --help)");
        if (it->second.takesValue && !inlineValue) {
            if (i + 1 >= args.size()) throw UsageError(name + " needs a value");
            value = args[++i];
        } else if (!it->second.takesValue && inlineValue) {
            throw UsageError(name + " takes no value");
        }
        it->second.set(name, value);
    }

    if (o.mode == Options::Mode::Help) return o;
    if (!o.evaluateModel.empty() && !o.predictFiles.empty()) {
        throw UsageError("--evaluate and --predict cannot be used together");
    }
    if (!o.evaluateModel.empty()) o.mode = Options::Mode::Evaluate;
    if (!o.predictFiles.empty()) o.mode = Options::Mode::Predict;
    if (!o.dataDir.empty() && !o.dataset.empty()) {
        throw UsageError("--data and --dataset cannot be used together");
    }
    if (o.download && !o.dataDir.empty()) {
        throw UsageError(
            "--download fetches into the dataset cache; it cannot be combined with --data");
    }
    if (!o.lrGiven && o.optimizer == OptimizerKind::Adam) o.lr = 0.001f;
    if (o.modelPath.empty()) o.modelPath = o.outputDir + "/model.npz";
    return o;
}

} // namespace lb::train
