#pragma once
// One training run over a Dataset on a Backend: the epoch loop (shuffle, gather, forward, loss,
// backward, all-reduce, optimizer) and the test-set evaluation. Everything the step loop
// touches is allocated in the constructor; the loop itself allocates nothing.
//
// Data parallel (backend worldSize() > 1): every rank holds the whole dataset and the same seed,
// so every rank draws the same shuffled order; global batch s is `world` consecutive slices of
// it and rank r trains on slice r, with the gradients summed by the backend's all-reduce and
// scaled by the global batch. A run of N ranks with --batchsize B is therefore the one-process
// run with batch N*B up to summation order. Rank 0's initial weights are broadcast, so the
// replicas start, and stay, bit-identical. Epoch statistics are summed across ranks: every rank
// gets the global values (rank 0 reports them).

#include "core/train/Backend.h"
#include "core/train/Checkpoint.h"
#include "core/train/Dataset.h"
#include "core/train/Mlp.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace lb::train {

struct TrainConfig {
    Architecture arch;
    int batchSize = 100;
    OptimizerKind optimizer = OptimizerKind::Sgd;
    float lr = 0.01f;
    float momentum = 0.9f;
    float weightDecay = 0.0f;
    float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f; // Adam
    std::uint64_t seed = 0;
};

struct EpochStats {
    int epoch = 0;            // 1-based
    double loss = 0;          // mean training loss over the epoch, all ranks
    double trainAccuracy = 0; // fraction of training images classified right while training
    long images = 0;          // training images of this epoch, all ranks
    double seconds = 0;       // training time, evaluation excluded
    double imagesPerSecond = 0;
};

struct Evaluation {
    double loss = 0;
    double accuracy = 0;
    int images = 0;
    double seconds = 0;
};

// Evaluates an Mlp on a split that is resident on the backend (images (count, features) and
// labels), in chunks of model.maxBatch() rows.
Evaluation evaluate(Backend& backend, Mlp& model, const float* images, const std::int32_t* labels,
                    int count);

class Trainer {
public:
    // The dataset is copied to the backend once here.
    Trainer(Backend& backend, const Dataset& data, TrainConfig config);

    // Called every `interval` steps with (global step, mean loss of those steps over all ranks).
    using BatchLossFn = std::function<void(long step, double loss)>;
    // Called after each step with (step in epoch, steps per epoch), for progress bars.
    using ProgressFn = std::function<void(int step, int steps)>;

    EpochStats trainEpoch(const ProgressFn& progress = {}, const BatchLossFn& batchLoss = {},
                          int interval = 100);
    Evaluation evaluateTest();

    // The whole state between two steps, on the host (a checkpoint's contents), and back. A
    // restored Trainer takes the same steps, bit for bit, as the one the state came from.
    // saveState() may be called from trainEpoch's progress callback (a step boundary); with
    // several ranks only at an epoch boundary, since the epoch's running sums are per rank.
    TrainerState saveState() const;
    // Throws TrainError, naming `source`, when the state is for another model, optimizer or
    // training set; nothing is changed then.
    void restoreState(const TrainerState& state, const std::string& source);
    // Complete epochs, and whether one is part done (restored from a mid-epoch checkpoint, or
    // inside trainEpoch).
    int epochsDone() const { return inEpoch_ ? epoch_ - 1 : epoch_; }
    int stepInEpoch() const { return inEpoch_ ? stepInEpoch_ : 0; }

    int stepsPerEpoch() const;
    // Data parallel: whether every rank holds the same parameters now (a collective: every rank
    // must call it). Compares a 64-bit hash of each rank's parameter bytes. True alone.
    bool replicasAgree();
    long globalStep() const { return globalStep_; }
    Mlp& model() { return model_; }
    Backend& backend() { return backend_; }
    std::vector<float> parameters() const { return model_.downloadParameters(); }

private:
    void step(const std::int32_t* idx, int rows);
    // The operations of one step (recorded instead when the backend is capturing a graph).
    void issueStep(const std::int32_t* idx, int rows, const OptimizerStep& opt);
    OptimizerStep optimizerStepAt(long t) const; // hyper-parameters of step t (from 1)
    // values(n) summed across the ranks (through the backend's all-reduce); no-op alone.
    void sumAcrossRanks(double* values, int n);
    // Every rank's `mine` (at most 4 values), rank by rank; `mine` alone.
    std::vector<std::uint32_t> gatherAcrossRanks(const std::vector<std::uint32_t>& mine);
    // Throws TrainError on every rank when the ranks differ in data size, batch or model.
    void checkRanksMatch();

    Backend& backend_;
    TrainConfig config_;
    int trainCount_, testCount_, features_;
    Mlp model_;
    DeviceBuffer<float> trainImages_, testImages_;
    DeviceBuffer<std::int32_t> trainLabels_, testLabels_;
    DeviceBuffer<std::int32_t> permutation_;    // (trainCount) this epoch's order
    DeviceBuffer<float> batchImages_, dlogits_; // (B, features), (B, classes)
    DeviceBuffer<std::int32_t> batchLabels_;    // (B)
    DeviceBuffer<float> state1_, state2_;       // optimizer state, like the parameters
    DeviceBuffer<double> stats_;                // (2) loss sum, correct count this epoch
    DeviceBuffer<float> reduce_;                // (8 * world) host values to all-reduce
    std::vector<std::int32_t> hostPermutation_;
    std::uint64_t shuffleState_;
    long globalStep_ = 0;
    bool stepCaptured_ = false; // the backend holds a recorded step (supportsStepCapture)
    int epoch_ = 0;             // epochs begun
    // The epoch in progress: members, not locals, so that a checkpoint can be taken (and
    // resumed) between two of its steps.
    bool inEpoch_ = false;
    int stepInEpoch_ = 0;
    double lastLoss_ = 0;
    long rowsSinceLog_ = 0, rowsSeen_ = 0;
};

} // namespace lb::train
