#pragma once
// Incremental ingest of one run's driver.log, metrics.jsonl and system/*.jsonl into the store,
// by byte offset.
// The offset of a file and what it covers are stored in one transaction, so a crash at any
// moment neither loses nor repeats a line; a partial last line waits for its newline (or for
// the final ingest, after the process is gone). Both files are read only when they are regular
// files (no FIFO, link or device the script put in their place), in bounded pieces.

#include "core/store/Entities.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <memory>

namespace lb {

class SafeFile;
class Store;
class SystemMetricsIngester;
class TensorBoardTailer;

class RunIngester {
public:
    // `warn` receives one sentence per skipped metrics line (the supervisor appends it to
    // driver.log); may be empty.
    RunIngester(Store& store, QString runId, QString runDir,
                std::function<void(const QString&)> warn = {});
    ~RunIngester();
    RunIngester(const RunIngester&) = delete;
    RunIngester& operator=(const RunIngester&) = delete;

    // Reads what is new since the stored offsets. With `final`, a last line without a newline
    // is taken too (the writer is gone). Returns true when anything was stored.
    bool ingest(bool final = false);

    // Reads at most this many bytes of metrics per transaction (bounded memory).
    void setChunkBytes(std::int64_t bytes) { chunkBytes_ = bytes; }
    // A metrics line longer than this is skipped with a warning, never held whole (#25).
    void setMaxLineBytes(std::int64_t bytes) { maxLineBytes_ = bytes; }

    std::int64_t metricPointsStored() const { return pointsStored_; }
    std::int64_t logLines() const { return logLines_; }

private:
    bool ingestLog(bool final);
    bool ingestMetrics(bool final);
    bool ingestMetricChunk(bool final, bool* more);
    bool skipOverlongLine(const SafeFile& file, std::int64_t size, bool final);

    Store& store_;
    QString runId_;
    QString driverLog_, metricsFile_;
    std::function<void(const QString&)> warn_;
    std::int64_t logBytes_ = 0, logLines_ = 0;
    std::int64_t metricBytes_ = 0, metricLines_ = 0;
    std::int64_t pointsStored_ = 0;
    std::int64_t chunkBytes_ = 8 << 20;
    std::int64_t maxLineBytes_ = 64 << 20;
    std::int64_t skipScanFrom_ = 0; // where the search for an overlong line's end resumes
    // TensorBoard event files under snapshot/logs, ingested as metrics (issue 4).
    std::unique_ptr<TensorBoardTailer> tensorBoard_;
    // RUN/system/<node>.jsonl, the system metrics of every node (issue 19).
    std::unique_ptr<SystemMetricsIngester> system_;
};

} // namespace lb
