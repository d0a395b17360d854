#pragma once
// Opening and reading files that a user or a run's script controls (#25). A run folder is
// written by arbitrary code: a FIFO in place of metrics.jsonl blocks a plain open() for ever, a
// link to /dev/zero is read until memory runs out. SafeFile opens without blocking (O_NONBLOCK),
// refuses a final symbolic link where asked (O_NOFOLLOW), checks with fstat that what it opened
// is a regular file, and reads a whole file only up to a stated limit.

#include "core/util/Error.h"

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <optional>

namespace lb {

// The most Labbench reads whole from a file people or scripts write: config.json, estimator and
// sweep JSON, ignore files, run.json, exit.json, process.json. Such files are a few KB.
constexpr std::int64_t kSmallFileLimit = std::int64_t{16} << 20;

// A file that exists but is not one Labbench will read: what() says why and what to do.
class FileRefusedError : public Error {
public:
    enum class Reason { NotRegular, Link, TooLarge };
    FileRefusedError(Reason reason, const QString& message)
        : Error(message)
        , reason_(reason) {}
    Reason reason() const { return reason_; }

private:
    Reason reason_;
};

enum class FollowLinks { Yes, No };

// A regular file open for reading; the descriptor closes with the object.
class SafeFile {
public:
    // Opens `path`. Throws NotFoundError when nothing is there, FileRefusedError when it is a
    // FIFO, socket, device or folder (or a link, with FollowLinks::No), lb::Error otherwise.
    static SafeFile open(const QString& path, FollowLinks links = FollowLinks::Yes);
    // The same without errors: nothing unless a regular file could be opened. For the files a
    // run writes, which count as missing when they are anything else.
    static std::optional<SafeFile> openIfRegular(const QString& path,
                                                 FollowLinks links = FollowLinks::No);

    SafeFile(SafeFile&& other) noexcept;
    SafeFile& operator=(SafeFile&& other) noexcept;
    SafeFile(const SafeFile&) = delete;
    SafeFile& operator=(const SafeFile&) = delete;
    ~SafeFile();

    int fd() const { return fd_; }
    const QString& path() const { return path_; }
    // The size now (fstat); -1 when it cannot be had.
    std::int64_t size() const;
    // Permission bits as opened (for copies that keep them).
    unsigned mode() const { return mode_; }

    // Up to `count` bytes at `offset` into `buffer`: the number read, 0 at the end, -1 on error.
    std::int64_t readAt(std::int64_t offset, char* buffer, std::int64_t count) const;
    // Up to `maxBytes` at `offset` (fewer at the end of the file); throws lb::Error on a read
    // error.
    QByteArray readAt(std::int64_t offset, std::int64_t maxBytes) const;
    // The whole file, when it holds at most `limit` bytes (read to the end, not trusted to
    // st_size, so a file that grows is caught too); FileRefusedError(TooLarge) otherwise.
    QByteArray readAll(std::int64_t limit) const;

private:
    SafeFile(int fd, QString path, unsigned mode)
        : fd_(fd)
        , path_(std::move(path))
        , mode_(mode) {}
    int fd_ = -1;
    QString path_;
    unsigned mode_ = 0;
};

// Reads a whole regular file of at most `limit` bytes; errors as SafeFile::open and readAll.
QByteArray readFileWithLimit(const QString& path, std::int64_t limit = kSmallFileLimit,
                             FollowLinks links = FollowLinks::Yes);

// Opens (creating) `path` to append to, without following a final link or blocking on a FIFO;
// -1 unless it is a regular file. For the lines Labbench adds to a run's driver.log.
int openForAppend(const QString& path);

// "16 MiB", "512 KiB", "100 bytes": a size as a person reads it.
QString formatBytes(std::int64_t bytes);

} // namespace lb
