#pragma once
// The supervisor lock: runs/<id>/supervisor.lock, held with flock() by the live supervisor. The
// kernel drops it when the holder dies, however it dies, so "lock free" means "supervisor gone"
// without trusting pids (which get reused).

#include <QString>

#include <optional>

namespace lb {

class RunLock {
public:
    // Takes the lock without waiting; nullopt when another process holds it. The descriptor is
    // close-on-exec, so a script never inherits it.
    static std::optional<RunLock> tryAcquire(const QString& path);
    // Adopts a descriptor that already holds the lock (the supervisor's inherited one).
    static RunLock adopt(int fd);
    // What a run helper (supervisor, sweep driver, follower) does at start: adopt the handed-over
    // descriptor when `handedFd` >= 0, else try to take the lock at `path` itself; nullopt when
    // another process holds it.
    static std::optional<RunLock> adoptOrAcquire(int handedFd, const QString& path);

    RunLock(RunLock&& other) noexcept;
    RunLock& operator=(RunLock&& other) noexcept;
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;
    ~RunLock();

    int fd() const { return fd_; }
    void release();

    // True when some process holds the lock at `path` now.
    static bool isHeld(const QString& path);

private:
    explicit RunLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

} // namespace lb
