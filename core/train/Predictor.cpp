#include "core/train/Predictor.h"

#include "core/train/Error.h"

#include <algorithm>
#include <cmath>

namespace lb::train {

Predictor::Predictor(SavedModel model, std::unique_ptr<Backend> backend, int maxBatch)
    : model_(std::move(model)), backend_(std::move(backend)) {
    if (!backend_) throw TrainError("Predictor needs a backend");
    const int chunk = std::max(1, maxBatch);
    mlp_ = std::make_unique<Mlp>(*backend_, model_.arch, chunk);
    mlp_->uploadParameters(model_.parameters);
    input_ = std::make_unique<DeviceBuffer<float>>(*backend_, std::size_t(chunk) * features());
}

// The device buffers are released before the backend that owns their memory.
Predictor::~Predictor() {
    input_.reset();
    mlp_.reset();
}

void softmaxRow(const float* z, int classes, float* out) {
    const float top = *std::max_element(z, z + classes);
    double sum = 0;
    for (int c = 0; c < classes; ++c)
        sum += std::exp(double(z[c]) - top);
    for (int c = 0; c < classes; ++c)
        out[c] = float(std::exp(double(z[c]) - top) / sum);
}

Predictions Predictor::predict(const float* x, int rows) {
    std::lock_guard lock(mutex_);
    Predictions p;
    p.classes = classes();
    p.best.resize(std::size_t(std::max(0, rows)));
    p.probabilities.resize(std::size_t(std::max(0, rows)) * p.classes);
    const int chunk = mlp_->maxBatch();
    std::vector<float> logits(std::size_t(chunk) * p.classes);
    for (int first = 0; first < rows; first += chunk) {
        const int n = std::min(chunk, rows - first);
        input_->upload(x + std::size_t(first) * features(), std::size_t(n) * features());
        const float* out = mlp_->forward(input_->data(), n); // (n, classes) on the device
        backend_->copyToHost(logits.data(), out, std::size_t(n) * p.classes * sizeof(float));
        for (int r = 0; r < n; ++r) {
            const float* z = logits.data() + std::size_t(r) * p.classes;
            p.best[std::size_t(first + r)] = int(std::max_element(z, z + p.classes) - z);
            softmaxRow(z, p.classes, p.probabilities.data() + std::size_t(first + r) * p.classes);
        }
    }
    return p;
}

} // namespace lb::train
