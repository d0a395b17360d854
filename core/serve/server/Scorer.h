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

// Why `body` is not JSON, as the start of a 400's sentence: "The body is not valid JSON (what
// the parser says)", or "The body holds the number 1e400, which is out of range …" for a number
// no double holds (nlohmann_json refuses it with out_of_range, not parse_error, and it escaped
// as a 500). Empty when the body is JSON. `outOfRange` says which, since their fixes differ.
std::string jsonBodyProblem(const std::string& body, bool* outOfRange = nullptr);

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
