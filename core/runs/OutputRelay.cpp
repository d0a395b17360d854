#include "core/runs/OutputRelay.h"

#include "core/util/Error.h"

#include <QElapsedTimer>
#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

namespace lb {

namespace {
constexpr std::int64_t kReadBytes = 1 << 20;
}

OutputRelay::OutputRelay(const QString& logPath, std::int64_t maxHeldBytes)
    : logPath_(logPath), maxHeld_(maxHeldBytes) {
    logFd_ = ::open(QFile::encodeName(logPath).constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    int fds[2];
    if (logFd_ < 0 || ::pipe2(fds, O_CLOEXEC) != 0) {
        if (logFd_ >= 0)
            ::close(logFd_);
        throw Error(QStringLiteral("Cannot create %1; check the permissions and free space of the run folder.")
                        .arg(logPath));
    }
    readFd_ = fds[0];
    writeFd_ = fds[1];
    ::fcntl(readFd_, F_SETFL, ::fcntl(readFd_, F_GETFL) | O_NONBLOCK);
}

OutputRelay::~OutputRelay() {
    closeScriptEnd();
    ::close(readFd_);
    ::close(logFd_);
}

void OutputRelay::closeScriptEnd() {
    if (writeFd_ >= 0)
        ::close(writeFd_);
    writeFd_ = -1;
}

bool OutputRelay::readAvailable() {
    while (held_.size() < maxHeld_) {
        const std::int64_t room = std::min(kReadBytes, maxHeld_ - std::int64_t(held_.size()));
        const qsizetype before = held_.size();
        held_.resize(before + room);
        const ssize_t n = ::read(readFd_, held_.data() + before, size_t(room));
        held_.resize(before + std::max<ssize_t>(n, 0));
        if (n == 0)
            return false;
        if (n < 0)
            return errno != EAGAIN && errno != EINTR ? false : true;
    }
    return true;
}

bool OutputRelay::flush() {
    qsizetype done = 0;
    while (done < held_.size()) {
        const ssize_t n = ::write(logFd_, held_.constData() + done, size_t(held_.size() - done));
        if (n > 0) {
            done += n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        diskFull_ = n < 0 && (errno == ENOSPC || errno == EDQUOT);
        break;
    }
    held_.remove(0, done);
    if (held_.isEmpty())
        diskFull_ = false;
    return held_.isEmpty();
}

void OutputRelay::pump(int timeoutMs) {
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        const qint64 left = timeoutMs - clock.elapsed();
        if (left <= 0)
            return;
        // With the bound reached (a full disk), the pipe is left alone: the script waits. After
        // the end of the stream (the script closed its output and may run on) there is nothing
        // to wait for but the time: poll() then just sleeps, never spins.
        const bool listen = held_.size() < maxHeld_ && !endOfStream_;
        pollfd p{readFd_, POLLIN, 0};
        const int waitMs = int(held_.isEmpty() || diskFull_ ? left : std::min<qint64>(left, 1000));
        if (::poll(listen ? &p : nullptr, listen ? 1 : 0, waitMs) > 0)
            endOfStream_ = !readAvailable();
        if (!held_.isEmpty())
            flush();
    }
}

bool OutputRelay::drain() {
    closeScriptEnd();
    if (!endOfStream_)
        endOfStream_ = !readAvailable();
    return flush();
}

} // namespace lb
