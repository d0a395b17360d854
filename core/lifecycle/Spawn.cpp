#include "core/lifecycle/Spawn.h"

#include "core/util/ByteStrings.h"
#include "core/util/Error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace lb {

namespace {

// Owns the byte strings an argv/envp array points into: each word encoded back to the bytes it
// was decoded from (ByteStrings.h), so an argument that is not UTF-8 arrives unchanged.
struct CStrings {
    std::vector<QByteArray> storage;
    std::vector<char*> pointers;
    explicit CStrings(const QStringList& list) {
        storage.reserve(static_cast<size_t>(list.size()));
        for (const QString& s : list)
            storage.push_back(encodeBytes(s));
        for (QByteArray& b : storage)
            pointers.push_back(b.data());
        pointers.push_back(nullptr);
    }
    char** data() { return pointers.data(); }
};

} // namespace

pid_t spawnProcess(const SpawnSpec& spec) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);

    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (spec.stdoutFd >= 0)
        posix_spawn_file_actions_adddup2(&actions, spec.stdoutFd, 1);
    else
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    if (spec.stderrFd >= 0)
        posix_spawn_file_actions_adddup2(&actions, spec.stderrFd, 2);
    else
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    int firstUnnamed = 3;
    for (const auto& [from, to] : spec.inheritFds) {
        posix_spawn_file_actions_adddup2(&actions, from, to);
        firstUnnamed = std::max(firstUnnamed, to + 1);
    }
    if (spec.closeOtherFds)
        posix_spawn_file_actions_addclosefrom_np(&actions, firstUnnamed);
    QByteArray cwd = encodeBytes(spec.workingDirectory);
    if (!spec.workingDirectory.isEmpty())
        posix_spawn_file_actions_addchdir_np(&actions, cwd.constData());

    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (spec.newSession)
        flags |= POSIX_SPAWN_SETSID;
    else if (spec.newProcessGroup)
        flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setflags(&attr, flags);
    posix_spawnattr_setpgroup(&attr, 0);
    sigset_t empty, defaults;
    sigemptyset(&empty);
    posix_spawnattr_setsigmask(&attr, &empty);
    // Signals this process ignores or handles start at their defaults in the child.
    sigemptyset(&defaults);
    for (int s : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT, SIGUSR1, SIGUSR2})
        sigaddset(&defaults, s);
    posix_spawnattr_setsigdefault(&attr, &defaults);

    QStringList argvList = spec.arguments;
    argvList.prepend(spec.program);
    CStrings argv(argvList);
    CStrings envp(spec.environment);
    const QByteArray program = encodeBytes(spec.program);
    pid_t pid = -1;
    const int rc = spec.program.contains(QLatin1Char('/'))
                       ? posix_spawn(&pid, program.constData(), &actions, &attr, argv.data(), envp.data())
                       : posix_spawnp(&pid, program.constData(), &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0)
        throw Error(QStringLiteral("Cannot start %1: %2. Check that the program exists and is "
                                   "executable (or set the interpreter with --python).")
                        .arg(displayText(spec.program), QString::fromLocal8Bit(std::strerror(rc))));
    return pid;
}

QStringList currentEnvironment() {
    QStringList env;
    for (char** e = environ; e && *e; ++e)
        env.append(decodeBytes(*e)); // values are bytes too: passed on unchanged
    return env;
}

void setEnvironmentVariable(QStringList& env, const QString& key, const QString& value) {
    const QString prefix = key + QLatin1Char('=');
    env.removeIf([&](const QString& e) { return e.startsWith(prefix); });
    env.append(prefix + value);
}

QString environmentValue(const QStringList& env, const QString& key) {
    const QString prefix = key + QLatin1Char('=');
    for (const QString& e : env)
        if (e.startsWith(prefix))
            return e.mid(prefix.size());
    return {};
}

std::uint64_t processStartTicks(pid_t pid) {
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = stat.readAll();
    // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return 0;
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    // fields[0] is field 3 (state); the start time is field 22.
    return fields.size() > 19 ? fields[19].toULongLong() : 0;
}

QString executableDir() {
    return QFileInfo(QFile::symLinkTarget(QStringLiteral("/proc/self/exe"))).absolutePath();
}

QString findLabbenchProgram(const QString& name) {
    const QString dir = executableDir();
    for (const QString& candidate : {dir + QLatin1Char('/') + name, dir + QStringLiteral("/../bin/") + name}) {
        if (QFileInfo(candidate).isExecutable())
            return QDir::cleanPath(candidate);
    }
    const QString onPath = QStandardPaths::findExecutable(name);
    return onPath.isEmpty() ? name : onPath;
}

void spawnRunHelper(const QString& program, QStringList arguments, int lockFd, const QString& logPath,
                    bool logStdout) {
    int extra = -1;
    if (lockFd == 3) { // dup2(3, 3) would keep close-on-exec set
        extra = ::fcntl(lockFd, F_DUPFD_CLOEXEC, 10);
        lockFd = extra;
    }
    const int logFd = ::open(QFile::encodeName(logPath).constData(),
                             O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    SpawnSpec spec;
    spec.program = findLabbenchProgram(program);
    spec.arguments = arguments << QStringLiteral("--lock-fd") << QStringLiteral("3");
    spec.environment = currentEnvironment();
    if (logStdout)
        spec.stdoutFd = logFd;
    spec.stderrFd = logFd;
    spec.inheritFds = {{lockFd, 3}};
    spec.newSession = true;
    const auto closeOurs = [&] {
        if (logFd >= 0)
            ::close(logFd);
        if (extra >= 0)
            ::close(extra);
    };
    pid_t pid = -1;
    try {
        pid = spawnProcess(spec);
    } catch (...) {
        closeOurs();
        throw;
    }
    closeOurs();
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
}

} // namespace lb
