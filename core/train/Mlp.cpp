#include "core/train/Mlp.h"

#include "core/train/Error.h"
#include "core/train/Rng.h"

#include <algorithm>
#include <cmath>

namespace lb::train {

namespace {
constexpr std::size_t kAlignFloats = 16; // 64 bytes

std::size_t alignUp(std::size_t n) {
    return (n + kAlignFloats - 1) / kAlignFloats * kAlignFloats;
}
} // namespace

std::size_t Architecture::weightOffset(int layer) const {
    std::size_t offset = 0;
    for (int l = 0; l < layer; ++l) {
        offset += alignUp(std::size_t(sizes[l]) * sizes[l + 1]) + alignUp(sizes[l + 1]);
    }
    return offset;
}

std::size_t Architecture::biasOffset(int layer) const {
    return weightOffset(layer) + alignUp(std::size_t(sizes[layer]) * sizes[layer + 1]);
}

std::size_t Architecture::parameterCount() const {
    return weightOffset(layers());
}

std::string Architecture::toString() const {
    std::string s;
    for (std::size_t i = 0; i < sizes.size(); ++i)
        s += (i ? "-" : "") + std::to_string(sizes[i]);
    return s;
}

Architecture parseArchitecture(const std::string& hidden, int inputs, int classes) {
    Architecture arch;
    arch.sizes.push_back(inputs);
    std::size_t start = 0;
    while (start < hidden.size()) {
        const std::size_t end = std::min(hidden.find(',', start), hidden.size());
        const std::string item = hidden.substr(start, end - start);
        char* rest = nullptr;
        const long width = std::strtol(item.c_str(), &rest, 10);
        if (item.empty() || *rest != '\0' || width < 1 || width > 1'000'000) {
            throw UsageError("--hidden takes widths separated by commas such as 100,100; '" + item +
                             "' is not a width");
        }
        arch.sizes.push_back(int(width));
        start = end + 1;
    }
    arch.sizes.push_back(classes);
    return arch;
}

std::vector<float> heInitialParameters(const Architecture& arch, std::uint64_t seed) {
    std::vector<float> params(arch.parameterCount(), 0.0f);
    Rng rng(seed);
    for (int l = 0; l < arch.layers(); ++l) {
        const int in = arch.sizes[l], out = arch.sizes[l + 1];
        const double stddev = std::sqrt(2.0 / in);
        float* w = params.data() + arch.weightOffset(l); // (in, out)
        for (std::size_t i = 0; i < std::size_t(in) * out; ++i)
            w[i] = float(rng.normal() * stddev);
    }
    return params;
}

Mlp::Mlp(Backend& backend, Architecture arch, int maxBatch)
    : backend_(backend)
    , arch_(std::move(arch))
    , maxBatch_(maxBatch)
    , params_(backend, arch_.parameterCount())
    , grads_(backend, arch_.parameterCount()) {
    params_.zero();
    grads_.zero();
    int widestHidden = 1;
    for (int l = 0; l < arch_.layers(); ++l) {
        activations_.emplace_back(backend, std::size_t(maxBatch) * arch_.sizes[l + 1]);
        if (l > 0) widestHidden = std::max(widestHidden, arch_.sizes[l]);
    }
    for (auto& s : scratch_)
        s = DeviceBuffer<float>(backend, std::size_t(maxBatch) * widestHidden);
}

void Mlp::uploadParameters(const std::vector<float>& host) {
    if (host.size() != params_.size()) {
        throw TrainError("parameter count mismatch: " + std::to_string(host.size()) + " given, " +
                         std::to_string(params_.size()) + " expected for " + arch_.toString());
    }
    params_.upload(host.data(), host.size());
}

std::vector<float> Mlp::downloadParameters() const {
    std::vector<float> host(params_.size());
    params_.download(host.data(), host.size());
    return host;
}

const float* Mlp::forward(const float* x, int B) {
    const float* in = x; // (B, sizes[0])
    for (int l = 0; l < arch_.layers(); ++l) {
        const int nIn = arch_.sizes[l], nOut = arch_.sizes[l + 1];
        const float* W = params_.data() + arch_.weightOffset(l); // (nIn, nOut)
        const float* b = params_.data() + arch_.biasOffset(l);   // (nOut)
        float* out = activations_[l].data();                     // (B, nOut)
        const bool last = l == arch_.layers() - 1;
        backend_.linearForward(in, W, b, B, nOut, nIn, last ? Activation::None : Activation::Relu,
                               out);
        in = out;
    }
    return in;
}

void Mlp::backward(const float* x, float* dlogits, int B) {
    backwardLayers(x, dlogits, B, nullptr, nullptr, nullptr);
}

void Mlp::backwardAndStep(const float* x, float* dlogits, int B, const OptimizerStep& step,
                          float* state1, float* state2) {
    backwardLayers(x, dlogits, B, &step, state1, state2);
}

void Mlp::backwardLayers(const float* x, float* dlogits, int B, const OptimizerStep* step,
                         float* state1, float* state2) {
    float* delta = dlogits; // (B, sizes[l+1]): dLoss/d(pre-activation) of layer l
    for (int l = arch_.layers() - 1; l >= 0; --l) {
        const int nIn = arch_.sizes[l], nOut = arch_.sizes[l + 1];
        const float* in = l == 0 ? x : activations_[l - 1].data(); // (B, nIn)
        const std::size_t wOff = arch_.weightOffset(l), bOff = arch_.biasOffset(l);
        float* W = params_.data() + wOff;   // (nIn, nOut)
        float* dW = grads_.data() + wOff;   // (nIn, nOut)
        float* db = grads_.data() + bOff;   // (nOut)
        backend_.columnSum(delta, B, nOut, db);
        // dIn (B, nIn) = delta (B, nOut) * W^T (nOut, nIn), then through the ReLU of layer l-1;
        // before the weight step below, which changes W (the input layer needs no gradient).
        float* dIn = nullptr;
        if (l > 0) {
            dIn = scratch_[l % 2].data();
            backend_.linearInputGradientRelu(delta, W, activations_[l - 1].data(), B, nOut, nIn,
                                             dIn);
        }
        if (!step) {
            // dW = in^T (nIn, B) * delta (B, nOut)
            backend_.gemm(Trans::Yes, Trans::No, nIn, nOut, B, 1.0f, in, nIn, delta, nOut, 0.0f,
                          dW, nOut);
        } else {
            // SGD has no second state (its buffer may be a placeholder of one float).
            const bool adam = step->kind == OptimizerKind::Adam;
            backend_.linearWeightStep(in, delta, B, nIn, nOut, *step, W, state1 + wOff,
                                      adam ? state2 + wOff : nullptr, dW);
            backend_.optimizerStep(*step, params_.data() + bOff, db, state1 + bOff,
                                   adam ? state2 + bOff : nullptr, std::size_t(nOut));
        }
        delta = dIn;
    }
}

} // namespace lb::train
