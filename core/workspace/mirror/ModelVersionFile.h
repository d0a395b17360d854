#pragma once
// <workspace>/models/<name>/<version>.json, beside the version's folder of files: what the
// registry knows of that version (source run and path, size, description, created, tags,
// properties), written whenever it is registered, tagged or removed, so repair restores it.

#include "core/store/Entities.h"

namespace lb {

class Store;

QString modelVersionFilePath(const QString& root, const QString& name, int version);
// Writes the version's file as the store has it, or removes it when the store has none.
void syncModelVersionFile(const QString& root, Store& store, const QString& name, int version);
// Reads one file; `path` is models/<name>/<version>.json. The model's path is rebuilt under this
// workspace's models folder (the workspace may have moved). Throws lb::Error naming the file and
// the field when it cannot be read.
ModelVersion readModelVersionFile(const QString& path);

} // namespace lb
