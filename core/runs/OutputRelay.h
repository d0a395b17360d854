#pragma once
// The script's stdout and stderr reach driver.log through a pipe the supervisor drains, so a full
// disk never costs a run its output (#20 item 4): bytes the file cannot take yet are held in
// memory (up to a bound; past it the script simply waits on its next write, as on a slow
// terminal) and written, in order, once space is freed.

#include <QByteArray>
#include <QString>

#include <cstdint>

namespace lb {

class OutputRelay {
public:
    // Appends to `logPath` (created if missing); throws lb::Error when it cannot be opened.
    explicit OutputRelay(const QString& logPath, std::int64_t maxHeldBytes = 64 << 20);
    ~OutputRelay();
    OutputRelay(const OutputRelay&) = delete;
    OutputRelay& operator=(const OutputRelay&) = delete;

    // The descriptor the script gets as stdout and stderr; close it here once it is spawned.
    int scriptEnd() const { return writeFd_; }
    void closeScriptEnd();

    // Moves output to the log for `timeoutMs` (returning when the time is up); never throws.
    void pump(int timeoutMs);
    // After the script ended: takes what is left in the pipe without waiting for a writer that
    // outlives it, then tries to write everything held. True when nothing is held any more.
    bool drain();
    // Tries to write what is held; true when nothing is held any more.
    bool flush();

    std::int64_t heldBytes() const { return held_.size(); }
    // The last write failed for lack of space (ENOSPC or EDQUOT).
    bool diskFull() const { return diskFull_; }

private:
    bool readAvailable(); // false at end of file
    QString logPath_;
    int readFd_ = -1, writeFd_ = -1, logFd_ = -1;
    std::int64_t maxHeld_;
    QByteArray held_;
    bool diskFull_ = false;
    bool endOfStream_ = false; // every writer closed the pipe
};

} // namespace lb
