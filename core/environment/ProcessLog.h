#pragma once
// Runs a program (argv words, never a shell) and streams its merged stdout and stderr, line by
// line, to a log callback while it runs: pip's and conda's own output lands in the run's log.

#include <QString>
#include <QStringList>
#include <functional>

namespace lb {

// Receives one line of output (without its newline).
using LogSink = std::function<void(const QString& line)>;

struct ProcessLogResult {
    bool started = false;
    bool timedOut = false;
    int exitCode = -1;     // -1 when it did not start or was killed by a signal
    QStringList lastLines; // the last lines it printed (at most 40), for error messages
};

// Runs `program` with `arguments`; `environment` (KEY=VALUE words) replaces this process's when
// not empty. Kills the program after `timeoutMs` (-1: no limit).
ProcessLogResult runLogged(const QString& program, const QStringList& arguments, const LogSink& log,
                           const QStringList& environment = {}, int timeoutMs = -1,
                           const QString& workingDirectory = {});

} // namespace lb
