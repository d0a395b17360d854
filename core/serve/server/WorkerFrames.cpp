#include "core/serve/server/WorkerFrames.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <poll.h>
#include <unistd.h>

namespace lb::serve {

namespace {

bool writeAll(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= std::size_t(n);
    }
    return true;
}

FrameResult readExact(int fd, char* data, std::size_t size,
                      std::chrono::steady_clock::time_point deadline) {
    while (size > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return FrameResult::TimedOut;
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, int(std::min<long long>(left.count(), 1000)));
        if (ready < 0 && errno != EINTR) return FrameResult::Closed;
        if (ready <= 0) continue;
        const ssize_t n = ::read(fd, data, size);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) return FrameResult::Closed;
        data += n;
        size -= std::size_t(n);
    }
    return FrameResult::Ok;
}

} // namespace

bool writeFrame(int fd, const std::string& payload) {
    const auto n = static_cast<std::uint32_t>(payload.size());
    const char head[4] = {char(n >> 24), char(n >> 16), char(n >> 8), char(n)};
    return writeAll(fd, head, 4) && writeAll(fd, payload.data(), payload.size());
}

FrameResult readFrame(int fd, std::string& payload, std::chrono::steady_clock::time_point deadline,
                      std::size_t maxBytes) {
    unsigned char head[4];
    FrameResult r = readExact(fd, reinterpret_cast<char*>(head), 4, deadline);
    if (r != FrameResult::Ok) return r;
    const std::size_t n = std::size_t(head[0]) << 24 | std::size_t(head[1]) << 16 |
                          std::size_t(head[2]) << 8 | head[3];
    if (n > maxBytes) return FrameResult::Closed;
    payload.assign(n, '\0');
    return n == 0 ? FrameResult::Ok : readExact(fd, payload.data(), n, deadline);
}

} // namespace lb::serve
