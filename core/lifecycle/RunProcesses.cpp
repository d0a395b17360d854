#include "core/lifecycle/RunProcesses.h"

#include "core/util/Error.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace lb {

namespace {

void sleepMillis(int ms) {
    timespec ts{ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, nullptr);
}

bool cgroupsWanted() {
    const QString setting = qEnvironmentVariable("LABBENCH_RUN_CGROUP").trimmed().toLower();
    return setting != QLatin1String("0") && setting != QLatin1String("off") &&
           setting != QLatin1String("no");
}

// One process as /proc/PID/stat tells it.
struct ProcessEntry {
    pid_t pid = 0, parent = 0, session = 0;
    char state = '?';
    QString name;
};

std::optional<ProcessEntry> readStat(pid_t pid) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", int(pid));
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    char buffer[1024];
    const ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
    ::close(fd);
    if (n <= 0) return std::nullopt;
    const QByteArray text(buffer, n);
    // "PID (COMM) S PPID PGRP SESSION ...": the name may hold spaces and ')', so split after the
    // last ')'.
    const qsizetype open = text.indexOf('('), close = text.lastIndexOf(')');
    if (open < 0 || close < open) return std::nullopt;
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    if (fields.size() < 4 || fields[0].isEmpty()) return std::nullopt;
    return ProcessEntry{pid, pid_t(fields[1].toInt()), pid_t(fields[3].toInt()), fields[0][0],
                        QString::fromUtf8(text.mid(open + 1, close - open - 1))};
}

QList<ProcessEntry> allProcesses() {
    QList<ProcessEntry> result;
    DIR* dir = ::opendir("/proc");
    if (!dir) return result;
    while (const dirent* d = ::readdir(dir)) {
        char* end = nullptr;
        const long pid = std::strtol(d->d_name, &end, 10);
        if (pid > 0 && end && *end == '\0')
            if (auto entry = readStat(pid_t(pid))) result.append(*entry);
    }
    ::closedir(dir);
    return result;
}

} // namespace

QString RunProcesses::cgroupName(const QString& runId, pid_t supervisor) {
    QString safe;
    for (const QChar c : runId)
        safe.append(c.isLetterOrNumber() && c.unicode() < 128 ? c : QLatin1Char('_'));
    return QStringLiteral("labbench-%1-%2").arg(safe).arg(supervisor);
}

bool RunProcesses::isCgroupOf(const QString& path, const QString& runId) {
    // Only a folder named for this run: process.json lies in the run's folder, which its script
    // can write, so a path naming any other cgroup (a whole session) must not be obeyed.
    const QString name = path.section(QLatin1Char('/'), -1);
    const QString prefix = cgroupName(runId, 0).chopped(1);
    static const QRegularExpression digits(QStringLiteral("^[0-9]+$"));
    return !path.contains(QLatin1String("/../")) && name.startsWith(prefix) &&
           digits.match(name.mid(prefix.size())).hasMatch();
}

RunProcesses::RunProcesses(const QString& runId) {
    // Orphans of the run come to this process instead of init: the fallback can find them, and
    // they are reaped here rather than left as zombies.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    if (!cgroupsWanted()) {
        whyNot_ = QStringLiteral("LABBENCH_RUN_CGROUP is off");
        return;
    }
    home_ = Cgroup::ownPath();
    cgroup_ = Cgroup::createBelowOwn(cgroupName(runId, ::getpid()), &whyNot_);
}

RunProcesses::~RunProcesses() {
    if (cgroup_) cgroup_->remove();
}

QString RunProcesses::describe() const {
    if (cgroup_)
        return QStringLiteral("the run's processes are kept in the cgroup %1").arg(cgroup_->path());
    return QStringLiteral("no cgroup for the run (%1); its processes are found as this process's "
                          "descendants and session")
        .arg(whyNot_);
}

