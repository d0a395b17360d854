#include "core/util/SafeFile.h"

#include "core/util/BytePaths.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lb {

namespace {

QString systemError(int err) {
    return QString::fromLocal8Bit(std::strerror(err));
}

// What a non-regular file is, for "X is a FIFO, not a regular file".
QString kindOf(mode_t mode) {
    if (S_ISFIFO(mode)) return QStringLiteral("a FIFO (named pipe)");
    if (S_ISSOCK(mode)) return QStringLiteral("a socket");
    if (S_ISCHR(mode)) return QStringLiteral("a character device");
    if (S_ISBLK(mode)) return QStringLiteral("a block device");
    if (S_ISDIR(mode)) return QStringLiteral("a folder");
    if (S_ISLNK(mode)) return QStringLiteral("a symbolic link");
    return QStringLiteral("not a regular file");
}

// Why an open failed, kept as data so that open() throws the right type and openIfRegular()
// throws nothing.
struct Failure {
    enum class Kind { Missing, Refused, Other } kind = Kind::Other;
    FileRefusedError::Reason reason = FileRefusedError::Reason::NotRegular;
    QString message;

    [[noreturn]] void raise() const {
        switch (kind) {
        case Kind::Missing:
            throw NotFoundError(message);
        case Kind::Refused:
            throw FileRefusedError(reason, message);
        case Kind::Other:
            break;
        }
        throw Error(message);
    }
};

Failure notRegular(const QString& path, mode_t mode) {
    return {Failure::Kind::Refused, FileRefusedError::Reason::NotRegular,
            QStringLiteral("%1 is %2, not a regular file, so Labbench does not read it; replace it "
                           "with a regular file.")
                .arg(path, kindOf(mode))};
}

Failure isLink(const QString& path) {
    return {Failure::Kind::Refused, FileRefusedError::Reason::Link,
            QStringLiteral("%1 is a symbolic link, which Labbench does not follow here; replace it "
                           "with the file itself.")
                .arg(path)};
}

Failure systemFailure(const QString& path, int err) {
    if (err == ENOENT || err == ENOTDIR)
        return {Failure::Kind::Missing, {}, QStringLiteral("%1 does not exist.").arg(path)};
    return {Failure::Kind::Other,
            {},
            QStringLiteral("Cannot read %1: %2.").arg(path, systemError(err))};
}

// Opens and checks; -1 with `failure` set when `path` is not a regular file it could open.
int openChecked(const QString& path, FollowLinks links, struct stat& st, Failure& failure) {
    const QByteArray name = nativePath(path);
    // Look before opening: opening some devices has effects of its own (a tape rewinds), and a
    // look refuses the common case without touching the file at all.
    const int lookRc =
        links == FollowLinks::No ? ::lstat(name.constData(), &st) : ::stat(name.constData(), &st);
    if (lookRc != 0) {
        failure = systemFailure(path, errno);
        return -1;
    }
    if (S_ISLNK(st.st_mode)) {
        failure = isLink(path);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        failure = notRegular(path, st.st_mode);
        return -1;
    }
    // The look and the open are two steps: O_NONBLOCK and O_NOFOLLOW make a FIFO or a link
    // swapped in between harmless, and fstat checks what was really opened.
    int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
    if (links == FollowLinks::No) flags |= O_NOFOLLOW;
    int fd;
    do {
        fd = ::open(name.constData(), flags);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        const int err = errno;
        failure =
            err == ELOOP && links == FollowLinks::No ? isLink(path) : systemFailure(path, err);
        return -1;
    }
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        failure = notRegular(path, st.st_mode);
        ::close(fd);
        return -1;
    }
    return fd;
}

} // namespace

SafeFile SafeFile::open(const QString& path, FollowLinks links) {
    struct stat st {};
    Failure failure;
    const int fd = openChecked(path, links, st, failure);
    if (fd < 0) failure.raise();
    return SafeFile(fd, path, st.st_mode & 07777);
}

