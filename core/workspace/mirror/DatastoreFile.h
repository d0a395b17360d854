#pragma once
// <workspace>/datastores/<name>.json: one datastore (kind, folder, created), written whenever it
// is added or removed, so repair restores it.

#include "core/store/DatastoreRepository.h"

namespace lb {

class Store;

QString datastoresDir(const QString& root);
// Writes the datastore's file as the store has it, or removes it when the store has none.
void syncDatastoreFile(const QString& root, Store& store, const QString& name);
// Reads one file; throws lb::Error naming the file and the field when it cannot be read.
DatastoreRecord readDatastoreFile(const QString& path);

} // namespace lb
