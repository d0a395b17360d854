#pragma once
// Submitting a run: validate, snapshot the source into runs/<id>/snapshot, record it as Queued,
// hand it to its compute target.

#include "core/runs/Snapshot.h"
#include "core/store/Entities.h"

namespace lb {

struct Estimator;
class Workspace;

struct SubmitOptions {
    QString experiment; // wins over the estimator's; default "default"
    qint64 snapshotLimitBytes = kDefaultSnapshotLimit;
    QString parentId; // a sweep's child points at its sweep (recorded with the run)
    QString name;     // the run's display name (issue 17); empty: none
    // Where notes that do not stop the submit go (a large snapshot, #23 item 4); may be null.
    QStringList* warnings = nullptr;
    // false: the run is recorded Queued but no target is asked to start it (a sweep that starts
    // its children as one batch, ComputeTarget::submitBatch).
    bool dispatch = true;
};

// Everything that can be checked is checked before anything is written (estimator, compute
// target, snapshot size); a failure leaves no run folder and no record behind. Returns the run
// as recorded (Queued, or already further along when the target started it at once).
RunRecord submitRun(Workspace& workspace, Estimator estimator, const SubmitOptions& options = {});

// The large-snapshot warning submitRun would give for this estimator (SubmitOptions::warnings),
// found before anything is written: empty when the snapshot is not large or none is taken
// (the built-in trainer). Throws what submitRun throws for a bad estimator or source folder.
QString submitSnapshotWarning(Workspace& workspace, Estimator estimator,
                              const SubmitOptions& options = {});

// "<experiment>_<yyyyMMddThhmmss>_<8 hex>": unique, sortable, safe as a folder name.
QString newRunId(const QString& experiment);

} // namespace lb
