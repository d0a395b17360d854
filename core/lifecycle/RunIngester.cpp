#include "core/lifecycle/RunIngester.h"

#include "core/lifecycle/MetricLine.h"
#include "core/lifecycle/RunFolder.h"
#include "core/lifecycle/SystemMetricsIngester.h"
#include "core/store/Store.h"
#include "core/tensorboard/TensorBoardTailer.h"
#include "core/util/SafeFile.h"
#include "core/util/Time.h"

#include <QHash>

#include <cstring>
#include <string>
#include <vector>

namespace lb {

RunIngester::RunIngester(Store& store, QString runId, QString runDir,
                         std::function<void(const QString&)> warn)
    : store_(store), runId_(std::move(runId)), warn_(std::move(warn)) {
    const RunFolder folder(runDir);
    driverLog_ = folder.driverLog();
    metricsFile_ = folder.metricsFile();
    const auto log = store_.runs().ingestOffset(runId_, RunFolder::driverLogName());
    logBytes_ = log.bytes;
    logLines_ = log.lines;
    const auto metrics = store_.runs().ingestOffset(runId_, RunFolder::metricsName());
    metricBytes_ = metrics.bytes;
    metricLines_ = metrics.lines;
    tensorBoard_ = std::make_unique<TensorBoardTailer>(
        makeTensorBoardTailer(store_, runId_, folder.snapshotDir()));
    system_ =
        std::make_unique<SystemMetricsIngester>(store_, runId_, systemMetricsDir(runDir), warn_);
}

RunIngester::~RunIngester() = default;

bool RunIngester::ingest(bool final) {
    const bool log = ingestLog(final);
    const bool metrics = ingestMetrics(final);
    const bool tensorBoard = ingestTensorBoard(store_, runId_, *tensorBoard_, warn_, final) > 0;
    const bool system = system_->ingest(final);
    return log || metrics || tensorBoard || system;
}

bool RunIngester::ingestLog(bool final) {
    // The script can put anything in its folder: a FIFO or a link counts as no log (#25).
    const std::optional<SafeFile> file = SafeFile::openIfRegular(driverLog_);
    if (!file)
        return false;
    const std::int64_t size = file->size();
    if (size <= logBytes_)
        return false;
    // Count lines without holding the whole log: the store keeps offsets, the log stays a file.
    std::int64_t pos = logBytes_, lastNewlineEnd = logBytes_, lines = logLines_;
    QByteArray buffer;
    while (pos < size) {
        buffer = file->readAt(pos, std::min<std::int64_t>(size - pos, 1 << 20));
        if (buffer.isEmpty())
            break;
        const char* data = buffer.constData();
        const char* end = data + buffer.size();
        for (const char* p = data; (p = static_cast<const char*>(std::memchr(p, '\n', end - p))); ++p) {
            ++lines;
            lastNewlineEnd = pos + (p - data) + 1;
        }
        pos += buffer.size();
    }
    std::int64_t newBytes = lastNewlineEnd;
    if (final && pos > lastNewlineEnd) {
        ++lines; // the last line had no newline; its writer is gone
        newBytes = pos;
    }
    if (newBytes == logBytes_)
        return false;
    store_.runs().setIngestOffset(runId_, RunFolder::driverLogName(), {newBytes, lines});
    logBytes_ = newBytes;
    logLines_ = lines;
    return true;
}

bool RunIngester::ingestMetrics(bool final) {
    bool any = false, more = true;
    while (more) {
        more = false;
        any = ingestMetricChunk(final, &more) || any;
    }
    return any;
}

bool RunIngester::ingestMetricChunk(bool final, bool* more) {
    const std::optional<SafeFile> file = SafeFile::openIfRegular(metricsFile_);
    if (!file)
        return false;
    const std::int64_t size = file->size();
    if (size <= metricBytes_)
        return false;
    const std::int64_t want = std::min<std::int64_t>(size - metricBytes_, chunkBytes_);
    const QByteArray chunk = file->readAt(metricBytes_, want);
    if (chunk.isEmpty())
        return false;
    const bool atEnd = metricBytes_ + chunk.size() >= size;

    const char* data = chunk.constData();
    const char* end = data + chunk.size();
    std::vector<MetricPoint> points;
    points.reserve(static_cast<size_t>(chunk.size() / 48));
    QHash<QByteArray, QString> names; // names repeat: one QString per distinct name
    std::vector<std::pair<QString, QString>> tags;
    std::vector<StreamMarker> markers; // checkpoints and attempts, where they came among the points
    MetricLine parsed;
    std::int64_t consumed = 0, lines = metricLines_;
    const double now = nowUnixSeconds();
    const char* line = data;
    while (line < end) {
        const char* nl = static_cast<const char*>(std::memchr(line, '\n', end - line));
        const char* lineEnd = nl ? nl : end;
        if (!nl && !(final && atEnd))
            break; // a partial last line: wait for the rest
        ++lines;
        std::string_view text(line, static_cast<size_t>(lineEnd - line));
        while (!text.empty() && (text.back() == '\r' || text.back() == ' '))
            text.remove_suffix(1);
        if (!text.empty()) {
            parseMetricLine(text, parsed);
            switch (parsed.kind) {
            case MetricLine::Kind::Metric: {
                const QByteArray key = QByteArray::fromRawData(parsed.name.data(),
                                                               static_cast<qsizetype>(parsed.name.size()));
                auto it = names.find(key);
                // The stored key must own its bytes: a copy of a fromRawData array still points
                // into parsed.name, which the next longer line (a checkpoint path) reallocates.
                // ASan saw the hash compare against freed memory in `workspace repair`.
                if (it == names.end())
                    it = names.insert(QByteArray(key.constData(), key.size()),
                                      QString::fromStdString(parsed.name));
                points.push_back({*it, parsed.value, parsed.step, parsed.time > 0 ? parsed.time : now});
                break;
            }
            case MetricLine::Kind::Tag:
                tags.emplace_back(QString::fromStdString(parsed.name), parsed.tagValue);
                break;
            case MetricLine::Kind::Checkpoint:
            case MetricLine::Kind::Attempt:
                markers.push_back({parsed.kind == MetricLine::Kind::Checkpoint ? StreamMarker::Kind::Checkpoint
                                                                               : StreamMarker::Kind::Attempt,
                                   points.size(), QString::fromStdString(parsed.name), parsed.step,
                                   parsed.time > 0 ? parsed.time : now});
                break;
            case MetricLine::Kind::Ignored:
                break;
            case MetricLine::Kind::Invalid:
                if (warn_)
                    warn_(QStringLiteral("labbench: skipped line %1 of metrics.jsonl (%2): %3")
                              .arg(lines)
                              .arg(parsed.error, QString::fromUtf8(text.data(),
                                                                   static_cast<qsizetype>(std::min<size_t>(text.size(), 120)))));
                break;
            }
        }
        consumed = (nl ? nl + 1 : lineEnd) - data;
        line = nl ? nl + 1 : end;
    }
    if (consumed == 0) {
        if (!atEnd && chunk.size() >= chunkBytes_) {
            // One line longer than a chunk: read it whole next time rather than stall forever,
            // up to a limit; a longer line is skipped without being held (#25).
            if (chunkBytes_ >= maxLineBytes_) {
                const bool skipped = skipOverlongLine(*file, size, final);
                *more = skipped && metricBytes_ < size;
                return skipped;
            }
            chunkBytes_ = std::min(chunkBytes_ * 2, maxLineBytes_);
            *more = true;
        }
        return false;
    }
    for (const auto& [key, value] : tags)
        store_.runs().setTag(runId_, key, value);
    store_.metrics().append(runId_, points, RunFolder::metricsName(), metricBytes_ + consumed, lines,
                            markers);
    metricBytes_ += consumed;
    metricLines_ = lines;
    pointsStored_ += static_cast<std::int64_t>(points.size());
    *more = metricBytes_ < size;
    return true;
}

bool RunIngester::skipOverlongLine(const SafeFile& file, std::int64_t size, bool final) {
    // Find the line's end a megabyte at a time, resuming where the last poll stopped.
    std::int64_t at = std::max(skipScanFrom_, metricBytes_);
    std::int64_t end = -1;
    while (at < size && end < 0) {
        const QByteArray piece = file.readAt(at, std::min<std::int64_t>(1 << 20, size - at));
        if (piece.isEmpty())
            break;
        const qsizetype newline = piece.indexOf('\n');
        if (newline >= 0)
            end = at + newline + 1;
        else
            at += piece.size();
    }
    if (end < 0 && final)
        end = at; // the writer is gone: the rest of the file was that one line
    if (end < 0) {
        skipScanFrom_ = at;
        return false;
    }
    const std::int64_t lines = metricLines_ + 1;
    if (warn_)
        warn_(QStringLiteral("labbench: skipped line %1 of metrics.jsonl: it is longer than %2 "
                             "(%3 bytes); log one value per line.")
                  .arg(lines)
                  .arg(formatBytes(maxLineBytes_))
                  .arg(end - metricBytes_));
    store_.metrics().append(runId_, {}, RunFolder::metricsName(), end, lines);
    metricBytes_ = end;
    metricLines_ = lines;
    skipScanFrom_ = 0;
    return true;
}

} // namespace lb
