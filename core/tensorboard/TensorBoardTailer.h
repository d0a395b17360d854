#pragma once
// Follows the TensorBoard event files a run writes under its snapshot's logs/ folder and turns
// their scalar summaries into metric points (name = tag, step, value, time = wall time).
//
// Each file is read by byte offset: a record still being written waits for the next poll, a
// corrupt one is skipped with a warning. Offsets are kept per file, under the key
// "tb:<path relative to the snapshot>", which is also the name the store keeps them under.

#include "core/store/Entities.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <functional>
#include <vector>

namespace lb {

class Store;

class TensorBoardTailer {
public:
    // What one poll found in one event file.
    struct Batch {
        QString key;                     // "tb:logs/train/events.out.tfevents.…"
        std::vector<MetricPoint> points; // in file order
        std::int64_t offset = 0;         // where the next poll of this file starts
        QStringList warnings;            // one sentence per skipped record
    };

    // `snapshotDir` is the run's working directory; event files are looked for under
    // `snapshotDir`/logs, at any depth (symbolic links are not followed).
    explicit TensorBoardTailer(QString snapshotDir);

    // Where to start reading a file seen for the first time (e.g. its stored ingest offset);
    // without it every file is read from its start.
    void setResumeOffsets(std::function<std::int64_t(const QString& key)> offsetOf) {
        resumeOffset_ = std::move(offsetOf);
    }

    // Reads what is new in every event file; returns one batch per file that moved or warned.
    // With `final` (the writer is gone), bytes left at the end of a file are reported as a
    // torn record in the warnings.
    std::vector<Batch> poll(bool final = false);

    // Bytes read per file per pass (memory bound); a record larger than this is still read.
    void setChunkBytes(std::int64_t bytes) { chunkBytes_ = bytes; }

    // The offset key of a file, given its path relative to the snapshot.
    static QString keyFor(const QString& relativePath) {
        return QStringLiteral("tb:") + relativePath;
    }
    // True for the names TensorFlow, PyTorch and tensorboardX give event files.
    static bool isEventFileName(const QString& fileName);

private:
    struct FileState {
        std::int64_t offset = 0;
        std::int64_t warnedAt = -1;     // offset of the last torn-tail warning (no repeats)
        QHash<QString, QString> plugin; // tag -> plugin named in its first value's metadata
    };
    Batch readFile(const QString& relativePath, FileState& state, bool final);

    QString snapshotDir_;
    std::function<std::int64_t(const QString&)> resumeOffset_;
    QHash<QString, FileState> files_;
    std::int64_t chunkBytes_ = 8 << 20;
};

// Polls `tailer` and stores each file's points together with its new offset (one transaction
// per file, so a crash neither loses nor repeats a point); passes warnings to `warn`. Returns
// the number of points stored. Resume offsets come from the store (see makeTensorBoardTailer).
std::int64_t ingestTensorBoard(Store& store, const QString& runId, TensorBoardTailer& tailer,
                               const std::function<void(const QString&)>& warn, bool final = false);

// A tailer for one run that resumes from the offsets stored for it.
TensorBoardTailer makeTensorBoardTailer(Store& store, const QString& runId,
                                        const QString& snapshotDir);

} // namespace lb
