#include "app/labbench-train/Commands.h"

#include "app/labbench-train/Progress.h"
#include "core/train/Checkpoint.h"
#include "core/train/Dataset.h"
#include "core/train/Download.h"
#include "core/train/Error.h"
#include "core/train/Idx.h"
#include "core/train/Image.h"
#include "core/train/Metrics.h"
#include "core/train/ModelFile.h"
#include "core/train/Predictor.h"
#include "core/train/Trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

namespace lb::train {

namespace fs = std::filesystem;

namespace {

std::string format(const char* fmt, auto... args) {
    char buf[512];
    std::snprintf(buf, sizeof buf, fmt, args...);
    return buf;
}

// Where the data comes from: --data DIR, or a named dataset (downloaded first if asked).
std::pair<DatasetFiles, std::string> resolveData(const Options& o) {
    if (!o.dataDir.empty()) return {findDatasetFiles(o.dataDir), o.dataDir};
    const std::string name = o.dataset.empty() ? "mnist" : o.dataset;
    if (o.download) {
        if (name != "mnist") throw UsageError("--download fetches mnist only, not " + name);
        const fs::path dir = datasetCacheDir(name);
        downloadMnist(dir, [](const std::string& line) { std::printf("%s\n", line.c_str()); });
        return {findDatasetFiles(dir), name + " at " + dir.string()};
    }
    const fs::path dir = locateDataset(name);
    return {findDatasetFiles(dir), name + " at " + dir.string()};
}

// Backend from the flags. Chainer's --gpu_id -1 means CPU; auto tries CUDA otherwise.
std::unique_ptr<Backend> chooseBackend(const Options& o) {
    BackendKind kind = o.backend;
    if (kind == BackendKind::Auto && o.gpuIdGiven && o.gpuId < 0) kind = BackendKind::Cpu;
    BackendOptions bo;
    bo.threads = o.threads;
    bo.deviceId = o.gpuId;
    std::string notice;
    auto backend = makeBackend(kind, bo, &notice);
    // Every rank of a job falls back alike; one line says so.
    if (!notice.empty() && backend->rank() == 0)
        std::fprintf(stderr, "labbench-train: %s\n", notice.c_str());
    return backend;
}

void checkLoss(const EpochStats& e, const Options& o) {
    if (!std::isfinite(e.loss)) {
        throw TrainError(format("the training loss became %g in epoch %d; lower --lr (now %g)",
                                e.loss, e.epoch, double(o.lr)));
    }
}

// Data parallel: the replicas must end with the same weights, or the saved model is only one of
// several different models (a collective: every rank calls it).
void checkReplicas(Trainer& trainer, const Backend& backend) {
    if (backend.worldSize() <= 1) return;
    const bool agree = trainer.replicasAgree();
    if (backend.rank() != 0) return;
    if (!agree) {
        throw TrainError("the " + std::to_string(backend.worldSize()) +
                         " ranks ended with different weights, so no model is saved; report this "
                         "with the launcher and the command line");
    }
    std::printf("labbench-train: the weights are identical on all %d ranks\n", backend.worldSize());
}

// Ranks other than 0 of a data-parallel job: the same collectives in the same order as rank 0
// (every epoch's statistics, the weight check), and nothing printed or written.
int trainQuietly(Trainer& trainer, const Options& o) {
    for (int epoch = trainer.epochsDone() + 1; epoch <= o.epochs; ++epoch) {
        const EpochStats e = trainer.trainEpoch({}, {}, o.logInterval);
        checkLoss(e, o);
    }
    checkReplicas(trainer, trainer.backend());
    return 0;
}

std::string metricsPath() {
    const char* env = std::getenv("LABBENCH_METRICS_FILE");
    return env ? env : "";
}

// --checkpoint-dir, else the run's ./checkpoints that Labbench names in the environment, else
// ./checkpoints beside ./outputs.
fs::path checkpointDir(const Options& o) {
    if (!o.checkpointDir.empty()) return o.checkpointDir;
    if (const char* env = std::getenv("LABBENCH_CHECKPOINT_DIR"); env && *env) return env;
    return "checkpoints";
}

// The checkpoint a later attempt of a Labbench run starts from (the attempt contract): the
// run's last checkpoint marker, or its checkpoints folder. Empty when none is named or it is
// gone (then the attempt trains from the start, and says so).
std::string attemptCheckpoint(bool lead) {
    const char* env = std::getenv("LABBENCH_RESUME_CHECKPOINT");
    if (!env || !*env) return {};
    std::error_code ec;
    if (!fs::exists(env, ec)) {
        if (lead)
            std::fprintf(stderr, "labbench-train: LABBENCH_RESUME_CHECKPOINT=%s does not exist; "
                                 "training from the start\n", env);
        return {};
    }
    return env;
}

// --resume, else the run's checkpoint when this is a later attempt of it: read and checked
// before anything is trained or written.
std::optional<FoundCheckpoint> findResume(const Options& o, bool lead) {
    const std::string path = o.resumePath.empty() ? attemptCheckpoint(lead) : o.resumePath;
    if (path.empty()) return std::nullopt;
    return findCheckpoint(path, [&](const std::string& line) {
        if (lead) std::fprintf(stderr, "labbench-train: %s\n", line.c_str());
    });
}

// Hyper-parameters that the flags may change on a resume: said, since the run is then no longer
// the one the checkpoint came from.
void noteChangedFlags(const TrainerState& s, const TrainConfig& c, const std::string& file) {
    auto note = [&](const char* flag, double was, double now) {
        if (was != now)
            std::printf("labbench-train: %s was %g in %s; this run uses %g\n", flag, was,
                        file.c_str(), now);
    };
    note("--lr", s.lr, c.lr);
    note("--momentum", s.momentum, c.momentum);
    note("--weight_decay", s.weightDecay, c.weightDecay);
    note("--batchsize", s.batchSize, c.batchSize);
}

// When to write a checkpoint: after every N epochs, and at the first step boundary M minutes
// after the last one (a clock read per step; nothing else in the step loop).
class CheckpointSchedule {
public:
    explicit CheckpointSchedule(const Options& o)
        : every_(o.checkpointEvery)
        , seconds_(o.checkpointMinutes * 60.0)
        , last_(now()) {}
    bool epochDue(int epoch) const { return every_ > 0 && epoch % every_ == 0; }
    bool clockDue() const { return seconds_ > 0 && now() - last_ >= seconds_; }
    void written() { last_ = now(); }

private:
    static double now() {
        using namespace std::chrono;
        return duration<double>(steady_clock::now().time_since_epoch()).count();
    }
    int every_;
    double seconds_, last_;
};

// Writes the trainer's state; a checkpoint that cannot be written (a full disk) is reported and
// training goes on, since stopping would lose more than the checkpoint.
void writeCheckpoint(CheckpointWriter& writer, CheckpointSchedule& schedule, const Trainer& trainer,
                     MetricsSink& metrics, Progress& progress) {
    try {
        const auto start = std::chrono::steady_clock::now();
        const fs::path file = writer.write(trainer.saveState());
        // Once the file is in place: a later attempt resumes from it, and keeps the points
        // logged before this line.
        metrics.checkpointSaved(file.string(), trainer.globalStep());
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        progress.line(format("checkpoint %s (epoch %d, step %ld, %.3f s)", file.string().c_str(),
                             trainer.epochsDone() + (trainer.stepInEpoch() > 0 ? 1 : 0),
                             trainer.globalStep(), took.count()));
    } catch (const TrainError& e) {
        std::fprintf(stderr, "labbench-train: no checkpoint written: %s; training goes on\n",
                     e.what());
    }
    schedule.written();
}

// The lead rank's epochs: train, evaluate, log, and write a checkpoint when one is due.
void trainEpochs(Trainer& trainer, const Options& o, MetricsSink& metrics, Progress& progress) {
    std::optional<CheckpointWriter> checkpoints;
    if (o.checkpointing()) checkpoints.emplace(checkpointDir(o), o.checkpointKeep);
    CheckpointSchedule schedule(o);
    // Inside an epoch only alone: with several ranks the epoch's running sums differ per rank.
    const bool midEpoch =
        checkpoints && o.checkpointMinutes > 0 && trainer.backend().worldSize() == 1;

    for (int epoch = trainer.epochsDone() + 1; epoch <= o.epochs; ++epoch) {
        const EpochStats e = trainer.trainEpoch(
            [&](int step, int steps) {
                progress.step(epoch, o.epochs, step, steps);
                // The last step's checkpoint is the epoch's, taken below with its metrics.
                if (midEpoch && step < steps && schedule.clockDue())
                    writeCheckpoint(*checkpoints, schedule, trainer, metrics, progress);
            },
            [&](long step, double loss) { metrics.log("batch_loss", loss, step); }, o.logInterval);
        const Evaluation test = trainer.evaluateTest();
        checkLoss(e, o);
        metrics.log("loss", e.loss, epoch);
        metrics.log("train_accuracy", e.trainAccuracy, epoch);
        metrics.log("Accuracy", test.accuracy, epoch);
        metrics.log("epoch_time", e.seconds, epoch);
        metrics.log("images_per_sec", e.imagesPerSecond, epoch);
        metrics.flush();
        progress.line(format("epoch %d/%d  loss %.4f  train_accuracy %.4f  Accuracy %.4f  "
                             "epoch_time %.3f s  %.0f images/s",
                             epoch, o.epochs, e.loss, e.trainAccuracy, test.accuracy, e.seconds,
                             e.imagesPerSecond));
        if (checkpoints && (schedule.epochDue(epoch) || schedule.clockDue()))
            writeCheckpoint(*checkpoints, schedule, trainer, metrics, progress);
    }
}

} // namespace

int runTraining(const Options& o) {
    auto backend = chooseBackend(o);
    // Data parallel: every rank trains; rank 0 alone logs metrics, prints and writes the model
    // (the epoch statistics the Trainer returns are already summed over the ranks).
    const bool lead = backend->rank() == 0;
    const std::optional<FoundCheckpoint> resume = findResume(o, lead);
    auto [files, where] = resolveData(o);
    const Dataset data = loadDataset(files, where);
    MetricsSink metrics(lead ? metricsPath() : std::string());

    TrainConfig config;
    config.arch = parseArchitecture(o.hidden, data.rows * data.cols, data.classes);
    config.batchSize = o.batchSize;
    config.optimizer = o.optimizer;
    config.lr = o.lr;
    config.momentum = o.momentum;
    config.weightDecay = o.weightDecay;
    config.seed = o.seed;
    Trainer trainer(*backend, data, config);
    if (resume) trainer.restoreState(resume->state, resume->path.string());
    if (!lead) return trainQuietly(trainer, o);

    std::printf("labbench-train: %s, %d train / %d test images from %s\n",
                config.arch.toString().c_str(), data.train.count, data.test.count, where.c_str());
    std::printf(
        "labbench-train: %s, batch %d, lr %g%s, seed %llu, on %s\n",
        o.optimizer == OptimizerKind::Sgd ? "momentum SGD" : "Adam", o.batchSize, double(o.lr),
        o.optimizer == OptimizerKind::Sgd ? format(" momentum %g", double(o.momentum)).c_str() : "",
        o.seed, backend->describe().c_str());
    if (resume) {
        noteChangedFlags(resume->state, config, resume->path.string());
        std::printf("labbench-train: resuming from %s: %d epochs and %d steps done (step %ld)\n",
                    resume->path.string().c_str(), trainer.epochsDone(), trainer.stepInEpoch(),
                    trainer.globalStep());
        if (trainer.epochsDone() >= o.epochs)
            std::printf("labbench-train: -e %d trains no more epochs\n", o.epochs);
    }
    std::fflush(stdout);

    // A later attempt of the same run (resumed from its own checkpoint) logged these already.
    if (!(resume && o.resumePath.empty())) {
        metrics.log("Batch size", o.batchSize, 0);
        metrics.log("Epochs", o.epochs, 0);
        metrics.flush();
    }
    // mpirun hands its ranks a pseudo-terminal even when its own output goes to a file: no bar
    // for data-parallel jobs (the epoch lines still print).
    Progress progress(!metrics.enabled() && stdoutIsTerminal() && backend->worldSize() == 1);
    const fs::path outDir = o.outputDir;
    std::error_code ec;
    fs::create_directories(outDir, ec);
    if (ec)
        throw TrainError(outDir.string() + ": cannot create the output folder (" + ec.message() +
                         ")");

    trainEpochs(trainer, o, metrics, progress);
    checkReplicas(trainer, *backend);

    SavedModel saved;
    saved.arch = config.arch;
    saved.rows = data.rows;
    saved.cols = data.cols;
    saved.scale = kPixelScale;
    saved.offset = kPixelOffset;
    saved.parameters = trainer.parameters();
    const fs::path modelPath = outDir / "model.npz";
    saveModel(modelPath, saved);
    std::printf("labbench-train: saved %s\n", modelPath.string().c_str());
    return 0;
}

int runEvaluation(const Options& o) {
    const SavedModel saved = loadModel(o.evaluateModel);
    auto [files, where] = resolveData(o);
    int rows = 0, cols = 0;
    Split test = loadSplit(files.testImages, files.testLabels, &rows, &cols);
    if (rows != saved.rows || cols != saved.cols) {
        throw TrainError(format("%s expects %dx%d images but %s has %dx%d", o.evaluateModel.c_str(),
                                saved.rows, saved.cols, files.testImages.string().c_str(), rows,
                                cols));
    }
    // The model records its normalisation; re-apply it if it differs from ours.
    if (saved.scale != kPixelScale || saved.offset != kPixelOffset) {
        for (float& x : test.images)
            x = (x - kPixelOffset) / kPixelScale * saved.scale + saved.offset;
    }
    auto backend = chooseBackend(o);
    Mlp model(*backend, saved.arch, std::min(1000, test.count));
    model.uploadParameters(saved.parameters);
    DeviceBuffer<float> images(*backend, test.images.size());
    DeviceBuffer<std::int32_t> labels(*backend, test.labels.size());
    images.upload(test.images.data(), test.images.size());
    labels.upload(test.labels.data(), test.labels.size());
    const Evaluation e = evaluate(*backend, model, images.data(), labels.data(), test.count);
    std::printf("test accuracy %.4f  loss %.4f  (%d images from %s, %.0f images/s)\n", e.accuracy,
                e.loss, e.images, where.c_str(), e.images / std::max(e.seconds, 1e-9));
    MetricsSink metrics(metricsPath());
    metrics.log("Accuracy", e.accuracy, 0);
    metrics.flush();
    return 0;
}

int runPrediction(const Options& o) {
    const SavedModel saved = loadModel(o.modelPath);
    // Every image of every file, normalised, with a name to print.
    std::vector<float> pixels;
    std::vector<std::string> names;
    for (const auto& file : o.predictFiles) {
        std::FILE* f = std::fopen(file.c_str(), "rb");
        if (!f) throw TrainError(file + ": cannot open");
        unsigned char head[4] = {0xff, 0xff, 0xff, 0xff};
        const std::size_t got = std::fread(head, 1, 4, f);
        std::fclose(f);
        std::vector<std::uint8_t> bytes;
        const bool idx = got == 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08;
        if (idx || (got >= 2 && head[0] == 0x1f && head[1] == 0x8b)) {
            const IdxImages images = readIdxImages(file);
            if (images.rows != saved.rows || images.cols != saved.cols) {
                throw TrainError(format("%s holds %dx%d images; the model takes %dx%d",
                                        file.c_str(), images.rows, images.cols, saved.rows,
                                        saved.cols));
            }
            bytes = images.pixels;
            for (int i = 0; i < images.count; ++i)
                names.push_back(file + "[" + std::to_string(i) + "]");
        } else {
            const GreyImage image = readGreyImage(file);
            if (image.width != saved.cols || image.height != saved.rows) {
                throw TrainError(format("%s is %dx%d; the model takes %dx%d greyscale images "
                                        "(white digit on black, like MNIST)",
                                        file.c_str(), image.width, image.height, saved.cols,
                                        saved.rows));
            }
            bytes = image.pixels;
            names.push_back(file);
        }
        for (std::uint8_t p : bytes)
            pixels.push_back(float(p) * saved.scale + saved.offset);
    }
    const int count = int(names.size());
    Predictor predictor(saved, chooseBackend(o), std::max(1, std::min(1000, count)));
    const Predictions p = predictor.predict(pixels.data(), count);
    for (int r = 0; r < count; ++r) {
        const int best = p.best[std::size_t(r)];
        std::printf("%s: %d (p=%.4f)\n", names[std::size_t(r)].c_str(), best,
                    double(p.probabilities[std::size_t(r) * p.classes + best]));
    }
    return 0;
}

} // namespace lb::train
