#pragma once
// A background thread that calls one function now and then every `interval`, until stopped.
// Views never poll the disk or the store on the UI thread: their producers run here.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace lb {

class PollThread {
public:
    PollThread() = default;
    ~PollThread() { stop(); }
    PollThread(const PollThread&) = delete;
    PollThread& operator=(const PollThread&) = delete;

    // Starts calling `tick` (first call at once). `tick` runs on the background thread only.
    void start(std::function<void()> tick, std::chrono::milliseconds interval);
    // Wakes the thread for an early tick (e.g. the user pressed Refresh).
    void wake();
    // Stops and joins; safe to call twice.
    void stop();
    bool running() const { return thread_.joinable(); }

private:
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stop_ = false;
    bool woken_ = false;
};

} // namespace lb
