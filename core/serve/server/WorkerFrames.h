#pragma once
// The frames labbench-serve and its score.py workers exchange over pipes
// (resources/python/labbench_serve_worker.py): 4 bytes of length, big endian, then the bytes.

#include <chrono>
#include <optional>
#include <string>

namespace lb::serve {

enum class FrameResult { Ok, Closed, TimedOut };

// Writes one frame; false when the worker is gone (EPIPE: SIGPIPE must be ignored).
bool writeFrame(int fd, const std::string& payload);

// Reads one frame, waiting until `deadline`. Frames over `maxBytes` count as Closed (a worker
// that sends one is broken).
FrameResult readFrame(int fd, std::string& payload, std::chrono::steady_clock::time_point deadline,
                      std::size_t maxBytes = std::size_t(256) << 20);

} // namespace lb::serve
