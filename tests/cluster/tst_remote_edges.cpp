// Issue 25 on remote targets, against the real cluster of the fixture: on the SSH target and on
// Slurm through SSH, a secret variable reaches the script while no command line on the machine
// (ssh, the remote helper, the batch script that Slurm keeps) ever holds it, it rests there
// only in the run's 0600 secrets.env, and a script argument that is not UTF-8 arrives as the
// same bytes. Everything goes through the real `labbench` binary.
#include "tests/cluster/ClusterEnv.h"
#include "tests/runs/RunTestSupport.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QtTest>
#include <sys/stat.h>

using namespace lbtest;

namespace {

// Prints the argument's bytes and a digest of the secret, and whether any process on this
// machine (the fixture's "remote" side is this machine too) shows the secret on its command
// line. The script itself holds no secret: its snapshot is kept.
const QByteArray kScript =
    "import hashlib, os, sys\n"
    "print('ARG=' + os.fsencode(sys.argv[1]).hex(), flush=True)\n"
    "v = os.environ.get('API_TOKEN', '').encode()\n"
    "print('TOKEN=' + hashlib.sha256(v).hexdigest(), flush=True)\n"
    "seen = []\n"
    "for pid in filter(str.isdigit, os.listdir('/proc')):\n"
    "    try:\n"
    "        if b'ReM' + b'oTe' in open('/proc/%s/cmdline' % pid, 'rb').read():\n"
    "            seen.append(pid)\n"
    "    except OSError:\n"
    "        pass\n"
    "print('IN-PS', seen, flush=True)\n";

const QByteArray kSecret = "tok-ReMoTe-secret value 'quoted' $(id)";
const QByteArray kBadBytes("\xff\xfe\x80"
                           "bad");
const QString kBadArgument = QStringLiteral("-- \"$(printf '\\377\\376\\200bad')\"");

QStringList sshArgs(const ClusterEnv& env) {
    return {QStringLiteral("--host"),        env.get("LABBENCH_SSH_HOST"),
            QStringLiteral("--port"),        env.get("LABBENCH_SSH_PORT"),
            QStringLiteral("--user"),        env.get("LABBENCH_SSH_USER"),
            QStringLiteral("--identity"),    env.get("LABBENCH_SSH_KEY"),
            QStringLiteral("--known-hosts"), env.get("LABBENCH_SSH_KNOWN_HOSTS")};
}

lb::Json showRun(const QString& ws, const QString& id) {
    const CliResult r =
        runCli(ws, {QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")});
    return r.code == 0 ? r.json() : lb::Json::object();
}

QString waitFinal(const QString& ws, const QString& id, int timeoutMs) {
    QString s;
    waitFor(
        [&] {
            const lb::Json j = showRun(ws, id);
            s = QString::fromStdString(j.value("status", std::string()));
            return s == QLatin1String("Completed") || s == QLatin1String("Failed") ||
                   s == QLatin1String("Canceled");
        },
        timeoutMs);
    return s;
}

int modeOf(const QString& path) {
    struct stat st {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}

} // namespace

class TestRemoteEdges : public QObject {
    Q_OBJECT
    ClusterEnv env_;
    QTemporaryDir tmp_;
    QString ws_, src_, remote_;

    void secretAndBytesReachTheScript(const QString& compute) {
        const CliResult r = runCliThroughShell(
            ws_,
            {QStringLiteral("submit"), QStringLiteral("--source"), src_, QStringLiteral("--entry"),
             QStringLiteral("edges.py"), QStringLiteral("--compute"), compute,
             QStringLiteral("--env"), QStringLiteral("API_TOKEN=") + QString::fromUtf8(kSecret)},
            kBadArgument);
        QVERIFY2(r.code == 0, r.err.constData());
        const QString id = r.firstLine();
        const QString status = waitFinal(ws_, id, 120000);
        const QByteArray log = runCli(ws_, {QStringLiteral("logs"), id}).out;
        QVERIFY2(status == QLatin1String("Completed"),
                 (compute + QLatin1Char(' ') + status).toUtf8() + "\n" + log);
        QVERIFY2(log.contains("ARG=" + kBadBytes.toHex()), log.constData());
        QVERIFY2(
            log.contains("TOKEN=" +
                         QCryptographicHash::hash(kSecret, QCryptographicHash::Sha256).toHex()),
            log.constData());
        QVERIFY2(log.contains("IN-PS []"), log.constData());
        // Here: "***" in run.json and the store's view; the value only in the 0600 file.
        const lb::Json run = showRun(ws_, id);
        QVERIFY2(run.dump().find("ReMoTe") == std::string::npos, run.dump().c_str());
        QCOMPARE(run["estimator"]["script_params"][0]["b64"].get<std::string>(),
                 kBadBytes.toBase64().toStdString());
        const QString runDir = QString::fromStdString(run["run_dir"].get<std::string>());
        QVERIFY(!readFile(runDir + QStringLiteral("/run.json")).contains("ReMoTe"));
        QCOMPARE(modeOf(runDir + QStringLiteral("/secrets.json")), 0600);
        // There: the same, in the run's folder under the target's remote folder.
        const QString there = remote_ + QLatin1Char('/') + compute + QStringLiteral("/runs/") + id;
        QCOMPARE(modeOf(there + QStringLiteral("/secrets.env")), 0600);
        QVERIFY(!readFile(there + QStringLiteral("/supervisor.log")).contains("ReMoTe"));
    }

private slots:
    void initTestCase() {
        env_ = ClusterEnv::load();
        QVERIFY2(env_.ok,
                 "the cluster fixture's env.sh is missing (run through ctest, fixture 'cluster')");
        ws_ = tmp_.filePath(QStringLiteral("ws"));
        src_ = tmp_.filePath(QStringLiteral("src"));
        remote_ = tmp_.filePath(QStringLiteral("remote"));
        QCOMPARE(runCli(ws_, {QStringLiteral("workspace"), QStringLiteral("init"), ws_}).code, 0);
        writeFile(src_ + QStringLiteral("/edges.py"), kScript);
        for (const char* kind : {"ssh", "slurm"}) {
            const QString name = QString::fromLatin1(kind) + QStringLiteral("-edges");
            const CliResult r =
                runCli(ws_, QStringList{QStringLiteral("compute"), QStringLiteral("create"),
                                        QString::fromLatin1(kind), name} +
                                sshArgs(env_) +
                                QStringList{QStringLiteral("--remote-dir"),
                                            remote_ + QLatin1Char('/') + name});
            QVERIFY2(r.code == 0, r.err.constData());
        }
    }

    void secretAndBytesOnSshTarget() {
        secretAndBytesReachTheScript(QStringLiteral("ssh-edges"));
    } // #25

    void secretAndBytesOnSlurmThroughSsh() {
        secretAndBytesReachTheScript(QStringLiteral("slurm-edges"));
    } // #25
};

QTEST_GUILESS_MAIN(TestRemoteEdges)
#include "tst_remote_edges.moc"
