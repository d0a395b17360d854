#include "live/RunDetail.h"

#include "util/Error.h"
#include "workspace/Workspace.h"

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
    d.history = store.runs().history(runId);
    d.files = store.runs().files(runId);
    d.tags = store.runs().tags(runId);
    d.snapshotDir = d.run.runDir + QStringLiteral("/snapshot");
    return d;
}

} // namespace lb
