#pragma once
// Deleting runs (issue 17): what a delete would remove and free, why it refuses, and the delete
// itself — the store's rows in one transaction, then the run folders. A sweep takes its child runs
// with it. Nothing outside the workspace's runs/ folder is ever removed.
#include "core/store/Entities.h"

#include <QStringList>

#include <functional>

namespace lb {

class Workspace;

struct DeletePlan {
    QList<RunRecord> runs;   // what goes, sweeps' children included
    qint64 bytes = 0;        // the disk space their folders use
    QStringList refusals;    // one sentence per run that may not go; the plan is refused if any
};

// Resolves ids (or unique prefixes) and checks each run: an unfinished run is refused, and so is
// one whose outputs back a registered model unless `force`.
DeletePlan planDelete(Workspace& workspace, const QStringList& idsOrPrefixes, bool force);

// Carries out a plan without refusals; `progress(done, total)` after each folder. Returns the
// number of runs removed from the store. Throws lb::Error when a folder cannot be removed (the
// store rows are gone by then; the sentence names the folder to remove by hand).
int deleteRuns(Workspace& workspace, const DeletePlan& plan,
               const std::function<void(int done, int total)>& progress = {});

// The disk space a folder's files take (allocated blocks; links are not followed).
qint64 diskUsage(const QString& dir);

} // namespace lb
