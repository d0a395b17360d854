#pragma once
// A native endpoint: a model.npz that labbench-train wrote, answered by the trainer's own
// inference code (core/train/Predictor) with no Python. Takes {"data": [[784 floats in 0..1],
// ...]} (or one flat row), one PNG image (Content-Type: image/png), or an IDX image file as
// MNIST ships it, uncompressed (Content-Type: application/x-idx or application/octet-stream);
// answers
// {"classes": [...], "probabilities": [[...], ...]}.

#include "core/serve/server/DynamicBatcher.h"
#include "core/serve/server/FastRows.h"
#include "core/serve/server/Scorer.h"
#include "core/train/Predictor.h"

#include <memory>

namespace lb::serve {

class NativeScorer : public Scorer {
public:
    // Loads the model (train::TrainError naming the file when it cannot) onto the CPU backend.
    NativeScorer(const std::string& modelPath, int batchDelayUs, int threads = 0);

    ScoreReply score(const std::string& body, const std::string& contentType) override;
    std::string requestSchema() const override;
    std::string responseSchema() const override;

private:
    ScoreReply fromJson(const std::string& body);
    ScoreReply fromPng(const std::string& body);
    ScoreReply fromIdx(const std::string& body);
    ScoreReply answer(std::vector<float> x, int rows);

    std::unique_ptr<train::Predictor> predictor_;
    std::unique_ptr<DynamicBatcher> batcher_;
    RowShape shape_;
};

} // namespace lb::serve
