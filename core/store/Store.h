#pragma once
// One workspace's SQLite store: the connection, migrated to the latest schema, and its
// repositories. Each process (GUI, CLI, supervisor) opens its own Store on the same file.

#include "core/store/Database.h"
#include "core/store/DatastoreRepository.h"
#include "core/store/EndpointRepository.h"
#include "core/store/Repositories.h"

#include <QString>

namespace lb {

class Store {
public:
    // Opens (creating it if absent, unless `createIfMissing` is false) and migrates the store
    // at `path`.
    explicit Store(const QString& path, bool createIfMissing = true);

    Database& database() { return db_; }
    ExperimentRepository experiments() { return ExperimentRepository(db_); }
    ComputeTargetRepository computeTargets() { return ComputeTargetRepository(db_); }
    RunRepository runs() { return RunRepository(db_); }
    MetricRepository metrics() { return MetricRepository(db_); }
    ModelRepository models() { return ModelRepository(db_); }
    DatastoreRepository datastores() { return DatastoreRepository(db_); }
    EndpointRepository endpoints() { return EndpointRepository(db_); }

    // Changes whenever another connection commits (PRAGMA data_version), so views can poll
    // cheaply for "anything new?".
    std::int64_t dataVersion();

    // False while the store holds no experiment and no model version: what a store looks like
    // when it was made afresh (or silently replaced) under a workspace whose folders hold runs.
    bool holdsRunsOrModels();

    // True when the file this connection opened is no longer the one at its path (deleted,
    // moved aside or replaced by `workspace repair`): a long-lived reader should reopen.
    bool isReplacedOnDisk() const;

private:
    Database db_;
    std::uint64_t device_ = 0, inode_ = 0; // the file as opened
};

} // namespace lb
