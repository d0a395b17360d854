#pragma once
// Shared by the run command files (RunCommands.cpp, RunOutputCommands.cpp).

#include "app/cli/CommandLine.h"

#include "core/store/Entities.h"
#include "core/util/Json.h"

namespace lb {
class Store;
}

namespace lb::cli {

void registerRunOutputCommands(CommandLine& cli);
void registerRunListCommand(CommandLine& cli);
void registerRunEditCommands(CommandLine& cli);
void registerRunCompareCommand(CommandLine& cli);
void registerRunResumeCommand(CommandLine& cli);

// A run as `runs list --json` / `runs show --json` print it (stable field names).
Json runSummaryJson(const RunRecord& run);

// Copies what was appended to `path` since `offset` to stdout; returns the new offset.
qint64 streamFileFrom(const QString& path, qint64 offset);

// The exit status a command that waited for `run` returns: the script's own exit code, else 0
// for Completed and 1 otherwise.
int exitStatusOf(const RunRecord& run);

} // namespace lb::cli
