#pragma once
// An exclusive advisory lock on a file (flock), held for the object's lifetime. The kernel drops
// it when the process dies, so a crashed holder never leaves a stale lock behind.

#include <QString>

namespace lb {

class FileLock {
public:
    // Opens (creating) `path`. Throws lb::Error naming the file when it cannot be opened.
    explicit FileLock(const QString& path);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

    bool tryLock(); // without waiting; false when another process holds it
    void lock();    // waits for it
    void unlock();

private:
    QString path_;
    int fd_ = -1;
    bool held_ = false;
};

} // namespace lb
