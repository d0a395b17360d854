#pragma once
// <workspace>/experiments.json: the workspace's experiments with their creation times, rewritten
// whenever one is added, so repair restores them (and those without runs) as they were.

#include "core/store/Entities.h"

#include <QList>

namespace lb {

class Store;

QString experimentsFilePath(const QString& root);
void writeExperimentsFile(const QString& root, Store& store);
// The experiments the file lists (name and created); none when there is no file. Throws
// lb::Error naming the file and the field when it cannot be read.
QList<Experiment> readExperimentsFile(const QString& root);

} // namespace lb