pid_t RunProcesses::spawn(const SpawnSpec& spec) {
    // The child is made in this process's cgroup: step into the run's for the spawn and back
    // out, so that the script is inside from its first instruction.
    if (cgroup_ && !Cgroup::moveInto(cgroup_->path(), 0)) {
        whyNot_ = QStringLiteral("cannot move into %1").arg(cgroup_->path());
        cgroup_->remove();
        cgroup_.reset();
    }
    if (!cgroup_) return spawnProcess(spec);
    pid_t pid = -1;
    try {
        pid = spawnProcess(spec);
    } catch (...) {
        Cgroup::moveInto(home_, 0);
        throw;
    }
    if (!Cgroup::moveInto(home_, 0)) {
        // Stuck inside: killing the cgroup would kill this supervisor too, so it is not used.
        whyNot_ = QStringLiteral("cannot move back to %1").arg(home_);
        cgroup_.reset();
    }
    return pid;
}

bool RunProcesses::reap(pid_t script, int* status) {
    for (;;) {
        int st = 0;
        const pid_t r = ::waitpid(-1, &st, WNOHANG);
        if (r == 0) return false;
        if (r < 0) {
            if (errno == EINTR) continue;
            return errno == ECHILD; // no child at all: the script is gone
        }
        if (r == script) {
            *status = st;
            return true;
        }
    }
}

void RunProcesses::reapAll() {
    int st = 0;
    while (::waitpid(-1, &st, WNOHANG) > 0) {
    }
}

QList<RunProcesses::Leftover> RunProcesses::leftovers() const {
    const pid_t self = ::getpid();
    // The session is the run's only when this process leads it (a detached supervisor); in
    // --foreground it is the caller's terminal session, which is not ours to stop.
    const pid_t session = ::getsid(0) == self ? self : -1;
    const QList<ProcessEntry> all = allProcesses();
    QHash<pid_t, QList<const ProcessEntry*>> children;
    for (const ProcessEntry& e : all)
        children[e.parent].append(&e);
    QSet<pid_t> wanted;
    if (cgroup_)
        for (const pid_t pid : cgroup_->processes())
            wanted.insert(pid);
    QList<pid_t> queue{self};
    while (!queue.isEmpty())
        for (const ProcessEntry* child : children.value(queue.takeFirst())) {
            wanted.insert(child->pid);
            queue.append(child->pid);
        }
    QList<Leftover> result;
    for (const ProcessEntry& e : all)
        if (e.pid != self && e.state != 'Z' && (wanted.contains(e.pid) || e.session == session))
            result.append({e.pid, e.name});
    return result;
}

QList<RunProcesses::Leftover> RunProcesses::stopLeftovers(int graceMs) {
    reapAll();
    const QList<Leftover> found = leftovers();
    if (!found.isEmpty()) {
        for (const Leftover& p : found)
            ::kill(p.pid, SIGTERM);
        if (cgroup_) cgroup_->signalAll(SIGTERM);
        // Up to the grace period to go, then SIGKILL until nothing is left (a fork may race
        // the kill; bounded so the run always ends).
        const auto rest = [&] {
            reapAll();
            return leftovers();
        };
        QList<Leftover> left = rest();
        for (int waited = 0; !left.isEmpty() && waited < graceMs; waited += 20) {
            sleepMillis(20);
            left = rest();
        }
        for (int round = 0; !left.isEmpty() && round < 250; ++round) {
            for (const Leftover& p : left)
                ::kill(p.pid, SIGKILL);
            if (cgroup_) cgroup_->killAll();
            sleepMillis(20);
            left = rest();
        }
    }
    if (cgroup_) {
        for (int i = 0; i < 250 && cgroup_->populated(); ++i)
            sleepMillis(20);
        cgroup_->remove();
    }
    return found;
}

int stopRunCgroup(const QString& path, const QString& runId) {
    if (path.isEmpty() || !RunProcesses::isCgroupOf(path, runId)) return 0;
    const std::optional<Cgroup> cgroup = Cgroup::at(path);
    if (!cgroup) return 0;
    const int count = int(cgroup->processes().size());
    cgroup->killAll();
    for (int i = 0; i < 250 && cgroup->populated(); ++i)
        sleepMillis(20);
    cgroup->remove();
    return count;
}

} // namespace lb
