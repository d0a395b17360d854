#include "core/serve/server/HttpRoutes.h"

#include "core/serve/server/Scorer.h"
#include "core/serve/server/ServeMetrics.h"

#include <chrono>
#include <httplib.h>
#include <nlohmann/json.hpp>

namespace lb::serve {

using Json = nlohmann::json;

namespace {

constexpr const char* kJson = "application/json";
// Enough threads that slow or idle keep-alive clients do not hold up the rest (each connection
// holds a thread while it is open; the read time-out ends one that stalls).
constexpr std::size_t kThreads = 64;

bool keyMatches(const std::string& header, const std::string& key) {
    const std::string expected = "Bearer " + key;
    if (header.size() != expected.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < header.size(); ++i)
        diff |= static_cast<unsigned char>(header[i] ^ expected[i]);
    return diff == 0;
}

// A request whose body is still on the wire when routing starts.
bool hasBody(const httplib::Request& req) {
    return req.has_header("Transfer-Encoding") ||
           (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
}

// Answers 401 when the endpoint has a key and `req` does not carry it; true when it did.
bool refusedWithoutKey(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
    if (c.key.empty() || keyMatches(req.get_header_value("Authorization"), c.key)) return false;
    res.status = 401;
    res.set_header("WWW-Authenticate", "Bearer");
    res.set_content(errorBody("This endpoint needs its key: send 'Authorization: Bearer KEY' "
                              "(labbench endpoints keys " +
                              c.endpointName + " prints it)."),
                    "application/json");
    return true;
}

std::string sentenceFor(int status) {
    switch (status) {
    case 404:
        return "There is no such route; use POST /score, GET /health, GET /swagger.json or GET "
               "/metrics.";
    case 405:
        return "That method is not allowed on this route.";
    case 413:
        return "The body is larger than " + std::to_string(kMaxBodyBytes >> 20) +
               " MiB; send fewer rows per request.";
    case 408:
        return "The request took too long to arrive.";
    default:
        return "The request could not be served (HTTP " + std::to_string(status) + ").";
    }
}

using Timed = std::function<void(const httplib::Request&, httplib::Response&)>;

// Runs `handler` and records its status and time under `route`.
httplib::Server::Handler timed(ServeMetrics* metrics, std::string route, Timed handler) {
    return [metrics, route = std::move(route),
            handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
        const auto start = std::chrono::steady_clock::now();
        handler(req, res);
        metrics->record(
            route, res.status,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    };
}

} // namespace

std::string openApiJson(const RouteContext& c) {
    const Json error = {{"type", "object"}, {"properties", {{"error", {{"type", "string"}}}}}};
    const auto response = [&](const char* what, const Json& schema) {
        return Json{{"description", what}, {"content", {{kJson, {{"schema", schema}}}}}};
    };
    Json score = {
        {"summary", "Score the inputs with the endpoint's model."},
        {"requestBody",
         {{"required", true},
          {"content", {{kJson, {{"schema", Json::parse(c.scorer->requestSchema())}}}}}}},
        {"responses",
         {{"200", response("The model's answer.", Json::parse(c.scorer->responseSchema()))},
          {"400", response("The body is malformed; the sentence says where.", error)},
          {"401", response("The key is missing or wrong.", error)},
          {"500", response("The scoring code failed; the sentence says how.", error)}}}};
    if (c.kind == "native") {
        const Json binary = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
        score["requestBody"]["content"]["image/png"] = binary;
        score["requestBody"]["content"]["application/x-idx"] = binary; // MNIST's IDX images
    }
    Json doc = {{"openapi", "3.0.3"},
                {"info", {{"title", "Labbench endpoint " + c.endpointName}, {"version", "1"}}},
                {"paths",
                 {{"/score", {{"post", score}}},
                  {"/health",
                   {{"get",
                     {{"summary", "The endpoint's state."},
                      {"responses", {{"200", {{"description", "Up."}}}}}}}}},
                  {"/metrics",
                   {{"get",
                     {{"summary", "Prometheus metrics."},
                      {"responses", {{"200", {{"description", "Text."}}}}}}}}}}}};
    if (!c.key.empty()) {
        doc["components"]["securitySchemes"]["bearer"] = {{"type", "http"}, {"scheme", "bearer"}};
        doc["security"] = Json::array({{{"bearer", Json::array()}}});
    }
    return doc.dump(2);
}

void installRoutes(httplib::Server& server, const RouteContext& c) {
    server.new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
    server.set_payload_max_length(kMaxBodyBytes);
    // A client that stalls while sending (or reading) loses its connection after this; it holds
    // one pool thread until then, never the others.
    server.set_read_timeout(c.requestTimeoutS, 0);
    server.set_write_timeout(c.requestTimeoutS, 0);
    server.set_keep_alive_timeout(5);

    server.set_pre_routing_handler([c](const httplib::Request& req, httplib::Response& res) {
        // A request with a body is checked by its handler, once the body is read. Answered
        // here, its unread body was read as the next request of a kept-alive connection, which
        // broke the connection: the client's next request got no answer (#18: the workbench's
        // test panel, whose connections are kept alive, lost the 401 1 time in 4).
        if (req.path == "/health" || hasBody(req))
            return httplib::Server::HandlerResponse::Unhandled;
        if (!refusedWithoutKey(c, req, res)) return httplib::Server::HandlerResponse::Unhandled;
        // Counted under the route only when it is one (any other path would add a series).
        const bool known =
            req.path == "/score" || req.path == "/metrics" || req.path == "/swagger.json";
        c.metrics->record(known ? req.path : "other", 401, 0);
        return httplib::Server::HandlerResponse::Handled;
    });

    server.Post("/score", timed(c.metrics, "/score",
                                [c](const httplib::Request& req, httplib::Response& res) {
                                    if (refusedWithoutKey(c, req, res)) return;
                                    const ScoreReply reply = c.scorer->score(
                                        req.body, req.get_header_value("Content-Type"));
                                    res.status = reply.status;
                                    res.set_content(reply.body, kJson);
                                }));
    server.Get("/health",
               timed(c.metrics, "/health", [c](const httplib::Request&, httplib::Response& res) {
                   res.set_content(c.healthJson(), kJson);
               }));
    const std::string openApi = openApiJson(c);
    server.Get("/swagger.json", timed(c.metrics, "/swagger.json",
                                      [openApi](const httplib::Request&, httplib::Response& res) {
                                          res.set_content(openApi, kJson);
                                      }));
    server.Get("/metrics",
               timed(c.metrics, "/metrics", [c](const httplib::Request&, httplib::Response& res) {
                   res.set_content(c.metrics->prometheusText(), "text/plain; version=0.0.4");
               }));

    server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (res.body.empty()) res.set_content(errorBody(sentenceFor(res.status)), kJson);
    });
    server.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
            std::string what = "unknown error";
            try {
                std::rethrow_exception(ep);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {
            }
            res.status = 500;
            res.set_content(errorBody("The server failed while answering: " + what), kJson);
        });
}

} // namespace lb::serve
