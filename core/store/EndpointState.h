#pragma once
// An endpoint's life cycle as an explicit state machine, named as Azure ML's web services name
// theirs: Transitioning (starting), Healthy, Unhealthy (its server is down and being restarted),
// Failed (it cannot start: a taken port, an init() that raised) and Stopped.

#include <QString>

#include <optional>

namespace lb {

enum class EndpointState { Transitioning, Healthy, Unhealthy, Failed, Stopped };

QString toString(EndpointState state);
std::optional<EndpointState> endpointStateFromString(const QString& text);

// Failed and Stopped: no server runs for the endpoint until it is deployed or started again.
bool isDown(EndpointState state);

// Every move between two different states is allowed except from a down state (Failed,
// Stopped) to anything but Transitioning: a stopped endpoint only comes back by starting again.
bool canTransition(EndpointState from, EndpointState to);

} // namespace lb
