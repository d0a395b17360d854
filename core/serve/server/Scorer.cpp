#include "core/serve/server/Scorer.h"

#include <nlohmann/json.hpp>

namespace lb::serve {

std::string errorBody(const std::string& sentence) {
    return nlohmann::json{{"error", sentence}}.dump();
}

std::string jsonBodyProblem(const std::string& body, bool* outOfRange) {
    if (outOfRange) *outOfRange = false;
    if (nlohmann::json::accept(body)) return {}; // checked without building it
    try {
        const auto parsed = nlohmann::json::parse(body); // again, for the parser's words
        (void)parsed;
    } catch (const nlohmann::json::out_of_range& e) {
        // "[json.exception.out_of_range.406] number overflow parsing '1e400'"
        const std::string what = e.what();
        const auto open = what.find('\'');
        const auto close = what.rfind('\'');
        const std::string number = open != std::string::npos && close > open
                                       ? what.substr(open + 1, close - open - 1)
                                       : std::string("in it");
        if (outOfRange) *outOfRange = true;
        return "The body holds the number " + number +
               ", which is out of range: numbers must fit a double (at most about 1.8e308 in "
               "size)";
    } catch (const nlohmann::json::exception& e) {
        std::string what = e.what(); // "[json.exception.parse_error.101] parse error at …"
        const auto bracket = what.find("] ");
        if (bracket != std::string::npos) what = what.substr(bracket + 2);
        return "The body is not valid JSON (" + what + ")";
    }
    return "The body is not valid JSON";
}

} // namespace lb::serve
