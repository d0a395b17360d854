#pragma once
// Datastores: named data folders recorded in the workspace, and the resolution of script
// arguments that refer to them. `datastore://NAME/sub/path` in a script argument becomes the real
// path of that data on the target; on `local` that is the folder itself, never a copy (what
// Azure ML's ds.as_mount() gives a --data-folder argument).

#include "core/store/DatastoreRepository.h"

#include <QString>
#include <QStringList>

namespace lb {

class Store;

// The scheme prefix script arguments use.
inline const QString kDatastoreScheme = QStringLiteral("datastore://");

// Records a datastore for the folder `dir` (made absolute and canonical). Throws lb::UsageError
// for an invalid name, lb::Error when the folder does not exist or the name is taken.
DatastoreRecord addDatastore(Store& store, const QString& name, const QString& dir);

// Forgets a datastore (its files are untouched); lb::NotFoundError when there is none.
void removeDatastore(Store& store, const QString& name);

// Letters, digits, '_' and '-', starting with a letter or digit, at most 64 characters.
void validateDatastoreName(const QString& name);

// Resolves one `datastore://NAME[/sub/path]` to the path on this machine. Refuses (lb::Error, one
// sentence): an unknown name (lb::NotFoundError), a sub-path with ".." or one that leaves the
// datastore's folder through a symbolic link, a datastore whose folder is gone. The path need
// not exist yet (a script may write there), but what exists of it must stay inside.
QString resolveDatastoreUri(const QString& uri, Store& store);

// Replaces every script argument that is a datastore URI, or KEY=URI (--data=datastore://…),
// by the resolved path; other arguments pass through unchanged. Throws like resolveDatastoreUri,
// naming the argument.
QStringList resolveDatastoreArgs(const QStringList& scriptParams, Store& store);

} // namespace lb
