#pragma once
// The workspace's mirror of its store: after every committed change to a record, the record is
// written to a file beside its data, so that a lost store can be rebuilt from the folders
// (`labbench workspace repair`, core/repair). One writer per record kind:
//
//   experiment      experiments.json                    (ExperimentsFile.h)
//   run             runs/<id>/run.json                  (RunJson.h)
//   compute target  compute-targets/<name>.json         (ComputeTargetFile.h)
//   datastore       datastores/<name>.json              (DatastoreFile.h)
//   model version   models/<name>/<version>.json        (ModelVersionFile.h)
//   endpoint        endpoints/<name>/endpoint.json      (EndpointFile.h)
//
// A new kind of record: a RecordKind, a noteChange() in its repository, a writer here, a reader
// in core/repair, and its files in StoreCheck's count.

#include <QString>

namespace lb {

class Store;
struct RecordChange;

// Makes `store` (the store of the workspace at `root`) mirror every change it commits.
void installStoreMirror(const QString& root, Store& store);

// Writes the mirror file of one changed record (what the installed listener does).
void mirrorRecord(const QString& root, Store& store, const RecordChange& change);

// Once, in a workspace made before its store was mirrored (it has no compute-targets/ folder):
// writes the files of its experiments, targets, datastores and model versions, and the run.json
// of each run that has a parent or tags its older run.json cannot give back (those set after
// submit). Every other run's run.json already holds what repair needs. Never throws.
void backfillStoreMirror(const QString& root, Store& store);

} // namespace lb
