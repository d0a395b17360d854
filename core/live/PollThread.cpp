#include "core/live/PollThread.h"

namespace lb {

void PollThread::start(std::function<void()> tick, std::chrono::milliseconds interval) {
    stop();
    stop_ = false;
    woken_ = false;
    thread_ = std::thread([this, tick = std::move(tick), interval] {
        for (;;) {
            tick();
            std::unique_lock lock(mutex_);
            cv_.wait_for(lock, interval, [this] { return stop_ || woken_; });
            if (stop_)
                return;
            woken_ = false;
        }
    });
}

void PollThread::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    cv_.notify_all();
}

void PollThread::stop() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable())
        thread_.join();
}

} // namespace lb
