#include "core/live/RunDetail.h"

#include "core/runs/RunControl.h"
#include "core/runs/RunResume.h"

#include "core/lifecycle/RunFinish.h"
#include "core/lifecycle/RunFolder.h"
#include "core/util/Error.h"
#include "core/workspace/Workspace.h"

namespace lb {

RunDetail RunDetail::load(Workspace& workspace, const QString& runId) {
    RunDetail d;
    Store& store = workspace.store();
    auto run = store.runs().find(runId);
    if (!run)
        throw NotFoundError(QStringLiteral("Run %1 is not in this workspace; it may have been "
                                           "deleted.")
                                .arg(runId));
    d.run = *run;
    d.paused = runPauseReason(workspace, d.run);
    d.history = store.runs().history(runId);
    // The store records a run's kept files when it ends; until then list what the script has
    // written so far, so the outputs tree grows with every reload (each log line or metric).
    d.files = isTerminal(d.run.status) || d.run.runDir.isEmpty()
                  ? store.runs().files(runId)
                  : listKeptFiles(RunFolder(d.run.runDir));
    d.tags = store.runs().tags(runId);
    d.note = store.runs().note(runId);
    d.snapshotDir = d.run.runDir + QStringLiteral("/snapshot");
    d.attempts = RunAttemptRepository(store.database()).attempts(runId);
    d.resumeRefusal = lb::resumeRefusal(workspace, d.run);
    return d;
}

} // namespace lb
