#include "core/workspace/mirror/StoreMirror.h"

#include "core/store/Store.h"
#include "core/util/Json.h"
#include "core/workspace/mirror/ComputeTargetFile.h"
#include "core/workspace/mirror/DatastoreFile.h"
#include "core/workspace/mirror/EndpointFile.h"
#include "core/workspace/mirror/ExperimentsFile.h"
#include "core/workspace/mirror/ModelVersionFile.h"
#include "core/workspace/mirror/RunJson.h"

#include <QDir>
#include <QFileInfo>

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
    case RecordKind::Endpoint:
        syncEndpointFile(root, store, change.key);
        break;
    }
}

namespace {

// The tags an older run.json gives back: its estimator's, which submit set.
bool tagsBeyondEstimator(Store& store, const RunRecord& run) {
    const Json estimator = Json::parse(run.estimatorJson.toStdString(), nullptr, false);
    QMap<QString, QString> fromEstimator;
    if (estimator.is_object() && estimator.contains("tags") && estimator["tags"].is_object())
        for (auto it = estimator["tags"].begin(); it != estimator["tags"].end(); ++it)
            if (it.value().is_string())
                fromEstimator.insert(fromStd(it.key()), fromStd(it.value().get<std::string>()));
    return store.runs().tags(run.id) != fromEstimator;
}

} // namespace

void backfillStoreMirror(const QString& root, Store& store) {
    if (QFileInfo::exists(computeTargetsDir(root)))
        return;
    try {
        writeExperimentsFile(root, store);
        for (const ComputeTargetRecord& t : store.computeTargets().list())
            syncComputeTargetFile(root, store, t.name);
        for (const DatastoreRecord& d : store.datastores().list())
            syncDatastoreFile(root, store, d.name);
        for (const ModelVersion& m : store.models().list())
            syncModelVersionFile(root, store, m.name, m.version);
        for (const RunRecord& r : store.runs().list())
            if (!r.parentId.isEmpty() || tagsBeyondEstimator(store, r))
                writeRunJson(store, r.id);
        QDir().mkpath(computeTargetsDir(root)); // done, even where there was no target to write
    } catch (const std::exception&) {
        // Tried again at the next open: the folder that marks it done is not there.
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
