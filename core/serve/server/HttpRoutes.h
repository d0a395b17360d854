#pragma once
// The endpoint's HTTP face on cpp-httplib: POST /score, GET /health, GET /swagger.json, GET
// /metrics, with key authentication, size and time limits, and a JSON sentence for every error.

#include <functional>
#include <string>

namespace httplib {
class Server;
}

namespace lb::serve {

class Scorer;
class ServeMetrics;

// Bodies above this are refused with 413 before they are read whole.
inline constexpr std::size_t kMaxBodyBytes = std::size_t(32) << 20;

struct RouteContext {
    std::string endpointName;
    std::string kind;         // "native" or "score"
    std::string key;          // empty: no authentication
    int requestTimeoutS = 10; // to send a request, and to read the answer
    Scorer* scorer = nullptr;
    ServeMetrics* metrics = nullptr;
    std::function<std::string()> healthJson; // what GET /health answers
};

// Sets limits, time-outs, the thread pool and the routes on `server`.
void installRoutes(httplib::Server& server, const RouteContext& context);

// The OpenAPI 3 description of the endpoint (GET /swagger.json).
std::string openApiJson(const RouteContext& context);

} // namespace lb::serve
