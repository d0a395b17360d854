#pragma once
// The model: a multi-layer perceptron sizes[0] -> ... -> sizes[L] with ReLU between layers and
// raw logits out. All parameters live in one flat device buffer (so the optimizer step and the
// all-reduce are one call each): [W1 (in,out), b1 (out), W2, b2, ...], each tensor starting on a
// 64-byte boundary. Forward and backward are sequences of Backend calls and nothing else.

#include "core/train/Backend.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lb::train {

struct Architecture {
    std::vector<int> sizes; // {784, 100, 100, 10}: input, hidden..., classes

    int layers() const { return int(sizes.size()) - 1; }
    int inputs() const { return sizes.front(); }
    int classes() const { return sizes.back(); }
    std::size_t weightOffset(int layer) const; // into the flat buffer, in floats
    std::size_t biasOffset(int layer) const;
    std::size_t parameterCount() const; // including alignment padding
    std::string toString() const;       // "784-100-100-10"
};

// Parses "100,100" (hidden sizes) into an architecture for inputs -> hidden -> classes.
// An empty string gives a linear model. Throws UsageError on bad text.
Architecture parseArchitecture(const std::string& hidden, int inputs, int classes);

// He initialisation (normal, std = sqrt(2 / fan_in)) of every weight, zero biases, from seed.
std::vector<float> heInitialParameters(const Architecture& arch, std::uint64_t seed);

class Mlp {
public:
    // maxBatch bounds the rows of every forward/backward call (buffers are allocated once).
    Mlp(Backend& backend, Architecture arch, int maxBatch);

    const Architecture& architecture() const { return arch_; }
    int maxBatch() const { return maxBatch_; }
    float* parameters() { return params_.data(); }
    float* gradients() { return grads_.data(); }
    std::size_t parameterCount() const { return params_.size(); }

    void uploadParameters(const std::vector<float>& host);
    std::vector<float> downloadParameters() const;

    // x is (B, inputs) on the device; returns the logits (B, classes), valid until the next call.
    const float* forward(const float* x, int B);
    // After forward(x, B): dlogits is (B, classes), the gradient of the loss w.r.t. the logits.
    // Fills gradients() (overwriting, not accumulating). dlogits may be overwritten.
    void backward(const float* x, float* dlogits, int B);
    // backward() and then the optimizer step over every parameter, layer by layer as the
    // gradients appear (state1/state2: the optimizer's buffers, laid out like parameters()).
    // The numbers are exactly those of backward() followed by one Backend::optimizerStep; a
    // backend that fusesWeightStep() never writes the weight gradients out. Single process
    // only: with several ranks the gradients must be summed before any step.
    void backwardAndStep(const float* x, float* dlogits, int B, const OptimizerStep& step,
                         float* state1, float* state2);

private:
    // The one backward loop of both: with step null it only fills gradients().
    void backwardLayers(const float* x, float* dlogits, int B, const OptimizerStep* step,
                        float* state1, float* state2);

    Backend& backend_;
    Architecture arch_;
    int maxBatch_;
    DeviceBuffer<float> params_, grads_;
    std::vector<DeviceBuffer<float>> activations_; // layer l's output (maxBatch, sizes[l+1])
    DeviceBuffer<float> scratch_[2];               // (maxBatch, widest hidden) backward deltas
};

} // namespace lb::train
