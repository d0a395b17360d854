#pragma once
// What a run dashboard shows besides metrics and the log: the run record, its state history,
// its kept files with sizes and its tags, read together on a background thread.

#include "core/store/Entities.h"
#include "core/store/RunAttempts.h"

#include <QMetaType>

#include <memory>

namespace lb {

class Workspace;

struct RunDetail {
    RunRecord run;
    QList<StateChange> history;
    QList<RunFile> files;
    QMap<QString, QString> tags;
    QString note; // Markdown
    QString snapshotDir;
    QString paused; // why a live run makes no progress now (a full disk), else empty
    QList<RunAttempt> attempts; // one for a run never resumed (issue 20 item 2)
    QString resumeRefusal;      // why it cannot be resumed now; empty: the Resume button works

    // Throws lb::NotFoundError when the run is not in the store.
    static RunDetail load(Workspace& workspace, const QString& runId);
};

using RunDetailPtr = std::shared_ptr<const RunDetail>;

} // namespace lb

Q_DECLARE_METATYPE(lb::RunDetailPtr)
