// System metrics on remote targets (issue 19), on the real two-node cluster of the fixture:
// labbench-sysmon is uploaded with the remote helper and started beside the script on the SSH
// target, on a single-node Slurm job and on every node of a 2-node Slurm job (by the rank with
// local rank 0 there); each node's points come home tagged with its Slurm node name (n1 and n2
// share one host, so the host name would not tell them apart).
#include "tests/cluster/ClusterEnv.h"
#include "tests/runs/RunTestSupport.h"

#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace lbtest;

namespace {

QString qs(const char* s) {
    return QString::fromUtf8(s);
}

// Burns CPU and holds 32 MB for about 6 s: more than one sampling interval (5 s).
const QByteArray kBusy = "import time\n"
                         "b = bytearray(32 * 1048576)\n"
                         "for i in range(0, len(b), 4096): b[i] = 1\n"
                         "t = time.time()\n"
                         "while time.time() - t < 6: pass\n"
                         "print('done', flush=True)\n";

QStringList sshArgs(const ClusterEnv& env) {
    return {qs("--host"),        env.get("LABBENCH_SSH_HOST"),
            qs("--port"),        env.get("LABBENCH_SSH_PORT"),
            qs("--user"),        env.get("LABBENCH_SSH_USER"),
            qs("--identity"),    env.get("LABBENCH_SSH_KEY"),
            qs("--known-hosts"), env.get("LABBENCH_SSH_KNOWN_HOSTS")};
}

QString waitFinal(const QString& ws, const QString& id, int timeoutMs) {
    QString s;
    waitFor(
        [&] {
            const CliResult r = runCli(ws, {qs("runs"), qs("show"), id, qs("--json")});
            const lb::Json j = r.code == 0 ? r.json() : lb::Json::object();
            s = j.contains("status") ? QString::fromStdString(j["status"].get<std::string>())
                                     : QString();
            return s == qs("Completed") || s == qs("Failed") || s == qs("Canceled");
        },
        timeoutMs);
    return s;
}

// The nodes that sent each metric name.
QHash<QString, QSet<QString>> nodesByName(const QString& ws, const QString& id) {
    const CliResult r = runCli(ws, {qs("metrics"), id, qs("--system"), qs("--json")});
    QHash<QString, QSet<QString>> out;
    if (r.code != 0) return out;
    for (const auto& p : r.json())
        out[QString::fromStdString(p["name"].get<std::string>())].insert(
            QString::fromStdString(p["node"].get<std::string>()));
    return out;
}

} // namespace

class TestRemoteSysmon : public QObject {
    Q_OBJECT
    ClusterEnv env_;
    QTemporaryDir tmp_;
    QString ws_, src_;

    QString submitAndWait(const QStringList& args) {
        const CliResult r = runCli(
            ws_,
            QStringList{qs("submit"), qs("--source"), src_, qs("--entry"), qs("busy.py")} + args);
        if (r.code != 0) {
            qWarning("submit failed: %s", r.err.constData());
            return {};
        }
        const QString id = r.firstLine();
        const QString status = waitFinal(ws_, id, 120000);
        const QByteArray log = runCli(ws_, {qs("logs"), id}).out;
        if (status != qs("Completed")) {
            qWarning("%s ended %s:\n%s", qPrintable(id), qPrintable(status), log.constData());
            return {};
        }
        return id;
    }

private slots:
    void initTestCase() {
        env_ = ClusterEnv::load();
        QVERIFY2(env_.ok,
                 "the cluster fixture's env.sh is missing (run through ctest, fixture 'cluster')");
        ws_ = tmp_.filePath(qs("ws"));
        src_ = tmp_.filePath(qs("src"));
        const QString remote = tmp_.filePath(qs("remote"));
        QCOMPARE(runCli(ws_, {qs("workspace"), qs("init"), ws_}).code, 0);
        writeFile(src_ + qs("/busy.py"), kBusy);
        CliResult r =
            runCli(ws_, QStringList{qs("compute"), qs("create"), qs("ssh"), qs("box")} +
                            sshArgs(env_) + QStringList{qs("--remote-dir"), remote + qs("/ssh")});
        QVERIFY2(r.code == 0, r.err.constData());
        r = runCli(ws_, QStringList{qs("compute"), qs("create"), qs("slurm"), qs("hpc")} +
                            sshArgs(env_) + QStringList{qs("--remote-dir"), remote + qs("/hpc")});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    void twoNodeSlurmJobSendsSystemMetricsFromBothNodes() {
        const QString id =
            submitAndWait({qs("--compute"), qs("hpc"), qs("--nodes"), qs("2"),
                           qs("--processes-per-node"), qs("1"), qs("--backend"), qs("pytorch")});
        QVERIFY(!id.isEmpty());
        const auto nodes = nodesByName(ws_, id);
        const QSet<QString> both{qs("n1"), qs("n2")};
        QCOMPARE(nodes.value(qs("memory_rss_bytes")), both);
        QCOMPARE(nodes.value(qs("cpu_percent")), both);
        QCOMPARE(nodes.value(qs("disk_write_bytes")), both);
        const CliResult table = runCli(ws_, {qs("metrics"), id, qs("--system")});
        QVERIFY2(table.out.contains("n1 ") && table.out.contains("n2 "), table.out.constData());
    }

    void singleNodeSlurmJobHasItsNode() {
        const QString id = submitAndWait({qs("--compute"), qs("hpc")});
        QVERIFY(!id.isEmpty());
        const auto nodes = nodesByName(ws_, id);
        const QSet<QString> node = nodes.value(qs("memory_rss_bytes"));
        QCOMPARE(node.size(), 1);
        QVERIFY2(node.contains(qs("n1")) || node.contains(qs("n2")),
                 qPrintable(node.values().join(',')));
        QCOMPARE(nodes.value(qs("cpu_percent")), node);
    }

    void sshTargetRunHasSystemMetrics() {
        const QString id = submitAndWait({qs("--compute"), qs("box")});
        QVERIFY(!id.isEmpty());
        const auto nodes = nodesByName(ws_, id);
        QCOMPARE(nodes.value(qs("memory_rss_bytes")).size(), 1);
        QCOMPARE(nodes.value(qs("cpu_percent")).size(), 1);
        QVERIFY(nodes.contains(qs("net_rx_bytes")));
    }
};

QTEST_GUILESS_MAIN(TestRemoteSysmon)
#include "tst_remote_sysmon.moc"
