#include "core/remote/SshConnection.h"

#include "core/remote/ShellQuote.h"
#include "core/util/Error.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>

#include <sys/stat.h>
#include <unistd.h>

namespace lb {

namespace {

QByteArray settingsKey(const SshEndpoint& e) {
    return (e.identity + QLatin1Char('\n') + e.knownHosts + QLatin1Char('\n') + e.hostKeyPolicy).toUtf8();
}

bool has(const QByteArray& text, const char* needle) { return text.contains(needle); }

} // namespace

QString explainSshFailure(const SshEndpoint& e, const QByteArray& err) {
    const QString where = e.display();
    const QString known = e.knownHosts.isEmpty() ? QStringLiteral("~/.ssh/known_hosts") : e.knownHosts;
    const QString hostEntry = e.port == 22 ? e.host : QStringLiteral("[%1]:%2").arg(e.host).arg(e.port);
    if (has(err, "REMOTE HOST IDENTIFICATION HAS CHANGED") || (has(err, "Host key for") && has(err, "has changed")))
        return QStringLiteral("The host key of %1 does not match the one in %2 (the machine was reinstalled, "
                              "or someone is intercepting the connection); if the change is expected, remove "
                              "the old key with 'ssh-keygen -R \"%3\" -f %2' and connect again.")
            .arg(where, known, hostEntry);
    if (has(err, "Host key verification failed") || has(err, "No ED25519 host key is known") ||
        has(err, "host key is known"))
        return QStringLiteral("The host key of %1 is not in %2 and the host-key policy is strict; add it "
                              "('ssh-keyscan -p %3 %4 >> %2', after checking its fingerprint) or use "
                              "--host-key-policy accept-new.")
            .arg(where, known)
            .arg(e.port)
            .arg(e.host);
    if (has(err, "Permission denied") || has(err, "Too many authentication failures"))
        return QStringLiteral("%1 refused the key%2 for user '%3' (Labbench uses keys only); add the public "
                              "key to ~/.ssh/authorized_keys there, or give the right key with --identity "
                              "and the account with --user.")
            .arg(where, e.identity.isEmpty() ? QString() : QStringLiteral(" %1").arg(e.identity),
                 e.user.isEmpty() ? QStringLiteral("(default)") : e.user);
    if (has(err, "Could not resolve hostname") || has(err, "Name or service not known"))
        return QStringLiteral("The host name '%1' cannot be resolved; check the spelling or use its IP "
                              "address with --host.")
            .arg(e.host);
    if (has(err, "Connection refused"))
        return QStringLiteral("%1 refused the connection: no sshd listens on port %2 there; check the "
                              "port (--port) and that sshd is running.")
            .arg(where)
            .arg(e.port);
    if (has(err, "timed out") || has(err, "No route to host") || has(err, "Network is unreachable"))
        return QStringLiteral("%1 cannot be reached (%2); check the host, the port and the network or VPN.")
            .arg(where, QString::fromUtf8(err).trimmed().section(QLatin1Char('\n'), -1));
    QString last = QString::fromUtf8(err).trimmed().section(QLatin1Char('\n'), -1);
    return QStringLiteral("The SSH connection to %1 failed (%2); check that the machine is up and that "
                          "'ssh -p %3 %4' works from this machine.")
        .arg(where, last.isEmpty() ? QStringLiteral("no message") : last)
        .arg(e.port)
        .arg(e.destination());
}

SshConnection::SshConnection(SshEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

QString SshConnection::controlDir() {
    const QString dir = QStringLiteral("/tmp/lb-ssh-%1").arg(::getuid());
    const QByteArray path = QFile::encodeName(dir);
    ::mkdir(path.constData(), 0700);
    struct stat st {};
    // A folder someone else made could let them hijack the sockets: then do without one.
    if (::lstat(path.constData(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::getuid() ||
        (st.st_mode & 077) != 0)
        return {};
    return dir;
}

QStringList SshConnection::sshOptions() const {
    QStringList o;
    auto opt = [&](const QString& kv) { o << QStringLiteral("-o") << kv; };
    o << QStringLiteral("-p") << QString::number(endpoint_.port);
    if (!endpoint_.identity.isEmpty()) {
        o << QStringLiteral("-i") << endpoint_.identity;
        opt(QStringLiteral("IdentitiesOnly=yes"));
    }
    if (!endpoint_.user.isEmpty())
        o << QStringLiteral("-l") << endpoint_.user;
    opt(QStringLiteral("BatchMode=yes"));
    opt(QStringLiteral("PasswordAuthentication=no"));
    opt(QStringLiteral("KbdInteractiveAuthentication=no"));
    opt(endpoint_.hostKeyPolicy == QLatin1String("accept-new") ? QStringLiteral("StrictHostKeyChecking=accept-new")
                                                               : QStringLiteral("StrictHostKeyChecking=yes"));
    if (!endpoint_.knownHosts.isEmpty())
        opt(QStringLiteral("UserKnownHostsFile=") + endpoint_.knownHosts);
    opt(QStringLiteral("ConnectTimeout=10"));
    opt(QStringLiteral("ServerAliveInterval=3"));
    opt(QStringLiteral("ServerAliveCountMax=3"));
    opt(QStringLiteral("LogLevel=ERROR"));
    const QString dir = controlDir();
    if (!dir.isEmpty()) {
        opt(QStringLiteral("ControlMaster=auto"));
        // One master per destination *and* settings: a master authenticated under one key or
        // known_hosts file must not serve a target configured with another.
        const QByteArray settings = settingsKey(endpoint_);
        opt(QStringLiteral("ControlPath=") + dir + QLatin1Char('/') +
            QString::fromLatin1(QCryptographicHash::hash(settings, QCryptographicHash::Sha1).toHex().left(8)) +
            QStringLiteral("-%C"));
        opt(QStringLiteral("ControlPersist=120"));
    }
    return o;
}

CommandResult SshConnection::run(const QStringList& argv, const QByteArray& input, int timeoutMs) {
    // ssh hands its command to the login shell there: one string, every word quoted.
    const QStringList args = sshOptions() + QStringList{QStringLiteral("--"), endpoint_.host, shellCommand(argv)};
    return runLocal(QStringLiteral("ssh"), args, input, timeoutMs);
}

void SshConnection::closeMaster() {
    runLocal(QStringLiteral("ssh"),
             sshOptions() + QStringList{QStringLiteral("-O"), QStringLiteral("exit"), QStringLiteral("--"), endpoint_.host},
             {}, 10000);
}

bool SshConnection::isConnectionFailure(const CommandResult& r) const {
    return r.exitCode == 255 || r.timedOut || r.exitCode < 0;
}

QString SshConnection::explain(const CommandResult& r, const QString& what) const {
    if (r.exitCode == 255)
        return QStringLiteral("Could not %1: %2").arg(what, explainSshFailure(endpoint_, r.err));
    // rsync reports a broken transport as 12 or 255 with ssh's message in stderr.
    if (r.exitCode == 12 && (r.err.contains("ssh:") || r.err.contains("Permission denied") ||
                             r.err.contains("Host key")))
        return QStringLiteral("Could not %1: %2").arg(what, explainSshFailure(endpoint_, r.err));
    return RemoteShell::explain(r, what);
}

QString SshConnection::display() const { return endpoint_.display(); }

void SshConnection::upload(const QString& localDir, const QString& remoteDir, bool mirror, const QStringList& only) {
    // rsync splits -e itself (honouring quotes): quote every word; -s keeps the remote path
    // away from the remote shell.
    QStringList args{QStringLiteral("-a"), QStringLiteral("-s"), QStringLiteral("--mkpath"),
                     QStringLiteral("-e"), shellCommand(QStringList{QStringLiteral("ssh")} + sshOptions())};
    if (mirror)
        args << QStringLiteral("--delete");
    args << rsyncOnly(only);
    args << QDir::cleanPath(localDir) + QLatin1Char('/')
         << endpoint_.host + QLatin1Char(':') + QDir::cleanPath(remoteDir) + QLatin1Char('/');
    if (!endpoint_.user.isEmpty())
        args.last().prepend(endpoint_.user + QLatin1Char('@'));
    const CommandResult r = runLocal(QStringLiteral("rsync"), args, {}, 600000);
    if (!r.ok())
        throw Error(explain(r, QStringLiteral("copy %1 to %2").arg(localDir, remoteDir)));
}

void SshConnection::download(const QString& remoteDir, const QString& localDir) {
    const CommandResult probe = run({QStringLiteral("test"), QStringLiteral("-d"), remoteDir});
    if (isConnectionFailure(probe))
        throw Error(explain(probe, QStringLiteral("look for %1").arg(remoteDir)));
    if (!probe.ok())
        return; // nothing there to bring home
    QStringList args{QStringLiteral("-a"), QStringLiteral("-s"), QStringLiteral("--mkpath"),
                     QStringLiteral("-e"), shellCommand(QStringList{QStringLiteral("ssh")} + sshOptions())};
    QString source = endpoint_.host + QLatin1Char(':') + QDir::cleanPath(remoteDir) + QLatin1Char('/');
    if (!endpoint_.user.isEmpty())
        source.prepend(endpoint_.user + QLatin1Char('@'));
    args << source << QDir::cleanPath(localDir) + QLatin1Char('/');
    const CommandResult r = runLocal(QStringLiteral("rsync"), args, {}, 600000);
    if (!r.ok())
        throw Error(explain(r, QStringLiteral("copy %1 home to %2").arg(remoteDir, localDir)));
}

} // namespace lb
