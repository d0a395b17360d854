#include "core/serve/server/NativeScorer.h"

#include "core/train/Backend.h"
#include "core/train/Idx.h"
#include "core/train/Image.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace lb::serve {

using Json = nlohmann::json;

namespace {

constexpr int kMaxRows = 10000; // per request; the body limit comes first for most clients

ScoreReply badRequest(const std::string& sentence) {
    return {400, errorBody(sentence)};
}

} // namespace

NativeScorer::NativeScorer(const std::string& modelPath, int batchDelayUs, int threads) {
    train::BackendOptions options;
    options.threads = threads;
    predictor_ = std::make_unique<train::Predictor>(
        train::loadModel(modelPath), train::makeBackend(train::BackendKind::Cpu, options));
    batcher_ = std::make_unique<DynamicBatcher>(*predictor_, batchDelayUs);
    shape_.features = predictor_->features();
    shape_.maxRows = kMaxRows;
    shape_.scale = predictor_->model().scale;
    shape_.offset = predictor_->model().offset;
}

ScoreReply NativeScorer::score(const std::string& body, const std::string& contentType) {
    if (contentType.rfind("image/png", 0) == 0) return fromPng(body);
    if (contentType.rfind("application/x-idx", 0) == 0 ||
        contentType.rfind("application/octet-stream", 0) == 0)
        return fromIdx(body);
    return fromJson(body);
}

ScoreReply NativeScorer::fromJson(const std::string& body) {
    std::vector<float> fast;
    int fastRows = 0;
    if (parseRowsFast(body, shape_, fast, fastRows)) return answer(std::move(fast), fastRows);
    // What the fast path refused: parsed again, slowly, to say what is wrong (or to accept what
    // it is too strict for, such as keys beside "data").
    const Json j = Json::parse(body, nullptr, false);
    if (j.is_discarded()) {
        bool outOfRange = false;
        const std::string problem = jsonBodyProblem(body, &outOfRange);
        return badRequest((problem.empty() ? std::string("The body is not valid JSON") : problem) +
                          (outOfRange
                               ? "; pixels are numbers scaled to [0, 1]."
                               : "; send {\"data\": [[" + std::to_string(predictor_->features()) +
                                     " numbers in 0..1], ...]}."));
    }
    if (!j.is_object() || !j.contains("data") || !j["data"].is_array())
        return badRequest("The body has no \"data\" list; send {\"data\": [[" +
                          std::to_string(predictor_->features()) + " numbers in 0..1], ...]}.");
    const Json& data = j["data"];
    const bool oneRow = !data.empty() && data[0].is_number();
    const int rows = oneRow ? 1 : int(data.size());
    if (rows == 0)
        return badRequest("\"data\" is empty; send at least one row of " +
                          std::to_string(predictor_->features()) + " numbers.");
    if (rows > kMaxRows)
        return badRequest("\"data\" has " + std::to_string(rows) + " rows; send at most " +
                          std::to_string(kMaxRows) + " per request.");
    const std::size_t features = std::size_t(predictor_->features());
    std::vector<float> x;
    x.reserve(std::size_t(rows) * features);
    for (int r = 0; r < rows; ++r) {
        const Json& row = oneRow ? data : data[std::size_t(r)];
        const std::string where = oneRow ? "\"data\"" : "\"data\"[" + std::to_string(r) + "]";
        if (!row.is_array() || row.size() != features)
            return badRequest(where + " must be a list of " + std::to_string(features) +
                              " numbers (the image's pixels, row by row), not " +
                              (row.is_array() ? std::to_string(row.size()) + " values"
                                              : std::string(row.type_name())) +
                              ".");
        for (std::size_t c = 0; c < features; ++c) {
            const Json& v = row[c];
            if (!v.is_number())
                return badRequest(where + "[" + std::to_string(c) + "] is " + v.type_name() +
                                  ", not a number.");
            const double d = v.get<double>();
            if (!(d >= 0.0 && d <= 1.0))
                return badRequest(where + "[" + std::to_string(c) + "] is " + v.dump() +
                                  "; pixels are scaled to [0, 1] (divide 0..255 values by 255).");
            x.push_back(predictor_->normalise01(float(d)));
        }
    }
    return answer(std::move(x), rows);
}

