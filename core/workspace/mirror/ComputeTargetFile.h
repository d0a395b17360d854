#pragma once
// <workspace>/compute-targets/<name>.json: one compute target (kind, settings, created), written
// whenever the target is created, edited or removed, so repair restores it.

#include "core/store/Entities.h"

namespace lb {

class Store;

QString computeTargetsDir(const QString& root);
// Writes the target's file as the store has it, or removes it when the store has no such target.
void syncComputeTargetFile(const QString& root, Store& store, const QString& name);
// Reads one file; throws lb::Error naming the file and the field when it cannot be read.
ComputeTargetRecord readComputeTargetFile(const QString& path);

} // namespace lb
