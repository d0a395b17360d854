#pragma once
// What the cluster fixture (cluster.sh up) set up, read from its env.sh, for cluster tests.

#include <QFile>
#include <QHash>
#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

struct ClusterEnv {
    QHash<QString, QString> vars;
    bool ok = false;

    static ClusterEnv load() {
        ClusterEnv env;
        QFile f(qEnvironmentVariable("LABBENCH_CLUSTER_ENV"));
        if (!f.open(QIODevice::ReadOnly))
            return env;
        static const QRegularExpression line(QStringLiteral("^export (\\w+)='?([^']*)'?$"));
        for (const QByteArray& raw : f.readAll().split('\n')) {
            const auto m = line.match(QString::fromUtf8(raw).trimmed());
            if (m.hasMatch())
                env.vars.insert(m.captured(1), m.captured(2));
        }
        env.ok = env.vars.contains(QStringLiteral("LABBENCH_SSH_PORT"));
        return env;
    }
    QString get(const char* name) const { return vars.value(QString::fromLatin1(name)); }

    // ssh argv (without the remote command) with strict host-key checking, keys only.
    QStringList sshArgs() const {
        return {QStringLiteral("-p"), get("LABBENCH_SSH_PORT"), QStringLiteral("-i"), get("LABBENCH_SSH_KEY"),
                QStringLiteral("-o"), QStringLiteral("IdentitiesOnly=yes"), QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                QStringLiteral("-o"), QStringLiteral("StrictHostKeyChecking=yes"), QStringLiteral("-o"),
                QStringLiteral("UserKnownHostsFile=") + get("LABBENCH_SSH_KNOWN_HOSTS"),
                get("LABBENCH_SSH_USER") + QStringLiteral("@") + get("LABBENCH_SSH_HOST")};
    }
};

struct Ran {
    int exitCode = -1;
    QByteArray out;
};

inline Ran runProgram(const QString& program, const QStringList& args, int timeoutMs = 60000) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    Ran r;
    if (!p.waitForStarted() || !p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAll();
    return r;
}
