#pragma once
// The SSH side of RemoteShell: the system `ssh` with keys only (BatchMode), the chosen host-key
// policy against the chosen known_hosts file, and one master connection per destination
// (ControlMaster/ControlPersist under a private folder) that every command and rsync reuses.

#include "core/remote/RemoteShell.h"

namespace lb {

class SshConnection : public RemoteShell {
public:
    explicit SshConnection(SshEndpoint endpoint);

    CommandResult run(const QStringList& argv, const QByteArray& input = {}, int timeoutMs = 60000) override;
    void upload(const QString& localDir, const QString& remoteDir, bool mirror = true,
                const QStringList& only = {}) override;
    void download(const QString& remoteDir, const QString& localDir) override;
    bool isConnectionFailure(const CommandResult& result) const override;
    QString explain(const CommandResult& result, const QString& what) const override;
    QString display() const override;
    bool isLocal() const override { return false; }

    // The ssh options (no destination, no command), as rsync's -e gets them too.
    QStringList sshOptions() const;
    // Ends the shared master connection (the next command opens a new one).
    void closeMaster();

    const SshEndpoint& endpoint() const { return endpoint_; }

    // The short private folder (0700) that holds the control sockets.
    static QString controlDir();

private:
    SshEndpoint endpoint_;
};

// Maps ssh's exit 255 and its stderr to one sentence with the fix: unreachable host, refused
// key, unknown or changed host key, lost connection. Exposed for tests.
QString explainSshFailure(const SshEndpoint& endpoint, const QByteArray& stderrText);

} // namespace lb
