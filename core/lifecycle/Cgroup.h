#pragma once
// A cgroup v2 folder for one run's processes (#25). The kernel keeps every descendant of a
// process in its cgroup however it detaches (setsid, a double fork, a new process group), so a
// run in a cgroup of its own can be stopped as a whole. Made below this process's own cgroup,
// which works as root and in a systemd-delegated subtree (a user session's own cgroups);
// elsewhere nothing is made and the caller falls back (RunProcesses.h).

#include <QList>
#include <QString>
#include <optional>
#include <sys/types.h>

namespace lb {

class Cgroup {
public:
    // A new cgroup named `name` below this process's own; nothing (with the reason in `why`)
    // where cgroup v2 is not mounted or the folder cannot be made.
    static std::optional<Cgroup> createBelowOwn(const QString& name, QString* why = nullptr);
    // The cgroup folder at `path` when it exists and lies in the cgroup v2 tree.
    static std::optional<Cgroup> at(const QString& path);
    // The cgroup v2 folder this process is in; empty when there is none.
    static QString ownPath();

    const QString& path() const { return path_; }

    // Moves process `pid` (0: this process) into the cgroup at `path`; false when refused.
    static bool moveInto(const QString& path, pid_t pid);
    // The processes in it now.
    QList<pid_t> processes() const;
    // True while any process is in it or below it.
    bool populated() const;
    // Sends `signal` to every process in it.
    void signalAll(int signal) const;
    // SIGKILL to every process in it, at once where the kernel has cgroup.kill (5.14), else one
    // by one until none is left.
    void killAll() const;
    // Removes the (empty) folder; false while processes remain.
    bool remove() const;

private:
    explicit Cgroup(QString path)
        : path_(std::move(path)) {}
    QString path_;
};

} // namespace lb
