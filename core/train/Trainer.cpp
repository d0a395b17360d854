#include "core/train/Trainer.h"

#include "core/train/Error.h"
#include "core/train/Rng.h"

#include <chrono>
#include <cmath>
#include <numeric>

namespace lb::train {

namespace {
double now() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}
// Evaluation rows per forward call: large enough that the gemms run at full speed.
constexpr int kEvalBatch = 1000;
} // namespace

Evaluation evaluate(Backend& backend, Mlp& model, const float* images, const std::int32_t* labels,
                    int count) {
    const double start = now();
    const int features = model.architecture().inputs();
    const int classes = model.architecture().classes();
    DeviceBuffer<double> stats(backend, 2);
    stats.zero();
    for (int first = 0; first < count; first += model.maxBatch()) {
        const int rows = std::min(model.maxBatch(), count - first);
        const float* logits = model.forward(images + std::size_t(first) * features, rows);
        backend.softmaxCrossEntropy(logits, labels + first, rows, classes, 0.0f, nullptr,
                                    stats.data());
    }
    double host[2];
    stats.download(host, 2);
    backend.synchronize();
    Evaluation e;
    e.images = count;
    e.loss = count ? host[0] / count : 0.0;
    e.accuracy = count ? host[1] / count : 0.0;
    e.seconds = now() - start;
    return e;
}

Trainer::Trainer(Backend& backend, const Dataset& data, TrainConfig config)
    : backend_(backend)
    , config_(std::move(config))
    , trainCount_(data.train.count)
    , testCount_(data.test.count)
    , features_(data.train.features)
    , model_(backend, config_.arch, std::max(config_.batchSize, kEvalBatch))
    , trainImages_(backend, data.train.images.size())
    , testImages_(backend, data.test.images.size())
    , trainLabels_(backend, data.train.labels.size())
    , testLabels_(backend, data.test.labels.size())
    , permutation_(backend, std::size_t(trainCount_))
    , batchImages_(backend, std::size_t(config_.batchSize) * features_)
    , dlogits_(backend, std::size_t(config_.batchSize) * config_.arch.classes())
    , batchLabels_(backend, std::size_t(config_.batchSize))
    , state1_(backend, model_.parameterCount())
    , state2_(backend, config_.optimizer == OptimizerKind::Adam ? model_.parameterCount() : 1)
    , stats_(backend, 2)
    , reduce_(backend, std::size_t(8 * std::max(1, backend.worldSize())))
    , hostPermutation_(std::size_t(trainCount_))
    , shuffleState_(config_.seed) {
    if (config_.arch.inputs() != features_) {
        throw TrainError("the model takes " + std::to_string(config_.arch.inputs()) +
                         " inputs but the images have " + std::to_string(features_) + " pixels");
    }
    if (config_.batchSize < 1) throw UsageError("--batchsize must be at least 1");
    trainImages_.upload(data.train.images.data(), data.train.images.size());
    testImages_.upload(data.test.images.data(), data.test.images.size());
    trainLabels_.upload(data.train.labels.data(), data.train.labels.size());
    testLabels_.upload(data.test.labels.data(), data.test.labels.size());
    state1_.zero();
    state2_.zero();
    model_.uploadParameters(heInitialParameters(config_.arch, config_.seed));
    checkRanksMatch();
    if (backend_.worldSize() > 1) {
        // Broadcast rank 0's weights with the one collective every backend has: the others
        // contribute zeros, and x + 0 + ... + 0 == x exactly. The seed already makes them equal;
        // this makes it so whatever each rank's initialiser did.
        if (backend_.rank() != 0)
            backend_.fillZero(model_.parameters(), model_.parameterCount() * sizeof(float));
        backend_.allReduceSum(model_.parameters(), model_.parameterCount());
    }
    std::iota(hostPermutation_.begin(), hostPermutation_.end(), 0);
}

void Trainer::sumAcrossRanks(double* values, int n) {
    if (backend_.worldSize() <= 1) return;
    // Counts below 2^24 and loss sums stay exact enough in float (the all-reduce's type).
    float host[8];
    for (int i = 0; i < n; ++i)
        host[i] = float(values[i]);
    reduce_.upload(host, std::size_t(n));
    backend_.allReduceSum(reduce_.data(), std::size_t(n));
    reduce_.download(host, std::size_t(n));
    backend_.synchronize();
    for (int i = 0; i < n; ++i)
        values[i] = double(host[i]);
}

