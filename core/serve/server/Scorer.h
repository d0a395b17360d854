#pragma once
// What answers POST /score: a native model.npz (NativeScorer) or a pool of score.py workers
// (ScoreWorkerPool). The HTTP layer knows only this interface.

#include <string>

namespace lb::serve {

struct ScoreReply {
    int status = 200;
    std::string body; // JSON: the result, or {"error": "one sentence"}
};

// {"error": "..."} as a body.
std::string errorBody(const std::string& sentence);

class Scorer {
public:
    virtual ~Scorer() = default;
    // Thread-safe: the HTTP server calls it from many connections at once.
    virtual ScoreReply score(const std::string& body, const std::string& contentType) = 0;
    // The OpenAPI schemas of the request and the response bodies (JSON text).
    virtual std::string requestSchema() const = 0;
    virtual std::string responseSchema() const = 0;
};

} // namespace lb::serve
