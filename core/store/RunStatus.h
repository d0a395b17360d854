#pragma once
// The run life cycle as an explicit state machine: the states, their order, which moves are legal.

#include <QString>

#include <optional>

namespace lb {

// Queued -> Preparing -> Running -> Finalizing -> Completed | Failed | Canceled.
enum class RunStatus { Queued, Preparing, Running, Finalizing, Completed, Failed, Canceled };

QString toString(RunStatus status);
std::optional<RunStatus> runStatusFromString(const QString& text);

// Completed, Failed and Canceled are final.
bool isTerminal(RunStatus status);

// A run moves forward only: to any later non-final state (remote schedulers may skip one),
// to Completed from Running/Finalizing, and to Failed or Canceled from any non-final state.
bool canTransition(RunStatus from, RunStatus to);

} // namespace lb
