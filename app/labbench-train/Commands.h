#pragma once
// The three things labbench-train does: train (the default), --evaluate and --predict.
// Each returns the process exit code; TrainError/UsageError propagate to main().

#include "core/train/Options.h"

namespace lb::train {

int runTraining(const Options& options);
int runEvaluation(const Options& options);
int runPrediction(const Options& options);

} // namespace lb::train
