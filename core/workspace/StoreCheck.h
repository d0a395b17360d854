#pragma once
// A workspace whose store is gone but whose folders still hold runs must say so, not open an
// empty store over them (issue 25): the checks Workspace::open makes, and the count of what
// `labbench workspace repair` (core/repair) would rebuild the store from.

#include "core/util/Error.h"

#include <QString>

namespace lb {

class Store;

// What a workspace's folders hold that its store can be rebuilt from.
struct RecordsOnDisk {
    int runs = 0;           // runs/<id>/run.json
    int modelVersions = 0;  // models/<name>/<version>/
    int computeTargets = 0; // compute-targets/<name>.json, other than the built-in "local"
    int datastores = 0;     // datastores/<name>.json
    int endpoints = 0;      // endpoints/<name>/endpoint.json

    bool any() const { return runs + modelVersions + computeTargets + datastores + endpoints > 0; }
    // "54 runs, 3 model versions and 1 datastore"
    QString describe() const;
};

RecordsOnDisk countRecordsOnDisk(const QString& root);

// The store is missing, empty or was replaced, while the folders hold what it should know.
class StoreMissingError : public Error {
public:
    using Error::Error;
};

// Before the store at `storePath` is opened: when it is absent or empty (0 bytes) and the
// folders hold records, throws StoreMissingError naming the store and `labbench workspace
// repair` instead of letting SQLite create an empty store. Returns whether the store may be
// created (it is absent and nothing would be lost).
bool checkStoreBeforeOpen(const QString& root, const QString& storePath);

// After: a store with no experiment and no model version under folders that hold runs or
// models was replaced by an empty one (by a Labbench before this check); throws
// StoreMissingError naming `labbench workspace repair --force`.
void checkStoreAfterOpen(const QString& root, Store& store);

} // namespace lb