std::vector<std::uint32_t> Trainer::gatherAcrossRanks(const std::vector<std::uint32_t>& mine) {
    const int world = backend_.worldSize();
    if (world <= 1) return mine;
    // An all-gather from the one collective every backend has: each rank writes its values,
    // as 16-bit halves (exact in float), into its own slots and zeros elsewhere; the sum hands
    // every rank every rank's values, bit for bit.
    const std::size_t k = mine.size(), per = 2 * k;
    if (per * std::size_t(world) > reduce_.size())
        throw TrainError("gatherAcrossRanks: too many values");
    std::vector<float> slots(per * std::size_t(world), 0.0f);
    for (std::size_t i = 0; i < k; ++i) {
        slots[per * std::size_t(backend_.rank()) + 2 * i] = float(mine[i] & 0xffff);
        slots[per * std::size_t(backend_.rank()) + 2 * i + 1] = float(mine[i] >> 16);
    }
    reduce_.upload(slots.data(), slots.size());
    backend_.allReduceSum(reduce_.data(), slots.size());
    reduce_.download(slots.data(), slots.size());
    backend_.synchronize();
    std::vector<std::uint32_t> all(k * std::size_t(world));
    for (std::size_t i = 0; i < all.size(); ++i)
        all[i] = std::uint32_t(slots[2 * i]) | (std::uint32_t(slots[2 * i + 1]) << 16);
    return all;
}

void Trainer::checkRanksMatch() {
    const int world = backend_.worldSize();
    if (world <= 1) return;
    // Ranks that disagree on these would issue different numbers or sizes of all-reduces and
    // hang or fail inside MPI/NCCL: stop every rank with the reason instead.
    const std::vector<std::uint32_t> mine{std::uint32_t(trainCount_),
                                          std::uint32_t(config_.batchSize),
                                          std::uint32_t(model_.parameterCount())};
    const std::vector<std::uint32_t> all = gatherAcrossRanks(mine);
    for (int r = 0; r < world; ++r) {
        const std::uint32_t* theirs = all.data() + 3 * std::size_t(r);
        if (theirs[0] == all[0] && theirs[1] == all[1] && theirs[2] == all[2]) continue;
        throw TrainError("rank " + std::to_string(r) + " has " + std::to_string(theirs[0]) +
                         " training images, batch " + std::to_string(theirs[1]) + " and " +
                         std::to_string(theirs[2]) + " parameters but rank 0 has " +
                         std::to_string(all[0]) + ", " + std::to_string(all[1]) + " and " +
                         std::to_string(all[2]) +
                         "; start every rank with the same data and flags");
    }
}

bool Trainer::replicasAgree() {
    const int world = backend_.worldSize();
    if (world <= 1) return true;
    // FNV-1a over the parameter bytes, compared across ranks.
    const std::vector<float> params = model_.downloadParameters();
    std::uint64_t h = 0xcbf29ce484222325ull;
    const auto* bytes = reinterpret_cast<const unsigned char*>(params.data());
    for (std::size_t i = 0; i < params.size() * sizeof(float); ++i)
        h = (h ^ bytes[i]) * 0x100000001b3ull;
    const std::vector<std::uint32_t> all =
        gatherAcrossRanks({std::uint32_t(h), std::uint32_t(h >> 32)});
    for (int r = 1; r < world; ++r) {
        if (all[2 * std::size_t(r)] != all[0] || all[2 * std::size_t(r) + 1] != all[1])
            return false;
    }
    return true;
}

int Trainer::stepsPerEpoch() const {
    // Data-parallel jobs (one process per GPU) take full global batches only, so every rank
    // issues the same number of steps and the all-reduces pair up.
    const int world = backend_.worldSize();
    if (world > 1) return trainCount_ / (config_.batchSize * world);
    return (trainCount_ + config_.batchSize - 1) / config_.batchSize;
}

void Trainer::step(const std::int32_t* idx, int rows) {
    ++globalStep_;
    const OptimizerStep opt = optimizerStepAt(globalStep_);
    // A backend with step graphs (CUDA) records the first full step once and replays it; the
    // last, partial batch of an epoch and backends without graphs issue the operations.
    if (rows == config_.batchSize && backend_.supportsStepCapture()) {
        if (!stepCaptured_) {
            backend_.beginStepCapture();
            issueStep(idx, rows, opt);
            backend_.endStepCapture();
            stepCaptured_ = true;
        }
        backend_.replayStep(idx, opt);
        return;
    }
    issueStep(idx, rows, opt);
}

OptimizerStep Trainer::optimizerStepAt(long t) const {
    OptimizerStep opt;
    opt.kind = config_.optimizer;
    if (opt.kind == OptimizerKind::Sgd) {
        opt.sgd = {config_.lr, config_.momentum, config_.weightDecay};
    } else {
        opt.adam = {config_.lr,
                    config_.beta1,
                    config_.beta2,
                    config_.eps,
                    config_.weightDecay,
                    float(1.0 - std::pow(double(config_.beta1), double(t))),
                    float(1.0 - std::pow(double(config_.beta2), double(t)))};
    }
    return opt;
}

