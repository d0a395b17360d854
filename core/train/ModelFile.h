#pragma once
// outputs/model.npz: what a trained model is on disk. For each layer l = 1..L, "W{l}" (in, out)
// float32 and "b{l}" (out) float32, so numpy computes a layer as relu(x @ W + b); beside them
// "layers" (int32, e.g. [784, 100, 100, 10]), "input_shape" (int32 [28, 28]),
// "normalization" (float32 [scale, offset]: x = pixel * scale + offset for pixels 0..255) and
// "activation" ("relu", between layers; the last layer gives logits).

#include "core/train/Mlp.h"

#include <filesystem>
#include <vector>

namespace lb::train {

struct SavedModel {
    Architecture arch;
    int rows = 28, cols = 28;
    float scale = 1.0f / 255.0f, offset = 0.0f;
    std::vector<float> parameters; // flat, in Mlp's layout for arch
};

void saveModel(const std::filesystem::path& path, const SavedModel& model);
// Throws TrainError naming the file when an array is missing or has the wrong shape.
SavedModel loadModel(const std::filesystem::path& path);

} // namespace lb::train
