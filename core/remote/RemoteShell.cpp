#include "core/remote/RemoteShell.h"

#include "core/remote/SshConnection.h"
#include "core/util/Error.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>

namespace lb {

namespace {

// Commands on this machine: argv straight to the program, rsync without a transport.
class LocalShell : public RemoteShell {
public:
    CommandResult run(const QStringList& argv, const QByteArray& input, int timeoutMs) override {
        if (argv.isEmpty())
            return {};
        return runLocal(argv.first(), argv.mid(1), input, timeoutMs);
    }
    void upload(const QString& localDir, const QString& remoteDir, bool mirror, const QStringList& only) override {
        if (QFileInfo(localDir).canonicalFilePath() == QFileInfo(remoteDir).canonicalFilePath())
            return;
        copy(localDir, remoteDir, mirror, only);
    }
    void download(const QString& remoteDir, const QString& localDir) override {
        if (!QFileInfo(remoteDir).isDir() ||
            QFileInfo(localDir).canonicalFilePath() == QFileInfo(remoteDir).canonicalFilePath())
            return;
        copy(remoteDir, localDir, false);
    }
    bool isConnectionFailure(const CommandResult&) const override { return false; }
    QString display() const override { return QStringLiteral("this machine"); }
    bool isLocal() const override { return true; }

private:
    void copy(const QString& from, const QString& to, bool mirror, const QStringList& only = {}) {
        QStringList args{QStringLiteral("-a"), QStringLiteral("--mkpath")};
        if (mirror)
            args << QStringLiteral("--delete");
        args << rsyncOnly(only);
        args << QDir::cleanPath(from) + QLatin1Char('/') << QDir::cleanPath(to) + QLatin1Char('/');
        const CommandResult r = runLocal(QStringLiteral("rsync"), args, {}, 600000);
        if (!r.ok())
            throw Error(explain(r, QStringLiteral("copy %1 to %2").arg(from, to)));
    }
};

} // namespace

QByteArray RemoteShell::check(const QStringList& argv, const QString& what, const QByteArray& input,
                              int timeoutMs) {
    const CommandResult r = run(argv, input, timeoutMs);
    if (!r.ok())
        throw Error(explain(r, what));
    return r.out;
}

QString RemoteShell::explain(const CommandResult& r, const QString& what) const {
    if (r.timedOut)
        return QStringLiteral("Could not %1 on %2: the command took too long and was stopped; check "
                              "that the machine is responsive.")
            .arg(what, display());
    if (r.exitCode < 0)
        return QStringLiteral("Could not %1 on %2: the program could not be started (%3); check that it "
                              "is installed and on PATH.")
            .arg(what, display(), QString::fromUtf8(r.err).trimmed());
    QString detail = QString::fromUtf8(r.err).trimmed();
    if (detail.isEmpty())
        detail = QString::fromUtf8(r.out).trimmed();
    detail.replace(QLatin1Char('\n'), QStringLiteral(" | "));
    if (detail.size() > 600)
        detail = detail.left(600) + QStringLiteral("…");
    return QStringLiteral("Could not %1 on %2 (exit code %3): %4")
        .arg(what, display())
        .arg(r.exitCode)
        .arg(detail.isEmpty() ? QStringLiteral("no message.") : detail);
}

QStringList rsyncOnly(const QStringList& only) {
    QStringList args;
    for (const QString& pattern : only)
        args << QStringLiteral("--include=") + pattern;
    if (!only.isEmpty())
        args << QStringLiteral("--exclude=*");
    return args;
}

CommandResult runLocal(const QString& program, const QStringList& args, const QByteArray& input, int timeoutMs) {
    CommandResult r;
    QProcess p;
    p.setProgram(program);
    p.setArguments(args);
    p.start();
    if (!p.waitForStarted(10000)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.timedOut = true;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

std::unique_ptr<RemoteShell> openRemoteShell(const SshEndpoint& endpoint) {
    if (endpoint.isLocal())
        return std::make_unique<LocalShell>();
    return std::make_unique<SshConnection>(endpoint);
}

} // namespace lb
