#pragma once
// `labbench workspace repair`: rebuilds a workspace's store from its folders when the store was
// deleted, emptied or replaced (issue 25). The new store is built beside the old one and moved
// into place in one rename; an old store is moved aside, never deleted.

#include "core/repair/RecordReaders.h"

#include <QList>
#include <QString>
#include <cstdint>

namespace lb {

struct RepairOptions {
    bool force = false; // rebuild even though a store exists (it is moved aside)
};

struct RepairReport {
    QString root;
    QString storePath;
    QStringList movedAside; // where the old store's files went (store, -wal, -shm)
    QList<RestoredKind> kinds;
    std::int64_t metricPoints = 0;
};

// Rebuilds the store of the workspace in `dir`. Refuses (lb::Error, one sentence naming the fix):
// a folder that is not a workspace, a store that exists without `force`, a run whose helper
// (supervisor, sweep driver, remote follower) is still alive, another repair under way.
RepairReport repairWorkspace(const QString& dir, const RepairOptions& options);

} // namespace lb
