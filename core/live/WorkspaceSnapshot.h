#pragma once
// Everything the workspace browser shows, read in one go on a background thread and handed to
// the UI thread as an immutable value.

#include "core/store/EndpointRepository.h"
#include "core/store/Entities.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <memory>

namespace lb {

class Workspace;

struct WorkspaceSnapshot {
    struct ExperimentRuns {
        QString name;
        QList<RunRecord> runs; // newest first
    };
    QString root;
    QString name;
    QList<ExperimentRuns> experiments; // by name
    QList<ComputeTargetRecord> computeTargets;
    QList<ModelVersion> models;        // by name, then version
    QStringList dataFolders;           // absolute paths
    QList<EndpointRecord> endpoints;   // by name, as the store has them (issue 18)
    int running = 0;                   // Preparing, Running or Finalizing
    int queued = 0;                    // Queued or Preempted

    // Reads the snapshot from an open workspace (background thread). Estimator JSON is dropped
    // from the run summaries: the browser does not need it and 10,000 runs would carry it all.
    static WorkspaceSnapshot load(Workspace& workspace);
};

using WorkspaceSnapshotPtr = std::shared_ptr<const WorkspaceSnapshot>;

} // namespace lb

Q_DECLARE_METATYPE(lb::WorkspaceSnapshotPtr)
