#include "core/live/LogIndex.h"

#include <QFileInfo>

#include <cstring>

namespace lb {

namespace {

QString decode(const char* data, qsizetype size) {
    if (size > 0 && data[size - 1] == '\r')
        --size;
    const bool cut = size > LogIndex::kMaxLineChars;
    QString line = QString::fromUtf8(data, cut ? LogIndex::kMaxLineChars : size);
    if (cut)
        line += QStringLiteral(" …");
    return line;
}

// The size of the log when it is a regular file, else 0: a FIFO or link is no log.
qint64 regularFileSize(const QString& path) {
    const QFileInfo info(path);
    return info.isSymLink() || !info.isFile() ? 0 : info.size();
}

// Reads lines sequentially from an offset, in large chunks.
class LineScanner {
public:
    LineScanner(const SafeFile& file, std::int64_t offset, std::int64_t end)
        : file_(file), pos_(offset), end_(end) {}

    // The next line (without newline); false at `end`.
    bool next(QByteArray& line) {
        line.clear();
        for (;;) {
            if (at_ >= buffer_.size()) {
                if (pos_ >= end_)
                    return !line.isEmpty();
                const qint64 want = std::min<qint64>(1 << 20, end_ - pos_);
                buffer_.resize(want);
                const std::int64_t got = file_.readAt(pos_, buffer_.data(), want);
                buffer_.truncate(got < 0 ? 0 : static_cast<qsizetype>(got));
                at_ = 0;
                if (buffer_.isEmpty())
                    return !line.isEmpty();
                pos_ += buffer_.size();
            }
            const char* start = buffer_.constData() + at_;
            const qsizetype left = buffer_.size() - at_;
            const void* nl = std::memchr(start, '\n', static_cast<std::size_t>(left));
            if (nl) {
                const qsizetype n = static_cast<const char*>(nl) - start;
                if (line.size() < 2 * LogIndex::kMaxLineChars)
                    line.append(start, std::min<qsizetype>(n, 2 * LogIndex::kMaxLineChars));
                at_ += n + 1;
                return true;
            }
            if (line.size() < 2 * LogIndex::kMaxLineChars)
                line.append(start, std::min<qsizetype>(left, 2 * LogIndex::kMaxLineChars));
            at_ = buffer_.size();
        }
    }

private:
    const SafeFile& file_;
    std::int64_t pos_;
    std::int64_t end_;
    QByteArray buffer_;
    qsizetype at_ = 0;
};

} // namespace

LogIndex::LogIndex(QString path) : path_(std::move(path)) {}

bool LogIndex::openFile() const {
    if (!file_)
        file_ = SafeFile::openIfRegular(path_);
    return file_.has_value();
}

bool LogIndex::update(std::int64_t maxBytes) {
    std::lock_guard lock(mutex_);
    const qint64 size = regularFileSize(path_); // 0 when missing or not a regular file
    if (size < bytes_) {
        // Truncated or replaced: start over.
        offsets_.assign(1, 0);
        bytes_ = completeLines_ = 0;
        open_ = false;
        ++resets_;
        file_.reset();
        if (size == 0)
            return true;
    }
    if (size == bytes_) {
        behind_ = false;
        return false;
    }
    if (!openFile())
        return false;
    const std::int64_t before = completeLines_;
    const bool wasOpen = open_;
    const std::int64_t end = std::min<std::int64_t>(size, bytes_ + maxBytes);
    behind_ = end < size;
    // One reused buffer: indexing a big file allocates nothing per chunk.
    if (chunk_.size() < (4 << 20))
        chunk_.resize(4 << 20);
    while (bytes_ < end) {
        const std::int64_t got =
            file_->readAt(bytes_, chunk_.data(), std::min<std::int64_t>(chunk_.size(), end - bytes_));
        if (got <= 0)
            break;
        const QByteArrayView chunk(chunk_.constData(), static_cast<qsizetype>(got));
        const char* p = chunk.data();
        const char* stop = p + chunk.size();
        while (p < stop) {
            const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(stop - p));
            if (!nl) {
                p = stop;
                break;
            }
            p = static_cast<const char*>(nl) + 1;
            ++completeLines_;
            if (completeLines_ % kBlock == 0)
                offsets_.push_back(bytes_ + (p - chunk.data()));
        }
        bytes_ += chunk.size();
        open_ = chunk.back() != '\n'; // bytes after the last newline form an open line
    }
    return completeLines_ != before || open_ != wasOpen || open_;
}

bool LogIndex::behind() const {
    std::lock_guard lock(mutex_);
    return behind_;
}

std::int64_t LogIndex::lineCount() const {
    std::lock_guard lock(mutex_);
    return completeLines_ + (open_ ? 1 : 0);
}

std::int64_t LogIndex::indexedBytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

bool LogIndex::lastLineOpen() const {
    std::lock_guard lock(mutex_);
    return open_;
}

QStringList LogIndex::lines(std::int64_t first, std::int64_t count) const {
    std::lock_guard lock(mutex_);
    QStringList result;
    const std::int64_t total = completeLines_ + (open_ ? 1 : 0);
    if (first < 0 || first >= total || count <= 0)
        return result;
    count = std::min(count, total - first);
    if (!openFile())
        return result;
    LineScanner scanner(*file_, blockOffset(first), bytes_);
    QByteArray line;
    for (std::int64_t i = first - first % kBlock; i < first + count && scanner.next(line); ++i) {
        if (i >= first)
            result.append(decode(line.constData(), line.size()));
    }
    return result;
}

std::int64_t LogIndex::find(const QString& text, std::int64_t from, bool forward,
                            const std::atomic<bool>* cancel) const {
    if (text.isEmpty())
        return -1;
    const std::int64_t total = lineCount();
    if (total == 0)
        return -1;
    from = std::clamp<std::int64_t>(from, 0, total - 1);
    if (forward) {
        std::int64_t end = 0;
        std::int64_t offset = 0;
        {
            std::lock_guard lock(mutex_);
            end = bytes_;
            offset = blockOffset(from);
        }
        // A private handle: a scan of a big file must not hold the lock readers need.
        const std::optional<SafeFile> file = SafeFile::openIfRegular(path_);
        if (!file)
            return -1;
        LineScanner scanner(*file, offset, end);
        const QByteArray needle = text.toUtf8().toLower();
        QByteArray line;
        for (std::int64_t i = from - from % kBlock; scanner.next(line); ++i) {
            if (cancel && (i & 4095) == 0 && cancel->load())
                return -1;
            if (i >= from && line.toLower().contains(needle))
                return i;
        }
        return -1;
    }
    for (std::int64_t block = from / kBlock; block >= 0; --block) {
        if (cancel && cancel->load())
            return -1;
        const QStringList chunk = lines(block * kBlock, kBlock);
        for (std::int64_t j = static_cast<std::int64_t>(chunk.size()) - 1; j >= 0; --j) {
            const std::int64_t i = block * kBlock + j;
            if (i <= from && chunk[static_cast<qsizetype>(j)].contains(text, Qt::CaseInsensitive))
                return i;
        }
    }
    return -1;
}

} // namespace lb
