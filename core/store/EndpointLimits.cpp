#include "core/store/EndpointLimits.h"

#include "core/util/Json.h"

#include <QFileInfo>

namespace lb {

EndpointLimits readEndpointLimits(const QString& path) {
    EndpointLimits limits;
    if (!QFileInfo::exists(path)) return limits; // deployed before the limits were configurable
    const Json j = readJsonFile(path, FollowLinks::No);
    const auto seconds = [&](const char* key, int fallback) {
        const auto it = j.find(key);
        return it != j.end() && it->is_number_integer() && it->get<int>() > 0 ? it->get<int>()
                                                                              : fallback;
    };
    limits.requestTimeoutS = seconds("request_timeout_s", limits.requestTimeoutS);
    limits.runTimeoutS = seconds("run_timeout_s", limits.runTimeoutS);
    return limits;
}

EndpointLimits readEndpointLimitsOrDefaults(const QString& path) {
    try {
        return readEndpointLimits(path);
    } catch (const std::exception&) {
        return {};
    }
}

void writeEndpointLimits(const QString& path, const EndpointLimits& limits) {
    writeJsonFile(path, Json{{"request_timeout_s", limits.requestTimeoutS},
                             {"run_timeout_s", limits.runTimeoutS}});
}

} // namespace lb
