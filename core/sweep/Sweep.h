#pragma once
// Sweeps in the workspace: a sweep is a parent run (tagged labbench.sweep) whose child runs
// (parent_id) are submitted, watched, stopped early and ranked by a detached sweep driver
// (labbench-sweep-driver, see SweepDriver.h) that holds the parent's supervisor lock, exactly as
// a run's supervisor does: when the driver dies, the parent is never left Running.
//
//   runs/<sweep-id>/sweep.json   the spec, with the seed it was given or drew
//   runs/<sweep-id>/driver.log   what the driver did: children submitted, stopped, the best
//
// These functions are what the CLI and the GUI call; the state always comes from the store.

#include "core/store/Entities.h"
#include "core/sweep/SweepSpec.h"

#include <QList>

#include <optional>

namespace lb {
class Workspace;
}

namespace lb::sweep {

// Run tags the sweep machinery writes.
inline const QString kSweepTag = QStringLiteral("labbench.sweep");                // parent: "parent"
inline const QString kParamsTag = QStringLiteral("labbench.sweep.params");        // child: JSON object
inline const QString kStopTag = QStringLiteral("labbench.sweep.stopped");         // child: the reason
inline const QString kBestTag = QStringLiteral("labbench.sweep.best");            // parent: child id
inline const QString kBestValueTag = QStringLiteral("labbench.sweep.best_value"); // parent
inline const QString kResumedFromTag = QStringLiteral("labbench.sweep.resumed_from");
inline const QString kResumedAsTag = QStringLiteral("labbench.sweep.resumed_as");

// One row of a sweep's children table.
struct SweepChild {
    RunRecord run;
    Json params = Json::object();       // sampled values keyed by parameter name
    std::optional<double> primaryMetric; // its last reported value
};

// A sweep as the CLI and the dashboard show it.
struct SweepSummary {
    RunRecord parent;
    SweepSpec spec;
    QList<SweepChild> children; // oldest first
    QString bestId;             // the best child by the primary metric (empty: none yet)
    std::optional<double> bestValue;

    // {"id","status","experiment","primary_metric":{name,goal},"best","best_primary_metric",
    //  "max_total_runs","max_concurrent_runs","sampling","reason","children":[{"id","status",
    //  "params","primary_metric","reason"}]}
    Json toJson() const;
};

// Validates the spec, records the parent run (Running) and starts its driver; returns the parent.
RunRecord submitSweep(Workspace& workspace, SweepSpec spec);

// The sweep with this id (or a unique prefix); throws NotFoundError when it is no sweep.
SweepSummary loadSweep(Workspace& workspace, const QString& idOrPrefix);

// The child with the best primary metric (Failed children never count).
std::optional<SweepChild> bestChild(const QList<SweepChild>& children, bool maximize);

// Asks the sweep to stop: its driver cancels every child and ends the parent Canceled; with no
// driver alive this call does it. Returns the parent as the store has it afterwards.
RunRecord cancelSweep(Workspace& workspace, const QString& idOrPrefix);

// Continues a sweep whose driver is gone. A sweep still marked active gets a new driver; a
// Failed or Canceled one continues as a new sweep (tagged resumed_from) that adopts the old
// children, so the budget, the Bayesian model and the best child carry over. Returns the sweep
// that now runs.
RunRecord resumeSweep(Workspace& workspace, const QString& idOrPrefix);

// True when the run is a sweep's parent.
bool isSweep(Workspace& workspace, const QString& runId);

} // namespace lb::sweep
