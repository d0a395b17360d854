#pragma once
// exit.json: how a run's process ended, written atomically by the supervisor so that any process
// that finds the supervisor gone can still finish the run correctly.

#include <QDateTime>
#include <QString>

#include <optional>

namespace lb {

struct ExitRecord {
    std::optional<int> exitCode; // the process's exit status, or 128 + signal
    std::optional<int> signal;   // the signal that ended it, if one did
    QDateTime endTime;
    bool canceled = false;
    bool timedOut = false;
    QString reason; // set when the process never ran (e.g. the interpreter was not found)

    void write(const QString& path) const;
    // nullopt when the file does not exist or is unreadable (a half-written file cannot exist).
    static std::optional<ExitRecord> read(const QString& path);
};

} // namespace lb
