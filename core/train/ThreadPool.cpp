#include "core/train/ThreadPool.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define LB_CPU_RELAX() _mm_pause()
#else
#define LB_CPU_RELAX() ((void)0)
#endif

namespace lb::train {

namespace {
// About 50-200 us of spinning: long enough to catch the next job of a training step, short
// enough not to steal a shared core for long when training pauses (evaluation, I/O).
constexpr int kSpinIterations = 4000;
} // namespace

ThreadPool::ThreadPool(int threads)
    : threads_(threads < 1 ? 1 : threads) {
    // Workers start from generation 0, not from whatever they read when they first run: a pool
    // destroyed before a worker got scheduled must still wake it.
    for (int i = 1; i < threads_; ++i)
        workers_.emplace_back([this] { workerLoop(0); });
}

ThreadPool::~ThreadPool() {
    stop_.store(true, std::memory_order_release);
    generation_.fetch_add(1, std::memory_order_acq_rel);
    generation_.notify_all();
    for (auto& t : workers_)
        t.join();
}

void ThreadPool::runTasks(std::uint32_t generation) {
    std::uint64_t word = claim_.load(std::memory_order_acquire);
    for (;;) {
        if (static_cast<std::uint32_t>(word >> 32) != generation) return;
        const int t = static_cast<int>(word & 0xffffu);
        const int tasks = static_cast<int>((word >> 16) & 0xffffu);
        if (t >= tasks) return;
        if (!claim_.compare_exchange_weak(word, word + 1, std::memory_order_acq_rel)) continue;
        // The claim succeeded for this generation, so the job is still running and job_ is its.
        (*job_.load(std::memory_order_acquire))(t);
        pending_.fetch_sub(1, std::memory_order_acq_rel);
        word = claim_.load(std::memory_order_acquire);
    }
}

void ThreadPool::run(int tasks, const std::function<void(int)>& fn) {
    if (tasks <= 0) return;
    if (workers_.empty() || tasks == 1 || tasks > 0xffff) {
        for (int t = 0; t < tasks; ++t)
            fn(t);
        return;
    }
    const std::uint32_t generation = generation_.load(std::memory_order_relaxed) + 1;
    job_.store(&fn, std::memory_order_release);
    pending_.store(tasks, std::memory_order_release);
    claim_.store((static_cast<std::uint64_t>(generation) << 32) |
                     (static_cast<std::uint64_t>(tasks) << 16),
                 std::memory_order_release);
    generation_.store(generation, std::memory_order_release);
    generation_.notify_all();
    runTasks(generation);
    for (int spin = 0; pending_.load(std::memory_order_acquire) != 0; ++spin) {
        if (spin < kSpinIterations)
            LB_CPU_RELAX();
        else
            std::this_thread::yield();
    }
}

void ThreadPool::workerLoop(std::uint32_t seen) {
    for (;;) {
        std::uint32_t now = generation_.load(std::memory_order_acquire);
        for (int spin = 0; now == seen && spin < kSpinIterations; ++spin) {
            LB_CPU_RELAX();
            now = generation_.load(std::memory_order_acquire);
        }
        if (now == seen) {
            generation_.wait(seen, std::memory_order_acquire);
            continue;
        }
        seen = now;
        if (stop_.load(std::memory_order_acquire)) return;
        runTasks(now);
    }
}

} // namespace lb::train
