#pragma once
// Where runs live and what their folders take on disk. The folders are read as one column: the
// disk total of 10,000 runs must not build 10,000 RunRecords (with their estimator JSON) to learn
// where they live. Measured sizes are kept in the store (run_disk_usage), so the runs table and
// `runs list` sort and filter by size in SQL.
#include <QHash>
#include <QList>
#include <QStringList>

namespace lb {

class Store;

struct RunFolder {
    QString runId;
    QString dir;
};

// The folders of `experiment`'s runs (every run's when it is empty), archived ones included;
// runs without a folder are left out.
QList<RunFolder> runFolders(Store& store, const QString& experiment = {});

// Keeps these measured sizes (bytes by run id), in one transaction.
void recordRunDiskUsage(Store& store, const QHash<QString, qint64>& bytesByRun);

// The sizes kept for these runs; runs never measured are missing.
QHash<QString, qint64> runDiskUsage(Store& store, const QStringList& runIds);

} // namespace lb
