#pragma once
// What the CLI and the GUI do with runs: find one, reconcile runs whose supervisor is gone,
// cancel, wait. State always comes from the store and the run folder, never from memory, so any
// process can pick up where another left off.

#include "core/store/Entities.h"

#include <functional>

namespace lb {

class Workspace;

// The run with this id (or the only run whose id starts with it); throws lb::NotFoundError.
RunRecord findRun(Workspace& workspace, const QString& idOrPrefix);

// Finishes every active run whose supervisor is gone, then lets each target with queued runs
// start what it has room for. Cheap when nothing is wrong (a lock probe per active run).
void reconcileRuns(Workspace& workspace);

// Reconciles one run; returns it as the store now has it.
RunRecord reconcileRun(Workspace& workspace, const RunRecord& run);

// Asks the run to stop (Canceled follows); a final run is left as it is.
void requestCancel(Workspace& workspace, const RunRecord& run);

// Why a run that is not final makes no progress now, for readers to show while it lasts (#20
// item 4): the disk holding the workspace or the run folder is full. Empty when nothing is wrong.
QString runPauseReason(const Workspace& workspace, const RunRecord& run);

// Polls until the run is final (reconciling now and then) and returns it; `tick` runs after
// every poll (to stream the log). timeoutMs < 0: no limit; on timeout returns the run as it is.
RunRecord waitForRun(Workspace& workspace, const QString& runId, const std::function<void()>& tick = {},
                     int pollMs = 20, qint64 timeoutMs = -1);

} // namespace lb
