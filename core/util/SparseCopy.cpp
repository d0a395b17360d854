#include "core/util/SparseCopy.h"

#include "core/util/BytePaths.h"
#include "core/util/Error.h"
#include "core/util/SafeFile.h"

#include <QByteArray>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lb {

namespace {

constexpr std::int64_t kPiece = 8 << 20; // progress is told at least this often

QString systemError(int err) {
    return QString::fromLocal8Bit(std::strerror(err));
}

// Copies [offset, offset + length) to the same offset of `toFd`; false when `progress` stopped it.
class RangeCopier {
public:
    RangeCopier(const SafeFile& from, int toFd, const QString& toPath, const CopyProgress& progress)
        : from_(from)
        , to_(toFd)
        , toPath_(toPath)
        , progress_(progress) {}

    bool copy(std::int64_t offset, std::int64_t length) {
        const std::int64_t end = offset + length;
        while (offset < end) {
            const std::int64_t want = std::min(kPiece, end - offset);
            const std::int64_t n =
                inKernel_ ? copyInKernel(offset, want) : copyThroughBuffer(offset, want);
            if (n < 0) continue; // the kernel declined: the same piece again, through the buffer
            if (n == 0) return true; // the file shrank while it was copied: what is there is copied
            offset += n;
            if (progress_ && !progress_(offset)) return false;
        }
        return true;
    }

private:
    // -1 when copy_file_range cannot serve these files (then never tried again).
    std::int64_t copyInKernel(std::int64_t offset, std::int64_t want) {
        loff_t in = offset, out = offset;
        const ssize_t n =
            ::copy_file_range(from_.fd(), &in, to_, &out, static_cast<size_t>(want), 0);
        if (n >= 0) return n;
        const int err = errno;
        if (err == EINTR) return copyInKernel(offset, want);
        if (err == EXDEV || err == ENOSYS || err == EINVAL || err == EOPNOTSUPP || err == EBADF) {
            inKernel_ = false; // an older kernel or a file system that cannot: a plain copy
            return -1;
        }
        throw Error(
            QStringLiteral("Copying %1 to %2 failed: %3; check the free space and try again.")
                .arg(from_.path(), toPath_, systemError(err)));
    }

    std::int64_t copyThroughBuffer(std::int64_t offset, std::int64_t want) {
        if (buffer_.isEmpty()) buffer_.resize(1 << 20);
        want = std::min<std::int64_t>(want, buffer_.size());
        const std::int64_t n = from_.readAt(offset, buffer_.data(), want);
        if (n < 0)
            throw Error(
                QStringLiteral("Cannot read %1: %2.").arg(from_.path(), systemError(errno)));
        for (std::int64_t done = 0; done < n;) {
            const ssize_t w = ::pwrite(to_, buffer_.constData() + done,
                                       static_cast<size_t>(n - done), offset + done);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0)
                throw Error(
                    QStringLiteral("Cannot write %1: %2; check the free space and try again.")
                        .arg(toPath_, systemError(errno)));
            done += w;
        }
        return n;
    }

    const SafeFile& from_;
    int to_;
    const QString& toPath_;
    const CopyProgress& progress_;
    bool inKernel_ = true;
    QByteArray buffer_;
};

} // namespace

bool copyKeepingHoles(const SafeFile& from, int toFd, const QString& toPath,
                      const CopyProgress& progress) {
    const std::int64_t size = from.size();
    RangeCopier copier(from, toFd, toPath, progress);
    std::int64_t pos = 0;
    while (pos < size) {
        // The next data range; a file system without SEEK_DATA is all data.
        off_t data = ::lseek(from.fd(), pos, SEEK_DATA);
        if (data < 0 && errno == ENXIO) break; // only a hole is left
        off_t hole = data < 0 ? size : ::lseek(from.fd(), data, SEEK_HOLE);
        if (data < 0) data = pos;
        if (hole < 0 || hole > size) hole = size;
        if (!copier.copy(data, hole - data)) return false;
        pos = hole;
    }
    // The size, with any hole at the end, comes from ftruncate: nothing is written there.
    if (::ftruncate(toFd, size) != 0)
        throw Error(QStringLiteral("Cannot write %1: %2; check the free space and try again.")
                        .arg(toPath, systemError(errno)));
    if (progress && !progress(size)) return false;
    return true;
}

void copyFileKeepingHoles(const QString& from, const QString& to) {
    const SafeFile in = SafeFile::open(from, FollowLinks::No);
    const QByteArray name = nativePath(to);
    const int out =
        ::open(name.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (out < 0)
        throw Error(QStringLiteral("Cannot write %1: %2; check the permissions of its folder.")
                        .arg(to, systemError(errno)));
    try {
        copyKeepingHoles(in, out, to);
        if (::fchmod(out, in.mode() & 0777) != 0)
            throw Error(QStringLiteral("Cannot set the permissions of %1: %2.")
                            .arg(to, systemError(errno)));
    } catch (...) {
        ::close(out);
        ::unlink(name.constData());
        throw;
    }
    if (::close(out) != 0)
        throw Error(QStringLiteral("Cannot write %1: %2; check the free space and try again.")
                        .arg(to, systemError(errno)));
}

} // namespace lb