void Trainer::issueStep(const std::int32_t* idx, int rows, const OptimizerStep& opt) {
    const int classes = config_.arch.classes();
    // x (rows, features), y (rows): this batch, gathered on the device.
    backend_.gatherRows(trainImages_.data(), trainLabels_.data(), features_, idx, rows,
                        batchImages_.data(), batchLabels_.data());
    const float* logits = model_.forward(batchImages_.data(), rows); // (rows, classes)
    // dlogits = (softmax - onehot) / rows: the gradient of the batch-mean loss.
    // With several ranks the all-reduce sums their gradients: scale by the global batch.
    const float gradScale = 1.0f / float(rows * backend_.worldSize());
    backend_.softmaxCrossEntropy(logits, batchLabels_.data(), rows, classes, gradScale,
                                 dlogits_.data(), stats_.data());
    if (backend_.fusesWeightStep() && backend_.worldSize() == 1) {
        // Each layer steps as soon as its gradient is known: the weight gradients never go
        // through memory (same numbers as the two calls below).
        model_.backwardAndStep(batchImages_.data(), dlogits_.data(), rows, opt, state1_.data(),
                               state2_.data());
        return;
    }
    model_.backward(batchImages_.data(), dlogits_.data(), rows);
    backend_.allReduceSum(model_.gradients(), model_.parameterCount());
    backend_.optimizerStep(opt, model_.parameters(), model_.gradients(), state1_.data(),
                           state2_.data(), model_.parameterCount());
}

EpochStats Trainer::trainEpoch(const ProgressFn& progress, const BatchLossFn& batchLoss,
                               int interval) {
    const double start = now();
    if (!inEpoch_) {
        ++epoch_;
        // The order of this epoch: one seeded stream across epochs, so epoch k's order depends
        // only on the seed (the stream is offset from the initialisation's by a constant).
        Rng rng(shuffleState_ ^ 0x9e3779b97f4a7c15ull);
        rng.shuffle(hostPermutation_.data(), hostPermutation_.size());
        shuffleState_ = rng.next();
        permutation_.upload(hostPermutation_.data(), hostPermutation_.size());
        stats_.zero();
        inEpoch_ = true;
        stepInEpoch_ = 0;
        lastLoss_ = 0.0;
        rowsSinceLog_ = rowsSeen_ = 0;
    } // else: restored in the middle of this epoch, whose order and sums restoreState() set
    const long rowsBefore = rowsSeen_; // > 0 only when resumed mid-epoch (one process)

    const int steps = stepsPerEpoch();
    const int world = backend_.worldSize(), rank = backend_.rank();
    if (steps == 0) {
        throw TrainError(std::to_string(trainCount_) +
                         " training images cannot fill one batch of " +
                         std::to_string(config_.batchSize) + " on each of " +
                         std::to_string(world) + " processes; lower --batchsize");
    }
    for (int s = stepInEpoch_; s < steps; ++s) {
        // Global batch s is `world` consecutive slices of the shared permutation; this rank
        // takes slice `rank` (one process: first = s * batchSize).
        const int first = (s * world + rank) * config_.batchSize;
        const int rows = std::min(config_.batchSize, trainCount_ - first);
        step(permutation_.data() + first, rows);
        rowsSinceLog_ += rows;
        rowsSeen_ += rows;
        // With several ranks this is a collective, so it must not depend on whether this rank
        // has a callback (only rank 0 reports).
        if ((batchLoss || world > 1) && interval > 0 && (s + 1) % interval == 0) {
            // The only device-to-host read inside the epoch: every `interval` steps.
            double host[2];
            stats_.download(host, 2);
            double sums[2] = {host[0] - lastLoss_, double(rowsSinceLog_)};
            sumAcrossRanks(sums, 2);
            if (batchLoss) batchLoss(globalStep_, sums[0] / sums[1]);
            lastLoss_ = host[0];
            rowsSinceLog_ = 0;
        }
        stepInEpoch_ = s + 1; // before the callback, which may take a checkpoint
        if (progress) progress(s + 1, steps);
    }
    double host[2];
    stats_.download(host, 2);
    backend_.synchronize();
    inEpoch_ = false;
    // Every rank's loss sum, correct count and images: the global epoch.
    double sums[3] = {host[0], host[1], double(rowsSeen_)};
    sumAcrossRanks(sums, 3);
    EpochStats e;
    e.epoch = epoch_;
    e.seconds = now() - start;
    e.images = long(sums[2]);
    e.loss = sums[0] / sums[2];
    e.trainAccuracy = sums[1] / sums[2];
    // A resumed epoch's time covers the part trained here; so does its speed.
    e.imagesPerSecond = (sums[2] - double(rowsBefore)) / e.seconds;
    return e;
}

