#pragma once
// labbench-train's command line. The flags of the Chainer MNIST sample that Azure ML runs
// (--epochs/-e, --batchsize/-b, --output_dir/-o, --gpu_id/-g) keep their names and defaults,
// so an estimator written for it runs unchanged; the rest are ours.

#include "core/train/Backend.h"

#include <string>
#include <vector>

namespace lb::train {

struct Options {
    enum class Mode { Train, Evaluate, Predict, Help };
    Mode mode = Mode::Train;

    // Chainer sample flags
    int epochs = 20;
    int batchSize = 100;
    std::string outputDir = "./outputs";
    int gpuId = -1;
    bool gpuIdGiven = false;

    // model and optimizer
    std::string hidden = "100,100";
    OptimizerKind optimizer = OptimizerKind::Sgd;
    float lr = 0.01f; // Adam's default is 0.001 when --lr is not given
    bool lrGiven = false;
    float momentum = 0.9f;
    float weightDecay = 0.0f;
    unsigned long long seed = 0;

    // machine
    int threads = 0; // 0 = every core
    BackendKind backend = BackendKind::Auto;

    // data
    std::string dataDir; // --data DIR: the four files there
    std::string dataset; // --dataset NAME (default mnist when --data is not given)
    bool download = false;

    // other modes
    std::string evaluateModel;             // --evaluate MODEL.npz
    std::vector<std::string> predictFiles; // --predict FILE (repeatable)
    std::string modelPath;                 // --model for --predict; default output_dir/model.npz

    int logInterval = 100; // steps between batch_loss metrics

    // checkpoints (see Checkpoint.h)
    int checkpointEvery = 0;      // epochs between checkpoints; 0 = none
    double checkpointMinutes = 0; // minutes between checkpoints (at a step boundary); 0 = none
    std::string
        checkpointDir;      // --checkpoint-dir, else $LABBENCH_CHECKPOINT_DIR, else ./checkpoints
    int checkpointKeep = 2; // the newest this process wrote that stay
    std::string resumePath; // --resume FILE|DIR
    bool checkpointing() const { return checkpointEvery > 0 || checkpointMinutes > 0; }
};

// Throws UsageError with a sentence naming the flag.
Options parseOptions(const std::vector<std::string>& args);
std::string usageText();

} // namespace lb::train
