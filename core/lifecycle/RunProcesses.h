#pragma once
// Every process a run starts, kept within reach so that none outlives the run (#25). A helper
// daemon that the script starts with setsid leaves the script's process group and session, so
// signalling the group misses it.
//
// - Where cgroup v2 lets the supervisor make a child of its own cgroup (root; a systemd user
//   session's delegated subtree), the script starts inside a cgroup of its own,
//   `labbench-<run id>-<supervisor pid>`, which no descendant can leave; at the end every
//   process in it is stopped and the folder removed. Its path goes into process.json, so a
//   later command that finds the supervisor gone stops what is left too.
// - Elsewhere (or with LABBENCH_RUN_CGROUP=0) the supervisor is a child subreaper
//   (PR_SET_CHILD_SUBREAPER): a daemon orphaned by setsid-and-fork is re-parented to it, not
//   to init. At the end it stops every descendant of its own, every process of its session and
//   of the script's process group. That misses only what leaves the tree altogether: a process
//   started through another service (systemd-run, at, ssh to this host, a container engine),
//   and whatever survives a supervisor that was itself killed (then only the script's group
//   is stopped, by the command that finishes the run).

#include "core/lifecycle/Cgroup.h"
#include "core/lifecycle/Spawn.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <sys/types.h>

namespace lb {

class RunProcesses {
public:
    // Prepares for run `runId`: a cgroup where one can be made, and the subreaper either way.
    explicit RunProcesses(const QString& runId);
    ~RunProcesses(); // removes the cgroup folder when it is empty
    RunProcesses(const RunProcesses&) = delete;
    RunProcesses& operator=(const RunProcesses&) = delete;

    // Starts the script (inside the cgroup when there is one). Throws as spawnProcess.
    pid_t spawn(const SpawnSpec& spec);

    // Reaps exited children without waiting; true (with its wait status) once `script` has
    // exited. Re-parented orphans are reaped too, so none stays a zombie.
    bool reap(pid_t script, int* status);

    // The cgroup folder the script runs in; empty with the fallback.
    QString cgroupPath() const { return cgroup_ ? cgroup_->path() : QString(); }
    // "cgroup" or "process tree", and why no cgroup, for the supervisor's log.
    QString describe() const;

    struct Leftover {
        pid_t pid = 0;
        QString name; // the command name, for the note in driver.log
    };
    // Stops whatever the run left running once its script is gone: SIGTERM, up to `graceMs`
    // to go, then SIGKILL; removes the cgroup. Returns what was found running.
    QList<Leftover> stopLeftovers(int graceMs);

    // The cgroup name for a run, and whether `path` (from process.json, which the run's own
    // script could rewrite) names one made for `runId` and nothing else.
    static QString cgroupName(const QString& runId, pid_t supervisor);
    static bool isCgroupOf(const QString& path, const QString& runId);

private:
    QList<Leftover> leftovers() const;
    void reapAll();

    std::optional<Cgroup> cgroup_;
    QString home_;   // the cgroup this process came from
    QString whyNot_; // why there is no cgroup
};

// Stops what is left of a run whose supervisor is gone, from the cgroup recorded in its
// process.json (checked with RunProcesses::isCgroupOf); the number of processes found.
int stopRunCgroup(const QString& path, const QString& runId);

} // namespace lb
