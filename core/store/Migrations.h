#pragma once
// The store's schema as a list of forward migrations; PRAGMA user_version records how far a
// database has come.

namespace lb {

class Database;

// The schema version this build writes.
int latestSchemaVersion();

// Brings `db` from its user_version up to `target` (default: latest) inside one write
// transaction, so concurrent openers migrate once. A database newer than this build is refused
// with a clear error.
void migrate(Database& db, int target = -1);

} // namespace lb
