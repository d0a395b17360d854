#include "core/environment/FileLock.h"

#include "core/util/Error.h"

#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace lb {

FileLock::FileLock(const QString& path)
    : path_(path) {
    fd_ = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
        throw Error(
            QStringLiteral("Cannot open the lock file %1 (%2); check the folder's permissions.")
                .arg(path, QString::fromLocal8Bit(std::strerror(errno))));
}

FileLock::~FileLock() {
    unlock();
    ::close(fd_);
}

bool FileLock::tryLock() {
    if (held_) return true;
    int r;
    do
        r = ::flock(fd_, LOCK_EX | LOCK_NB);
    while (r < 0 && errno == EINTR);
    held_ = r == 0;
    return held_;
}

void FileLock::lock() {
    if (held_) return;
    int r;
    do
        r = ::flock(fd_, LOCK_EX);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        throw Error(QStringLiteral("Cannot lock %1 (%2).")
                        .arg(path_, QString::fromLocal8Bit(std::strerror(errno))));
    held_ = true;
}

void FileLock::unlock() {
    if (held_) ::flock(fd_, LOCK_UN);
    held_ = false;
}

} // namespace lb
