#pragma once
// A fixed pool of worker threads for the CPU backend's loops. run(tasks, fn) calls fn(task) for
// task in [0, tasks) spread over the workers and the calling thread, and returns when all are
// done. Task t always runs the same slice of work, so results do not depend on timing.
// Workers spin briefly before sleeping: a training step dispatches tens of short jobs, and a
// futex wake per job would cost more than the job.

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace lb::train {

class ThreadPool {
public:
    explicit ThreadPool(int threads); // threads counts the caller; 1 = no workers
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int threads() const { return threads_; }
    // fn must not throw; tasks <= 65535. Not reentrant: call from one thread at a time.
    void run(int tasks, const std::function<void(int)>& fn);

private:
    void workerLoop(std::uint32_t seen);
    void runTasks(std::uint32_t generation);

    int threads_;
    std::vector<std::thread> workers_;
    std::atomic<const std::function<void(int)>*> job_{nullptr};
    // (generation << 32) | (task count << 16) | next task index. Claiming a task is a CAS on
    // this one word, so a worker that wakes late for an old job can never claim a task of the
    // next one, and it always sees the task count of the job it claims from.
    std::atomic<std::uint64_t> claim_{0};
    std::atomic<int> pending_{0};              // tasks of the current job not yet finished
    std::atomic<std::uint32_t> generation_{0}; // bumped per job; idle workers wait on it
    std::atomic<bool> stop_{false};
};

} // namespace lb::train
