#pragma once
// What a repository reports after it changed a record, so that the workspace can mirror the
// record to a file beside its data (run.json, models/<name>/<version>.json, …) and
// `labbench workspace repair` can rebuild the store from those files (issue 25).

#include <QString>

namespace lb {

// The kinds of record that live in the store and have a mirror file in the workspace.
enum class RecordKind { Experiment, Run, ComputeTarget, Datastore, ModelVersion, Endpoint };

// One changed (added, updated or removed) record: a run id, a target or datastore name, an
// experiment name, an endpoint name, or a model name with its version.
struct RecordChange {
    RecordKind kind;
    QString key;
    int version = 0; // model versions only

    bool operator==(const RecordChange&) const = default;
};

} // namespace lb
