#pragma once
// Starting processes from an argv list with posix_spawn: no shell ever sees a user string.

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <sys/types.h>

namespace lb {

struct SpawnSpec {
    QString program;          // a path, or a bare name looked up on PATH
    QStringList arguments;    // argv[1..]
    QString workingDirectory; // empty: inherit
    QStringList environment;  // complete "K=V" list
    int stdoutFd = -1;        // -1: /dev/null
    int stderrFd = -1;        // -1: /dev/null
    QList<QPair<int, int>> inheritFds; // (fd here, fd in the child)
    bool newSession = false;      // setsid(): detached from our terminal and session
    bool newProcessGroup = false; // its own group, so the group can be signalled as a whole
    // Closes every descriptor above the ones named here (0-2 and inheritFds' targets), however
    // it was opened: a child of a threaded server (a score.py worker) must not keep its parent's
    // sockets, which are not close-on-exec, open after the parent closed them.
    bool closeOtherFds = false;
};

// Starts the process; throws lb::Error naming the program and the system's reason (e.g. "No such
// file or directory") when it cannot be started.
pid_t spawnProcess(const SpawnSpec& spec);

// This process's environment as "K=V" entries.
QStringList currentEnvironment();

// Sets K=V in an environment list (replacing an existing K).
void setEnvironmentVariable(QStringList& env, const QString& key, const QString& value);
QString environmentValue(const QStringList& env, const QString& key);

// The kernel's start time of `pid` (clock ticks since boot, /proc/PID/stat field 22), or 0 when
// there is no such process. With the pid it identifies a process even after pid reuse.
std::uint64_t processStartTicks(pid_t pid);

// The folder of the running executable (from /proc/self/exe).
QString executableDir();

// Starts a detached Labbench helper (supervisor, sweep driver, remote follower) for a run: in its
// own session, with `lockFd` (the descriptor holding the run's lock) handed over as its fd 3 and
// "--lock-fd 3" appended to `arguments`, stderr (and stdout when `logStdout`) appended to
// `logPath`. The helper forks once and its first process exits at once; that process is reaped
// here so no zombie is left in a long-lived caller (the GUI). Throws lb::Error when it cannot start.
void spawnRunHelper(const QString& program, QStringList arguments, int lockFd, const QString& logPath,
                    bool logStdout = false);

// A Labbench program: beside this executable, else in ../bin (tests run from build/tests),
// else on PATH.
QString findLabbenchProgram(const QString& name);

} // namespace lb
