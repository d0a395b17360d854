#include "core/tensorboard/TensorBoardTailer.h"

#include "core/store/Store.h"
#include "core/tensorboard/EventDecoder.h"
#include "core/tensorboard/TfRecordReader.h"
#include "core/util/SafeFile.h"

#include <QDir>
#include <QDirIterator>
#include <algorithm>

namespace lb {

TensorBoardTailer::TensorBoardTailer(QString snapshotDir)
    : snapshotDir_(std::move(snapshotDir)) {}

bool TensorBoardTailer::isEventFileName(const QString& fileName) {
    // TensorFlow: events.out.tfevents.<time>.<host>[.<pid>.<n>][.v2]; PyTorch and tensorboardX
    // keep the same prefix, sometimes with a suffix of their own.
    return fileName.startsWith(QLatin1String("events.out.tfevents.")) ||
           fileName.contains(QLatin1String(".tfevents."));
}

std::vector<TensorBoardTailer::Batch> TensorBoardTailer::poll(bool final) {
    std::vector<Batch> batches;
    const QString logs = snapshotDir_ + QStringLiteral("/logs");
    if (!QFileInfo(logs).isDir() || QFileInfo(logs).isSymLink()) return batches;
    QStringList found;
    // QDirIterator does not descend into symbolic links without FollowSymlinks: nothing outside
    // the run's folder is read.
    QDirIterator it(logs, QDir::Files | QDir::NoSymLinks | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        if (isEventFileName(it.fileName()))
            found.append(QDir(snapshotDir_).relativeFilePath(it.filePath()));
    }
    found.sort(); // a stable order: files of one writer sort by creation time
    for (const QString& rel : found) {
        auto state = files_.find(rel);
        if (state == files_.end()) {
            state = files_.insert(rel, FileState{});
            if (resumeOffset_)
                state->offset = std::max<std::int64_t>(0, resumeOffset_(keyFor(rel)));
        }
        Batch b = readFile(rel, *state, final);
        if (!b.points.empty() || !b.warnings.isEmpty() || b.offset != state->offset) {
            state->offset = b.offset;
            batches.push_back(std::move(b));
        }
    }
    return batches;
}

TensorBoardTailer::Batch TensorBoardTailer::readFile(const QString& rel, FileState& state,
                                                     bool final) {
    Batch batch;
    batch.key = keyFor(rel);
    batch.offset = state.offset;
    // Listed as a regular file, but the script may have swapped in a FIFO or a link since (#25).
    const std::optional<SafeFile> file = SafeFile::openIfRegular(snapshotDir_ + QLatin1Char('/') + rel);
    if (!file)
        return batch; // vanished or unreadable for now: try again next poll
    const std::int64_t size = file->size();
    if (size < batch.offset) {
        batch.warnings.append(
            QStringLiteral("labbench: the TensorBoard file %1 shrank below what was "
                           "already read (%2 bytes); reading it again from the start.")
                .arg(rel)
                .arg(batch.offset));
        batch.offset = 0;
        state.plugin.clear();
    }
    std::int64_t want = chunkBytes_;
    while (batch.offset < size) {
        const std::int64_t length = std::min(size - batch.offset, want);
        const QByteArray buffer = file->readAt(batch.offset, length);
        if (buffer.isEmpty()) break;
        std::int64_t pos = 0;
        for (;;) {
            const TfRecordScan scan = scanTfRecord(buffer, pos);
            if (scan.kind == TfRecordScan::Kind::Incomplete) break;
            if (scan.kind == TfRecordScan::Kind::Corrupt) {
                batch.warnings.append(
                    QStringLiteral("labbench: skipped a corrupt TensorBoard record in %1 "
                                   "at byte %2 (%3).")
                        .arg(rel)
                        .arg(batch.offset + pos)
                        .arg(scan.problem));
                pos = scan.next;
                continue;
            }
            const TensorBoardEvent event = decodeTensorBoardEvent(scan.data);
            if (!event.valid) {
                batch.warnings.append(
                    QStringLiteral("labbench: skipped a TensorBoard record in %1 at byte %2 "
                                   "that is not a valid Event message.")
                        .arg(rel)
                        .arg(batch.offset + pos));
            }
            for (const TensorBoardValue& v : event.values) {
                if (!v.pluginName.isEmpty()) state.plugin.insert(v.tag, v.pluginName);
                // A tag that a non-scalar plugin (histograms, text, hparams…) declared is not a
                // metric even when one of its tensors happens to hold one number.
                const QString plugin = state.plugin.value(v.tag);
                if (!v.scalar || v.tag.isEmpty() ||
                    (!plugin.isEmpty() && plugin != QLatin1String("scalars")))
                    continue;
                batch.points.push_back({v.tag, *v.scalar, event.step, event.wallTime});
            }
            pos = scan.next;
        }
        if (pos == 0) {
            // No record completed: either the file ends inside one (wait), or one record is
            // larger than what was read (read more at once).
            if (length < size - batch.offset && want < kMaxTfRecordBytes + 16) {
                want = std::min<std::int64_t>(want * 4, kMaxTfRecordBytes + 16);
                continue;
            }
            break;
        }
        batch.offset += pos;
        want = chunkBytes_;
    }
    if (final && batch.offset < size && state.warnedAt != batch.offset) {
        state.warnedAt = batch.offset;
        batch.warnings.append(
            QStringLiteral("labbench: ignored %1 bytes at the end of the TensorBoard file "
                           "%2: an incomplete record.")
                .arg(size - batch.offset)
                .arg(rel));
    }
    return batch;
}

std::int64_t ingestTensorBoard(Store& store, const QString& runId, TensorBoardTailer& tailer,
                               const std::function<void(const QString&)>& warn, bool final) {
    std::int64_t stored = 0;
    for (const auto& batch : tailer.poll(final)) {
        // Points and the offset after them go in one transaction.
        store.metrics().append(runId, batch.points, batch.key, batch.offset, 0);
        stored += static_cast<std::int64_t>(batch.points.size());
        if (warn)
            for (const QString& w : batch.warnings)
                warn(w);
    }
    return stored;
}

TensorBoardTailer makeTensorBoardTailer(Store& store, const QString& runId,
                                        const QString& snapshotDir) {
    TensorBoardTailer tailer(snapshotDir);
    tailer.setResumeOffsets([&store, runId](const QString& key) {
        return store.runs().ingestOffset(runId, key).bytes;
    });
    return tailer;
}

} // namespace lb
