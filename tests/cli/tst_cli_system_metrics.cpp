// `labbench metrics RUN --system [--json]` (issue 19) over a real local run: the supervisor
// starts labbench-sysmon beside the script, its samples reach the store tagged with this node,
// apart from the script's own metrics; a sampler that cannot start costs the run nothing but a
// line in its log.
#include "core/util/Json.h"
#include "tests/support/CliRunner.h"

#include <QDir>
#include <QFile>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

namespace {

QString qs(const char* s) {
    return QString::fromUtf8(s);
}

// Holds 64 MB and burns CPU for about 1.5 s; logs one metric of its own.
const QByteArray kScript = "import time, labbench\n"
                           "b = bytearray(64 * 1048576)\n"
                           "for i in range(0, len(b), 4096): b[i] = 1\n"
                           "t = time.time()\n"
                           "while time.time() - t < 1.5: pass\n"
                           "labbench.log('loss', 0.5)\n";

} // namespace

class CliSystemMetrics : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString ws_, src_;

    CliResult cli(const QStringList& args,
                  const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
        return runLabbench(QStringList{qs("--workspace"), ws_} + args, {}, env, 120000);
    }

    QString submit(const QProcessEnvironment& env) {
        const CliResult r = cli({qs("submit"), qs("--source"), src_, qs("--entry"), qs("train.py"),
                                 qs("--python"), qs("/usr/bin/python3"), qs("--wait")},
                                env);
        [&] { QVERIFY2(r.exitCode == 0, (r.out + r.err).constData()); }();
        return QString::fromUtf8(r.out.split('\n').first()).trimmed();
    }

private slots:
    void initTestCase() {
        ws_ = tmp_.filePath(qs("ws"));
        src_ = tmp_.filePath(qs("src"));
        QCOMPARE(runLabbench({qs("workspace"), qs("init"), ws_}).exitCode, 0);
        QDir().mkpath(src_);
        QFile f(src_ + qs("/train.py"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kScript);
    }

    void localRunGetsSystemMetricsOfThisNode() {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(qs("LABBENCH_SYSMON_INTERVAL"), qs("0.3"));
        const QString id = submit(env);
        QVERIFY(!id.isEmpty());

        const CliResult json = cli({qs("metrics"), id, qs("--system"), qs("--json")});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        const lb::Json points = lb::Json::parse(json.out.toStdString());
        const std::string node = QSysInfo::machineHostName().toStdString();
        double rss = 0, cpu = -1;
        for (const auto& p : points) {
            QCOMPARE(p["node"].get<std::string>(), node);
            if (p["name"] == "memory_rss_bytes") rss = std::max(rss, p["value"].get<double>());
            if (p["name"] == "cpu_percent") cpu = std::max(cpu, p["value"].get<double>());
            QVERIFY(p["time"].get<double>() > 1.7e9);
        }
        QVERIFY2(rss > 64.0 * 1048576, json.out.constData());
        QVERIFY2(cpu > 0, json.out.constData());

        const CliResult table = cli({qs("metrics"), id, qs("--system")});
        QCOMPARE(table.exitCode, 0);
        for (const char* word : {"NODE", "MIN", "MAX", "cpu_percent", "memory_rss_bytes",
                                 "disk_write_bytes", "net_rx_bytes"})
            QVERIFY2(table.out.contains(word), table.out.constData());
        QVERIFY(table.out.contains(QSysInfo::machineHostName().toUtf8()));

        // The script's own metrics stay apart.
        const CliResult own = cli({qs("metrics"), id, qs("--json")});
        const lb::Json mine = lb::Json::parse(own.out.toStdString());
        QCOMPARE(mine.size(), size_t(1));
        QCOMPARE(mine[0]["name"].get<std::string>(), std::string("loss"));

        const CliResult csv = cli({qs("metrics"), id, qs("--system"), qs("--csv")});
        QVERIFY(csv.exitCode != 0);
        QVERIFY2(csv.err.contains("--json"), csv.err.constData());
    }

    void missingSamplerIsOneLineNotAFailedRun() {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(qs("LABBENCH_SYSMON"), tmp_.filePath(qs("no-such-sampler")));
        const QString id = submit(env);
        QVERIFY(!id.isEmpty());
        const CliResult show = cli({qs("runs"), qs("show"), id, qs("--json")});
        QVERIFY2(show.out.contains("\"Completed\""), show.out.constData());
        const CliResult log = cli({qs("logs"), id});
        QVERIFY2(log.out.contains("labbench: system metrics unavailable on " +
                                  QSysInfo::machineHostName().toUtf8() + ": "),
                 log.out.constData());
        const CliResult table = cli({qs("metrics"), id, qs("--system")});
        QVERIFY2(table.out.contains("No system metrics"), table.out.constData());
    }
};

QTEST_GUILESS_MAIN(CliSystemMetrics)
#include "tst_cli_system_metrics.moc"
