#pragma once
// The run life cycle as an explicit state machine: the states, their order, which moves are legal.

#include <QString>

#include <optional>

namespace lb {

// Queued -> Preparing -> Running -> Finalizing -> Completed | Failed | Canceled, and Preempted:
// a scheduler took the run's nodes away; it is not final, the scheduler may queue it again.
// New states go at the end: the numbers are not stored (the store keeps the names), but the
// names array follows this order.
enum class RunStatus { Queued, Preparing, Running, Finalizing, Completed, Failed, Canceled, Preempted };

// Every state, in the order above (for lists, filters and menus).
const QList<RunStatus>& allRunStatuses();

QString toString(RunStatus status);
std::optional<RunStatus> runStatusFromString(const QString& text);

// Completed, Failed and Canceled are final; Preempted is not.
bool isTerminal(RunStatus status);

// The table in RunStatus.cpp: a run moves forward (remote schedulers may skip a state), to
// Completed from Running/Finalizing, to Failed or Canceled from any non-final state; Preempted
// comes from Preparing/Running/Finalizing and goes on to Queued (a requeue), Running, Failed or
// Canceled.
bool canTransition(RunStatus from, RunStatus to);

} // namespace lb
