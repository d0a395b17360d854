#include "core/store/EndpointState.h"

#include <array>

namespace lb {

namespace {
constexpr std::array<const char*, 5> kNames = {"Transitioning", "Healthy", "Unhealthy", "Failed",
                                               "Stopped"};
}

QString toString(EndpointState state) {
    return QString::fromLatin1(kNames[static_cast<size_t>(state)]);
}

std::optional<EndpointState> endpointStateFromString(const QString& text) {
    for (size_t i = 0; i < kNames.size(); ++i)
        if (text.compare(QLatin1String(kNames[i]), Qt::CaseInsensitive) == 0)
            return static_cast<EndpointState>(i);
    return std::nullopt;
}

bool isDown(EndpointState state) {
    return state == EndpointState::Failed || state == EndpointState::Stopped;
}

bool canTransition(EndpointState from, EndpointState to) {
    if (from == to)
        return false;
    if (isDown(from))
        return to == EndpointState::Transitioning ||
               (from == EndpointState::Failed && to == EndpointState::Stopped);
    return true;
}

} // namespace lb