std::optional<SafeFile> SafeFile::openIfRegular(const QString& path, FollowLinks links) {
    struct stat st {};
    Failure failure;
    const int fd = openChecked(path, links, st, failure);
    if (fd < 0) return std::nullopt;
    return SafeFile(fd, path, st.st_mode & 07777);
}

SafeFile::SafeFile(SafeFile&& other) noexcept
    : fd_(other.fd_)
    , path_(std::move(other.path_))
    , mode_(other.mode_) {
    other.fd_ = -1;
}

SafeFile& SafeFile::operator=(SafeFile&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.fd_;
        path_ = std::move(other.path_);
        mode_ = other.mode_;
        other.fd_ = -1;
    }
    return *this;
}

SafeFile::~SafeFile() {
    if (fd_ >= 0) ::close(fd_);
}

std::int64_t SafeFile::size() const {
    struct stat st {};
    return ::fstat(fd_, &st) == 0 ? static_cast<std::int64_t>(st.st_size) : -1;
}

std::int64_t SafeFile::readAt(std::int64_t offset, char* buffer, std::int64_t count) const {
    std::int64_t done = 0;
    while (done < count) {
        const ssize_t n =
            ::pread(fd_, buffer + done, static_cast<size_t>(count - done), offset + done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return done > 0 ? done : -1;
        }
        if (n == 0) break;
        done += n;
    }
    return done;
}

QByteArray SafeFile::readAt(std::int64_t offset, std::int64_t maxBytes) const {
    QByteArray bytes(static_cast<qsizetype>(std::max<std::int64_t>(0, maxBytes)),
                     Qt::Uninitialized);
    const std::int64_t n = readAt(offset, bytes.data(), bytes.size());
    if (n < 0) throw Error(QStringLiteral("Cannot read %1: %2.").arg(path_, systemError(errno)));
    bytes.truncate(static_cast<qsizetype>(n));
    return bytes;
}

QByteArray SafeFile::readAll(std::int64_t limit) const {
    QByteArray bytes;
    const std::int64_t hint = size();
    bytes.reserve(static_cast<qsizetype>(std::clamp<std::int64_t>(hint, 0, limit) + 1));
    // One byte past the limit tells a file at the limit from one over it.
    constexpr std::int64_t kChunk = 1 << 16;
    for (std::int64_t offset = 0; offset <= limit;) {
        const std::int64_t want = std::min(kChunk, limit + 1 - offset);
        const qsizetype before = bytes.size();
        bytes.resize(before + static_cast<qsizetype>(want));
        const std::int64_t n = readAt(offset, bytes.data() + before, want);
        if (n < 0)
            throw Error(QStringLiteral("Cannot read %1: %2.").arg(path_, systemError(errno)));
        bytes.truncate(before + static_cast<qsizetype>(n));
        if (n < want) return bytes;
        offset += n;
    }
    throw FileRefusedError(
        FileRefusedError::Reason::TooLarge,
        QStringLiteral("%1 holds more than %2, the most Labbench reads from such a "
                       "file; check that it is the file you meant (these are "
                       "usually a few KB) and make it smaller.")
            .arg(path_, formatBytes(limit)));
}

QByteArray readFileWithLimit(const QString& path, std::int64_t limit, FollowLinks links) {
    return SafeFile::open(path, links).readAll(limit);
}

int openForAppend(const QString& path) {
    int fd;
    do {
        fd = ::open(nativePath(path).constData(),
                    O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY,
                    0644);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) return -1;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return -1;
    }
    return fd;
}

QString formatBytes(std::int64_t bytes) {
    struct Unit {
        std::int64_t size;
        const char* name;
    };
    for (const Unit u :
         {Unit{std::int64_t{1} << 30, "GiB"}, Unit{1 << 20, "MiB"}, Unit{1 << 10, "KiB"}}) {
        if (bytes >= u.size) {
            const double value = double(bytes) / double(u.size);
            return QStringLiteral("%1 %2").arg(value == std::floor(value)
                                                   ? QString::number(qint64(value))
                                                   : QString::number(value, 'f', 1),
                                               QLatin1String(u.name));
        }
    }
    return QStringLiteral("%1 bytes").arg(bytes);
}

} // namespace lb
