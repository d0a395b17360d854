#pragma once
// The command line and start-up shared by the detached run helpers that spawnRunHelper starts
// (labbench-supervisor, labbench-sweep-driver): both take the same flags and detach the same way.
#include <QString>

#include <optional>

namespace lb {

struct HelperArgs {
    QString workspaceRoot;
    QString id;             // the run (or sweep) the helper looks after
    int lockFd = -1;        // a descriptor already holding that run's lock (-1: take it here)
    bool foreground = false; // stay attached (tests, debugging)
};

// Parses `--workspace ROOT --<idFlag> ID [--lock-fd N] [--foreground]`. On anything else prints
// the usage line (or what is missing) to stderr under `program` and returns nothing.
std::optional<HelperArgs> parseHelperArgs(int argc, char** argv, const char* program, const char* idFlag);

// Unless `foreground`, forks once so that the starter can reap the first process at once and the
// helper is never anyone's zombie; the parent side exits here. Returns false (after saying why)
// when the fork failed.
bool detachUnlessForeground(const HelperArgs& args, const char* program);

} // namespace lb
