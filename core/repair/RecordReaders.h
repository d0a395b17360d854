#pragma once
// The readers `labbench workspace repair` rebuilds a store with: one per kind of record, each
// reading that kind's files in the workspace's folders (the mirror core/workspace/mirror writes)
// and writing the records into the new store. To add a kind of record (endpoints, attempts, …):
// write its reader beside these and add it to recordReaders(), in an order where what it refers
// to is already restored.

#include <QList>
#include <QString>
#include <QStringList>
#include <cstdint>

namespace lb {

class Store;

// What one reader restored and what it had to leave out (one sentence each, naming the file).
struct RestoredKind {
    QString kind; // "runs"
    int restored = 0;
    QStringList skipped;
    QStringList notes; // restored, but not quite as it was
};

// What a reader works with: the workspace's folder and the store being built.
struct RepairContext {
    QString root;
    Store& store;
    RestoredKind& result;
    std::int64_t metricPoints = 0; // restored by the run reader
};

struct RecordReader {
    const char* kind;
    void (*restore)(RepairContext& context);
};

// The readers, in the order they run.
const QList<RecordReader>& recordReaders();

void restoreExperiments(RepairContext& context);
void restoreComputeTargets(RepairContext& context);
void restoreDatastores(RepairContext& context);
void restoreRuns(RepairContext& context);
void restoreModelVersions(RepairContext& context);
void restoreEndpoints(RepairContext& context); // EndpointReader.cpp

} // namespace lb
