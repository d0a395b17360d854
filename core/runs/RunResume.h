#pragma once
// `labbench runs resume RUN` and the dashboard's Resume button (issue 20 item 2): a new attempt
// of a Failed, Canceled or Preempted run, under the same id, estimator and target, in the same
// run folder and snapshot (what the script left in ./outputs and ./checkpoints is there). The
// attempt marker goes into the run's metrics.jsonl before the script starts, and the script gets
// LABBENCH_ATTEMPT and LABBENCH_RESUME_CHECKPOINT (the attempt contract, core/store/RunAttempts.h).

#include "core/store/Entities.h"

namespace lb {

class Workspace;

// Why `run` cannot be resumed now, as a sentence that says what to do instead; empty when it
// can. Cheap (no lock, no file read): the GUI asks it to enable its button.
QString resumeRefusal(Workspace& workspace, const RunRecord& run);

// Starts the next attempt and returns the run as the store then has it (Queued, or further on
// when its target started it at once). Throws lb::Error with resumeRefusal()'s sentence, or
// when the run's folder or lock says another process still has it.
RunRecord resumeRun(Workspace& workspace, const RunRecord& run);

} // namespace lb
