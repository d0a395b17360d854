#pragma once
// The start and the loop tools shared by the detached helpers that look after one run or sweep:
// labbench-supervisor (local runs), the remote follower (SSH and Slurm runs) and the sweep driver.
// Each opens the workspace, finds its record, and takes (or adopts) the record's lock; each writes
// timestamped notes to stderr, sleeps between polls, and ingests with a retry that never ends its
// loop.
#include "core/lifecycle/RunLock.h"
#include "core/store/Entities.h"
#include "core/workspace/Workspace.h"

#include <QString>

#include <optional>

namespace lb {

class RunIngester;

// One line on stderr: "<UTC time> <who>: <text>", flushed at once (the helper's log file).
void helperNote(const char* who, const QString& text);

// Sleeps `ms` milliseconds (signals may cut it short, which only makes the next poll sooner).
void sleepMs(int ms);

// What a helper holds once it has started: the workspace, the record as it is now that the lock
// is held, and the lock itself.
struct HelperStart {
    Workspace workspace;
    RunRecord record;
    RunLock lock;
};

enum class HelperStartFailure { None, NotFound, LockHeld };

// Opens `workspaceRoot`, finds `id` and takes its lock (adopting `lockFd` when >= 0). On failure
// it notes why under `who` (`busyMessage`, with %1 for the id, when another process holds the
// lock) and sets `failure`.
std::optional<HelperStart> startHelper(const QString& workspaceRoot, const QString& id, int lockFd,
                                       const char* who, const QString& busyMessage,
                                       HelperStartFailure* failure = nullptr);

// One ingest pass of new log lines and metrics; a failure (a locked or full store) is noted and
// left for the next pass, which resumes from the stored offsets.
void ingestOrRetry(RunIngester& ingester, const char* who);

} // namespace lb
