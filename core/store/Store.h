#pragma once
// One workspace's SQLite store: the connection, migrated to the latest schema, and its
// repositories. Each process (GUI, CLI, supervisor) opens its own Store on the same file.

#include "core/store/Database.h"
#include "core/store/DatastoreRepository.h"
#include "core/store/Repositories.h"

#include <QString>

namespace lb {

class Store {
public:
    // Opens (creating if absent) and migrates the store at `path`.
    explicit Store(const QString& path);

    Database& database() { return db_; }
    ExperimentRepository experiments() { return ExperimentRepository(db_); }
    ComputeTargetRepository computeTargets() { return ComputeTargetRepository(db_); }
    RunRepository runs() { return RunRepository(db_); }
    MetricRepository metrics() { return MetricRepository(db_); }
    ModelRepository models() { return ModelRepository(db_); }
    DatastoreRepository datastores() { return DatastoreRepository(db_); }

    // Changes whenever another connection commits (PRAGMA data_version), so views can poll
    // cheaply for "anything new?".
    std::int64_t dataVersion();

private:
    Database db_;
};

} // namespace lb
