#include "core/serve/server/Scorer.h"

#include <nlohmann/json.hpp>

namespace lb::serve {

std::string errorBody(const std::string& sentence) {
    return nlohmann::json{{"error", sentence}}.dump();
}

} // namespace lb::serve
