#include "core/workspace/mirror/StoreMirror.h"

#include "core/store/Store.h"
#include "core/workspace/mirror/ComputeTargetFile.h"
#include "core/workspace/mirror/DatastoreFile.h"
#include "core/workspace/mirror/ExperimentsFile.h"
#include "core/workspace/mirror/ModelVersionFile.h"
#include "core/workspace/mirror/RunJson.h"

namespace lb {

void mirrorRecord(const QString& root, Store& store, const RecordChange& change) {
    switch (change.kind) {
    case RecordKind::Experiment:
        writeExperimentsFile(root, store);
        break;
    case RecordKind::Run:
        writeRunJson(store, change.key);
        break;
    case RecordKind::ComputeTarget:
        syncComputeTargetFile(root, store, change.key);
        break;
    case RecordKind::Datastore:
        syncDatastoreFile(root, store, change.key);
        break;
    case RecordKind::ModelVersion:
        syncModelVersionFile(root, store, change.key, change.version);
        break;
    }
}

void installStoreMirror(const QString& root, Store& store) {
    // The Store owns the listener, so the reference it captures lives as long as it is called.
    store.database().setChangeListener([root, &store](const RecordChange& change) {
        try {
            mirrorRecord(root, store, change);
        } catch (const std::exception&) {
            // A mirror is a copy: failing to refresh it must never fail the store's write.
        }
    });
}

} // namespace lb
