#include "core/lifecycle/RunLock.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace lb {

std::optional<RunLock> RunLock::tryAcquire(const QString& path) {
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return std::nullopt;
    int rc;
    do {
        rc = ::flock(fd, LOCK_EX | LOCK_NB);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        ::close(fd);
        return std::nullopt;
    }
    return RunLock(fd);
}

RunLock RunLock::adopt(int fd) {
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    return RunLock(fd);
}

RunLock::RunLock(RunLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

RunLock& RunLock::operator=(RunLock&& other) noexcept {
    if (this != &other) {
        release();
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

RunLock::~RunLock() { release(); }

void RunLock::release() {
    if (fd_ >= 0)
        ::close(fd_); // closing the last descriptor of the open file drops the flock
    fd_ = -1;
}

bool RunLock::isHeld(const QString& path) {
    if (!QFile::exists(path))
        return false;
    return !tryAcquire(path).has_value();
}

std::optional<RunLock> RunLock::adoptOrAcquire(int handedFd, const QString& path) {
    if (handedFd >= 0)
        return adopt(handedFd);
    return tryAcquire(path);
}

} // namespace lb