TrainerState Trainer::saveState() const {
    TrainerState s;
    s.arch = config_.arch;
    s.optimizer = config_.optimizer;
    s.batchSize = config_.batchSize;
    s.seed = config_.seed;
    s.lr = config_.lr;
    s.momentum = config_.momentum;
    s.weightDecay = config_.weightDecay;
    s.beta1 = config_.beta1;
    s.beta2 = config_.beta2;
    s.eps = config_.eps;
    s.epochsDone = epochsDone();
    s.stepInEpoch = stepInEpoch();
    s.globalStep = globalStep_;
    s.shuffleState = shuffleState_;
    s.permutation = hostPermutation_;
    if (inEpoch_) {
        double host[2];
        stats_.download(host, 2);
        backend_.synchronize();
        s.lossSum = host[0];
        s.correct = host[1];
        s.lastLoss = lastLoss_;
        s.rowsSinceLog = rowsSinceLog_;
        s.rowsSeen = rowsSeen_;
    }
    // Host copies through the Backend interface, so the CUDA backend checkpoints the same way.
    s.parameters = model_.downloadParameters();
    s.state1.resize(state1_.size());
    s.state2.resize(state2_.size());
    state1_.download(s.state1.data(), s.state1.size());
    state2_.download(s.state2.data(), s.state2.size());
    backend_.synchronize();
    return s;
}

void Trainer::restoreState(const TrainerState& s, const std::string& source) {
    auto refuse = [&](const std::string& why) { throw TrainError(source + ": " + why); };
    if (s.arch.sizes != config_.arch.sizes)
        refuse("holds a " + s.arch.toString() + " model but this run trains " +
               config_.arch.toString() + " (see --hidden and the data's image size)");
    if (s.optimizer != config_.optimizer)
        refuse(std::string("was written by ") +
               (s.optimizer == OptimizerKind::Adam ? "Adam" : "momentum SGD") +
               " but this run uses " +
               (config_.optimizer == OptimizerKind::Adam ? "Adam" : "momentum SGD") +
               " (--optimizer)");
    if (s.permutation.size() != hostPermutation_.size())
        refuse("was written for " + std::to_string(s.permutation.size()) +
               " training images but this run has " + std::to_string(hostPermutation_.size()));
    if (s.stepInEpoch > 0 && s.batchSize != config_.batchSize)
        refuse("stopped inside an epoch of batch " + std::to_string(s.batchSize) +
               " but this run's --batchsize is " + std::to_string(config_.batchSize));
    if (s.stepInEpoch > stepsPerEpoch())
        refuse("is at step " + std::to_string(s.stepInEpoch) + " of an epoch of only " +
               std::to_string(stepsPerEpoch()) + " steps");
    if (s.stepInEpoch > 0 && backend_.worldSize() > 1)
        refuse("stopped inside an epoch; a data-parallel run resumes only from an epoch "
               "boundary (--checkpoint-every)");
    if (s.parameters.size() != model_.parameterCount() || s.state1.size() != state1_.size() ||
        s.state2.size() != state2_.size())
        refuse("holds " + std::to_string(s.parameters.size()) + " parameters and " +
               std::to_string(s.state1.size() + s.state2.size()) +
               " optimizer values, which do not fit this model and optimizer");
    std::vector<bool> seen(hostPermutation_.size(), false);
    for (std::int32_t i : s.permutation) {
        if (i < 0 || std::size_t(i) >= seen.size() || seen[std::size_t(i)])
            refuse("is corrupt: its image order is not a permutation");
        seen[std::size_t(i)] = true;
    }

    model_.uploadParameters(s.parameters);
    state1_.upload(s.state1.data(), s.state1.size());
    state2_.upload(s.state2.data(), s.state2.size());
    hostPermutation_ = s.permutation;
    permutation_.upload(hostPermutation_.data(), hostPermutation_.size());
    shuffleState_ = s.shuffleState;
    globalStep_ = s.globalStep;
    inEpoch_ = s.stepInEpoch > 0;
    epoch_ = s.epochsDone + (inEpoch_ ? 1 : 0);
    stepInEpoch_ = s.stepInEpoch;
    lastLoss_ = s.lastLoss;
    rowsSinceLog_ = s.rowsSinceLog;
    rowsSeen_ = s.rowsSeen;
    const double sums[2] = {s.lossSum, s.correct};
    stats_.upload(sums, 2);
    backend_.synchronize();
}

// Every rank holds the same weights and the whole test set, so any rank (labbench-train asks
// rank 0 alone) evaluates the full test set without communication.
Evaluation Trainer::evaluateTest() {
    return evaluate(backend_, model_, testImages_.data(), testLabels_.data(), testCount_);
}

} // namespace lb::train
