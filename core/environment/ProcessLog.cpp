#include "core/environment/ProcessLog.h"

#include "core/environment/EnvironmentSpec.h"

#include <QElapsedTimer>
#include <QFile>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace lb {

namespace {

void emitLines(QByteArray& pending, bool flushAll, const LogSink& log, QStringList& last) {
    for (;;) {
        qsizetype nl = pending.indexOf('\n');
        if (nl < 0) {
            if (!flushAll || pending.isEmpty()) return;
            nl = pending.size();
        }
        QString line = QString::fromUtf8(pending.constData(), nl);
        if (line.endsWith(QLatin1Char('\r'))) line.chop(1);
        pending.remove(0, std::min(nl + 1, pending.size()));
        last.append(line);
        if (last.size() > 40) last.removeFirst();
        if (log) log(line);
    }
}

// NUL-terminated copies of argv/envp words, alive as long as the object.
struct CStrings {
    std::vector<QByteArray> storage;
    std::vector<char*> pointers;
    explicit CStrings(const QStringList& words) {
        storage.reserve(static_cast<size_t>(words.size()));
        for (const QString& w : words)
            storage.push_back(w.toLocal8Bit());
        for (auto& s : storage)
            pointers.push_back(s.data());
        pointers.push_back(nullptr);
    }
};

} // namespace

// posix_spawn rather than QProcess: this runs in the supervisor too, which has no event loop,
// and the child gets its own process group so a timeout kills pip's children as well.
ProcessLogResult runLogged(const QString& program, const QStringList& arguments, const LogSink& log,
                           const QStringList& environment, int timeoutMs,
                           const QString& workingDirectory) {
    ProcessLogResult result;
    const QString path = findProgram(program);
    if (path.isEmpty()) return result;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return result;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    const QByteArray cwd = QFile::encodeName(workingDirectory);
    if (!workingDirectory.isEmpty())
        posix_spawn_file_actions_addchdir_np(&actions, cwd.constData());
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attr, 0);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);

    CStrings argv(QStringList{path} + arguments);
    CStrings envp(environment);
    pid_t pid = -1;
    const QByteArray exe = QFile::encodeName(path);
    const int rc = ::posix_spawn(&pid, exe.constData(), &actions, &attr, argv.pointers.data(),
                                 environment.isEmpty() ? environ : envp.pointers.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(fds[1]);
    if (rc != 0) {
        ::close(fds[0]);
        return result;
    }
    result.started = true;

    QByteArray pending;
    QElapsedTimer clock;
    clock.start();
    char buffer[16384];
    int status = 0;
    bool reaped = false;
    for (;;) {
        int wait = 500;
        if (timeoutMs >= 0) {
            const qint64 left = timeoutMs - clock.elapsed();
            if (left <= 0) {
                result.timedOut = true;
                ::kill(-pid, SIGKILL);
                break;
            }
            wait = static_cast<int>(std::min<qint64>(left, 500));
        }
        pollfd pfd{fds[0], POLLIN, 0};
        const int n = ::poll(&pfd, 1, wait);
        if (n < 0 && errno != EINTR) break;
        if (n == 0) {
            // Quiet: if the program is gone but something it started still holds the pipe,
            // stop reading rather than wait for that straggler.
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                reaped = true;
                break;
            }
            continue;
        }
        if (n < 0) continue;
        const ssize_t got = ::read(fds[0], buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break; // every writer closed: the program (and whatever it started) is done
        pending.append(buffer, got);
        emitLines(pending, false, log, result.lastLines);
    }
    ::close(fds[0]);
    emitLines(pending, true, log, result.lastLines);
    while (!reaped && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!result.timedOut && WIFEXITED(status)) result.exitCode = WEXITSTATUS(status);
    return result;
}

} // namespace lb
