#pragma once
// Running commands and copying folders on the machine a target runs on: over SSH (the system
// `ssh` and `rsync`, one multiplexed connection) or, for a Slurm target with no host, on this
// machine with the same calls. Commands are argv lists; over SSH every word is POSIX-quoted.

#include "core/remote/SshEndpoint.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

namespace lb {

struct CommandResult {
    int exitCode = -1;   // -1: did not start or was killed for taking too long
    QByteArray out, err;
    bool timedOut = false;
    bool ok() const { return exitCode == 0; }
};

class RemoteShell {
public:
    virtual ~RemoteShell() = default;

    // Runs argv there (PATH lookup there), feeding `input` on stdin.
    virtual CommandResult run(const QStringList& argv, const QByteArray& input = {}, int timeoutMs = 60000) = 0;

    // As run(), but throws lb::Error with one sentence when the connection fails or the command
    // exits non-zero; `what` says what was being done ("start the run").
    QByteArray check(const QStringList& argv, const QString& what, const QByteArray& input = {},
                     int timeoutMs = 60000);

    // Copies the contents of localDir into remoteDir (created with its parents), deleting
    // what is no longer there when `mirror`; with `only`, just the paths matching those rsync
    // patterns ("python/***"). Throws lb::Error.
    virtual void upload(const QString& localDir, const QString& remoteDir, bool mirror = true,
                        const QStringList& only = {}) = 0;
    // Copies the contents of remoteDir into localDir (created). A missing remoteDir copies
    // nothing. Throws lb::Error.
    virtual void download(const QString& remoteDir, const QString& localDir) = 0;

    // True when the result says the connection itself failed (ssh's 255), not the command.
    virtual bool isConnectionFailure(const CommandResult& result) const = 0;
    // One sentence for a failed command: the connection failure explained with its fix, or the
    // command's own stderr.
    virtual QString explain(const CommandResult& result, const QString& what) const;

    // "ssh root@host:22" or "this machine", for messages.
    virtual QString display() const = 0;
    virtual bool isLocal() const = 0;
};

// SSH when the endpoint has a host, else this machine.
std::unique_ptr<RemoteShell> openRemoteShell(const SshEndpoint& endpoint);

// Runs a local program from an argv list (no shell); used by both shells and by Slurm on this
// machine.
// rsync's filter arguments for `only` (empty: everything).
QStringList rsyncOnly(const QStringList& only);

CommandResult runLocal(const QString& program, const QStringList& args, const QByteArray& input = {},
                       int timeoutMs = 60000);

} // namespace lb
