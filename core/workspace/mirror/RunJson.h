#pragma once
// runs/<id>/run.json: everything the store knows of a run apart from what its other files hold
// (metrics, logs, outputs). The workspace rewrites it after every change to the run's record, so
// `labbench workspace repair` can rebuild the run's rows from it (issue 25).

#include "core/store/Entities.h"

#include <QList>
#include <QMap>

namespace lb {

class Store;

// A run as run.json describes it.
struct RunJsonRecord {
    RunRecord run; // runDir is the folder that holds the run.json
    QList<StateChange> history;
    QMap<QString, QString> tags;
    bool tagsComplete = false; // run.json listed every tag (older ones kept none)
    QString note;              // the user's Markdown note (issue 17)
};

// Rewrites run.json from the store: id, experiment, number, target, status, times, exit code,
// reason, devices, parent, the user's name, note, tags and archived flag, estimator and state
// history. A failure to write loses nothing
// (the store has it all) and is not reported.
void writeRunJson(Store& store, const QString& runId);

// Reads runs/<id>/run.json. Also reads the run.json of earlier versions, which lacked tags,
// times, devices and the parent: times come from the history, tags from the estimator. Throws
// lb::Error naming the file and the field when it cannot be read.
RunJsonRecord readRunJson(const QString& path);

} // namespace lb
