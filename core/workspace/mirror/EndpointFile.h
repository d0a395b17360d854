#pragma once
// <workspace>/endpoints/<name>/endpoint.json: one endpoint (what it serves, how, its state
// history), written whenever the store changes it, so `workspace repair` restores it. The
// endpoint's folder also holds its server's log, key and copied source.

#include "core/store/EndpointRepository.h"

#include <QList>

namespace lb {

class Store;

QString endpointsDir(const QString& root);
QString endpointFilePath(const QString& root, const QString& name);

// Writes the endpoint's file as the store has it, or removes the file when the store has none
// (the rest of the folder is the remove command's to clear).
void syncEndpointFile(const QString& root, Store& store, const QString& name);

struct EndpointFileContents {
    EndpointRecord endpoint;
    QList<EndpointStateChange> history;
};

// Reads one file; throws lb::Error naming the file and the field when it cannot be read.
EndpointFileContents readEndpointFile(const QString& path);

// The endpoint.json files under endpoints/ (sorted); none when the folder does not exist.
QStringList endpointFilesIn(const QString& root);

} // namespace lb