ScoreReply NativeScorer::fromPng(const std::string& body) {
    train::GreyImage image;
    try {
        image = train::decodePng(std::vector<std::uint8_t>(body.begin(), body.end()), "The body");
    } catch (const std::exception& e) {
        return badRequest(std::string(e.what()) + "; send an 8-bit greyscale PNG.");
    }
    const auto& m = predictor_->model();
    if (image.width != m.cols || image.height != m.rows)
        return badRequest("The image is " + std::to_string(image.width) + "x" +
                          std::to_string(image.height) + "; the model takes " +
                          std::to_string(m.cols) + "x" + std::to_string(m.rows) +
                          " greyscale images (white digit on black, like MNIST).");
    std::vector<float> x;
    for (std::uint8_t p : image.pixels)
        x.push_back(float(p) * m.scale + m.offset);
    return answer(std::move(x), 1);
}

ScoreReply NativeScorer::fromIdx(const std::string& body) {
    if (body.size() >= 2 && std::uint8_t(body[0]) == 0x1f && std::uint8_t(body[1]) == 0x8b)
        return badRequest("The body is gzip-compressed; send the IDX file uncompressed "
                          "(gunzip t10k-images-idx3-ubyte.gz).");
    train::IdxImages images;
    try {
        images =
            train::decodeIdxImages(std::vector<std::uint8_t>(body.begin(), body.end()), "The body");
    } catch (const std::exception& e) {
        return badRequest(std::string(e.what()) + "; send an IDX image file (magic 0x00000803).");
    }
    const auto& m = predictor_->model();
    if (images.cols != m.cols || images.rows != m.rows)
        return badRequest("The IDX images are " + std::to_string(images.cols) + "x" +
                          std::to_string(images.rows) + "; the model takes " +
                          std::to_string(m.cols) + "x" + std::to_string(m.rows) + " images.");
    if (images.count == 0 || images.count > kMaxRows)
        return badRequest("The IDX file holds " + std::to_string(images.count) +
                          " images; send 1 to " + std::to_string(kMaxRows) + " per request.");
    std::vector<float> x(images.pixels.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = float(images.pixels[i]) * m.scale + m.offset;
    return answer(std::move(x), images.count);
}

ScoreReply NativeScorer::answer(std::vector<float> x, int rows) {
    const train::Predictions p = batcher_->predict(std::move(x), rows);
    Json classes = Json::array(), probabilities = Json::array();
    for (int r = 0; r < rows; ++r) {
        classes.push_back(p.best[std::size_t(r)]);
        Json row = Json::array();
        for (int c = 0; c < p.classes; ++c)
            row.push_back(p.probabilities[std::size_t(r) * p.classes + c]);
        probabilities.push_back(std::move(row));
    }
    return {200, Json{{"classes", classes}, {"probabilities", probabilities}}.dump()};
}

std::string NativeScorer::requestSchema() const {
    const int n = predictor_->features();
    const Json row = {{"type", "array"},
                      {"minItems", n},
                      {"maxItems", n},
                      {"items", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}}};
    return Json{{"type", "object"},
                {"required", {"data"}},
                {"properties",
                 {{"data",
                   {{"type", "array"},
                    {"items", row},
                    {"minItems", 1},
                    {"description", "Images as rows of pixels scaled to [0, 1]."}}}}}}
        .dump();
}

std::string NativeScorer::responseSchema() const {
    return Json{
        {"type", "object"},
        {"properties",
         {{"classes", {{"type", "array"}, {"items", {{"type", "integer"}}}}},
          {"probabilities",
           {{"type", "array"}, {"items", {{"type", "array"}, {"items", {{"type", "number"}}}}}}}}}}
        .dump();
}

} // namespace lb::serve
