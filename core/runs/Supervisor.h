#pragma once
// The supervisor of one run: a process of its own (labbench-supervisor, in its own session) that
// outlives the CLI or GUI that started it. It prepares the environment, starts the script in its
// own process group with stdout+stderr in driver.log, ingests the log and the metric stream
// into the store while it runs, enforces the maximum duration, handles cancel requests (SIGTERM
// to the group, SIGKILL after a grace period), writes exit.json, finalizes the run, and then
// starts the next queued runs of its target, so queues drain with no CLI alive.

#include <QString>

namespace lb {

struct SupervisorOptions {
    QString workspaceRoot;
    QString runId;
    int lockFd = -1;      // a descriptor already holding the run's lock (-1: take it here)
    int pollMs = 10;      // how often the log, the metrics and the process are looked at
    int graceMs = 3000;   // SIGTERM → SIGKILL
};

// Supervises the run to its final state. Returns 0, or 1 when supervision itself could not
// begin (the reason goes to stderr, which the spawner points at supervisor.log).
int superviseRun(const SupervisorOptions& options);

} // namespace lb
