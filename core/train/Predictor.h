#pragma once
// Inference with a saved model: what `labbench-train --predict` and a native endpoint
// (labbench-serve) both run. Input rows are pixels already normalised the way the model records
// (SavedModel::scale/offset); output is each row's class and softmax probabilities.

#include "core/train/ModelFile.h"

#include <memory>
#include <mutex>
#include <vector>

namespace lb::train {

struct Predictions {
    int classes = 0;                 // columns of probabilities
    std::vector<int> best;           // (rows) the most probable class of each row
    std::vector<float> probabilities; // (rows, classes), each row sums to 1
};

class Predictor {
public:
    // Takes the model and a backend to run it on (the CPU backend for serving); `maxBatch` bounds
    // the rows of one forward pass (more rows are run in chunks).
    Predictor(SavedModel model, std::unique_ptr<Backend> backend, int maxBatch = 1024);
    ~Predictor();

    const SavedModel& model() const { return model_; }
    int features() const { return model_.arch.inputs(); }
    int classes() const { return model_.arch.classes(); }

    // x is (rows, features()), normalised. Thread-safe: concurrent callers take turns, since the
    // model's activation buffers are shared.
    Predictions predict(const float* x, int rows);

    // Pixels as a JSON client sends them, in [0, 1], into the model's normalisation.
    float normalise01(float v) const { return v * 255.0f * model_.scale + model_.offset; }

private:
    SavedModel model_;
    std::unique_ptr<Backend> backend_;
    std::unique_ptr<Mlp> mlp_;
    std::unique_ptr<DeviceBuffer<float>> input_;
    std::mutex mutex_;
};

// Softmax of one row of logits (classes) into `out`, computed in double like --predict prints.
void softmaxRow(const float* logits, int classes, float* out);

} // namespace lb::train
