#pragma once
// A line index over a growing log file that never loads the file whole: update() reads only the
// bytes appended since the last call and remembers the offset of every kBlock-th line, and
// lines() seeks to the nearest remembered offset and reads just the lines asked for. A 1 GB log
// with 10 million lines costs about 1.3 MB of index. Thread-safe: one thread may update while
// another reads.

#include "core/util/SafeFile.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace lb {

class LogIndex {
public:
    static constexpr std::int64_t kBlock = 64;
    // Longer lines are cut here when shown (the file keeps them whole).
    static constexpr int kMaxLineChars = 4096;

    explicit LogIndex(QString path);

    const QString& path() const { return path_; }

    // Indexes at most `maxBytes` of what was appended since the last call. Returns true when the
    // line count changed (or the file was truncated and indexing started over). A missing file
    // is an empty log (the run may not have started yet), and so is a FIFO, a link or anything
    // else that is not a regular file (#25).
    bool update(std::int64_t maxBytes = 64 << 20);
    // True while update() has more bytes to read than its last limit allowed.
    bool behind() const;

    // Lines, counting a last line that has no newline yet.
    std::int64_t lineCount() const;
    std::int64_t indexedBytes() const;
    // True when the last line has no newline yet (it may still grow).
    bool lastLineOpen() const;
    // Times the file shrank and the index started over.
    int resets() const { return resets_; }

    // Lines [first, first + count) clipped to the log, decoded as UTF-8 without the newline.
    QStringList lines(std::int64_t first, std::int64_t count) const;

    // The first line at or after `from` (forward) or at or before it (backward) that contains
    // `text` (case-insensitive); -1 when none. `cancel` stops a long scan early.
    std::int64_t find(const QString& text, std::int64_t from, bool forward,
                      const std::atomic<bool>* cancel = nullptr) const;

private:
    std::int64_t blockOffset(std::int64_t line) const { return offsets_[line / kBlock]; }
    QString path_;
    mutable std::mutex mutex_;
    bool openFile() const; // opens file_ unless it is open; false when there is no regular file
    mutable std::optional<SafeFile> file_;
    std::vector<std::int64_t> offsets_{0}; // offset of line k * kBlock
    std::int64_t bytes_ = 0;               // bytes indexed
    std::int64_t completeLines_ = 0;
    bool open_ = false;                     // bytes after the last newline
    bool behind_ = false;
    int resets_ = 0;
    QByteArray chunk_; // read buffer, reused
};

} // namespace lb
