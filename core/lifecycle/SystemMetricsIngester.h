#pragma once
// Incremental ingest of a run's system metrics, RUN/system/<node>.jsonl (one file per node,
// written by labbench-sysmon), into the store's system metric tables. Same contract as
// RunIngester, which drives it: the byte offset of each file ("system/<node>.jsonl") is stored
// in the transaction that stores its points, a partial last line waits for its newline, and
// only regular files directly in system/ are read (no link, FIFO or path out of the folder).

#include <QElapsedTimer>
#include <QHash>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <functional>

namespace lb {

class Store;

// RUN/system: where labbench-sysmon writes one file per node (RunFolder.h has the rest of the
// run folder's protocol).
inline QString systemMetricsDir(const QString& runDir) {
    return runDir + QStringLiteral("/system");
}

class SystemMetricsIngester {
public:
    SystemMetricsIngester(Store& store, QString runId, QString systemDir,
                          std::function<void(const QString&)> warn = {});

    // Reads what is new in every node's file; with `final`, a last line without its newline
    // too. Returns true when anything was stored.
    bool ingest(bool final = false);

    std::int64_t pointsStored() const { return pointsStored_; }

private:
    struct Offset {
        std::int64_t bytes = -1; // -1: not looked up in the store yet
        std::int64_t lines = 0;
    };
    bool ingestFile(const QString& fileName, bool final);

    Store& store_;
    QString runId_;
    QString systemDir_;
    std::function<void(const QString&)> warn_;
    QHash<QString, Offset> offsets_; // by file name
    QStringList files_;              // the folder's files as last listed
    QElapsedTimer sinceListed_;      // listed at most twice a second (ingest runs every 10 ms)
    std::int64_t pointsStored_ = 0;
    int warnings_ = 0;
};

} // namespace lb
