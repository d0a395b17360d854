// The system sampler (core/sysmon, labbench-sysmon; issue 19) on the real /proc of real child
// processes: a process tree that burns CPU and holds memory is seen as such, the parsers read
// the kernel's own files, and the program writes its JSON lines, tagged with the node, until
// the tree is gone or it is told to stop.
#include "core/sysmon/ProcReaders.h"
#include "core/sysmon/SampleLines.h"
#include "core/sysmon/SystemSampler.h"
#include "core/util/Json.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <csignal>
#include <ctime>
#include <unistd.h>

namespace {

const QString kSampler =
    QStringLiteral(LABBENCH_BIN_DIR "/../share/labbench/remote/labbench-sysmon");

double monotonic() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

double valueOf(const std::vector<lb::sysmon::NamedValue>& values, const std::string& name) {
    for (const auto& v : values)
        if (v.name == name) return v.value;
    return -1;
}

// A shell whose children burn CPU (eight of them, so a loaded machine, such as CI's two shared
// cores, still gives them more than half a core) and one of which holds `megabytes` of touched
// memory.
void startBurners(QProcess& p, int megabytes, int seconds) {
    const QString burn =
        QStringLiteral(
            "import time\nb = bytearray(%1 * 1048576)\nfor i in range(0, len(b), 4096): b[i] = 1\n"
            "t = time.time()\nwhile time.time() - t < %2: pass\n")
            .arg(megabytes)
            .arg(seconds);
    const QString spin =
        QStringLiteral("import time\nt = time.time()\nwhile time.time() - t < %1: pass\n")
            .arg(seconds);
    // "$1 & $2 & $2 & … & wait": the spinners make the tree's share of a busy machine large.
    QString command = QStringLiteral("python3 -c \"$1\" &");
    for (int i = 0; i < 7; ++i)
        command += QStringLiteral(" python3 -c \"$2\" &");
    p.start(QStringLiteral("sh"), {QStringLiteral("-c"), command + QStringLiteral(" wait"),
                                   QStringLiteral("sh"), burn, spin});
    QVERIFY(p.waitForStarted());
}

} // namespace

class SysmonTest : public QObject {
    Q_OBJECT

private slots:
    void treeOfABusyChildShowsItsCpuAndMemory() {
        QProcess p;
        startBurners(p, 200, 30);
        lb::sysmon::SamplerOptions options;
        options.rootPid = int(p.processId());
        options.gpus = false;
        lb::sysmon::SystemSampler sampler(options);
        std::vector<lb::sysmon::NamedValue> first, values;
        // The first figure needs a root older than 50 ms (the sampler leaves out a shorter one).
        QThread::msleep(200);
        QVERIFY(sampler.sample(monotonic(), first));
        // The first figure is the tree's CPU time since its root started.
        QVERIFY(valueOf(first, "cpu_percent") >= 0);
        // A sample a second until both show (touching 200 MB takes a while on a busy machine).
        double cpu = 0, rss = 0;
        for (int i = 0; i < 20 && (cpu <= 50 || rss <= 200.0 * 1048576); ++i) {
            QThread::msleep(1000);
            values.clear();
            QVERIFY(sampler.sample(monotonic(), values));
            cpu = std::max(cpu, valueOf(values, "cpu_percent"));
            rss = std::max(rss, valueOf(values, "memory_rss_bytes"));
        }
        QVERIFY2(cpu > 50, qPrintable(QStringLiteral("cpu_percent %1").arg(cpu)));
        QVERIFY2(rss > 200.0 * 1048576, qPrintable(QStringLiteral("memory_rss_bytes %1").arg(rss)));
        QVERIFY(sampler.processesSeen() >= 9); // the shell and its eight children
        QVERIFY(valueOf(values, "disk_read_bytes") >= 0);
        QVERIFY(valueOf(values, "net_rx_bytes") >= 0);
        // Stop the children first (they would burn on), then the shell.
        for (const int pid : lb::sysmon::listPids()) {
            const auto s = lb::sysmon::readProcStat(pid);
            if (s && s->ppid == int(p.processId())) ::kill(pid, SIGKILL);
        }
        p.kill();
        p.waitForFinished();
    }

    void procFilesOfThisProcessParse() {
        const std::string stat = lb::sysmon::readSmallFile("/proc/self/stat");
        const auto s = lb::sysmon::parseProcStat(stat);
        QVERIFY(s);
        QCOMPARE(s->pid, int(getpid()));
        QCOMPARE(s->ppid, int(getppid()));
        QVERIFY(s->rssPages > 0 && s->startTicks > 0);
        // A command name with spaces and ')' does not shift the fields.
        const auto odd = lb::sysmon::parseProcStat(
            "42 (a b) c)) S 7 42 42 0 -1 4194304 1 0 0 0 11 22 0 0 20 0 1 0 999 1000 55 rest");
        QVERIFY(odd);
        QCOMPARE(odd->ppid, 7);
        QCOMPARE(odd->utimeTicks, 11ULL);
        QCOMPARE(odd->stimeTicks, 22ULL);
        QCOMPARE(odd->startTicks, 999ULL);
        QCOMPARE(odd->rssPages, 55LL);
        QVERIFY(lb::sysmon::parseProcIo(lb::sysmon::readSmallFile("/proc/self/io")).read >= 0);
    }

    void netDevLeavesOutLoopback() {
        const char* text =
            "Inter-|   Receive                            |  Transmit\n"
            " face |bytes    packets errs drop fifo frame compressed multicast|bytes\n"
            "    lo: 1000 10 0 0 0 0 0 0 1000 10 0 0 0 0 0 0\n"
            "  eth0: 300 3 0 0 0 0 0 0 70 1 0 0 0 0 0 0\n"
            "  eth1:20 2 0 0 0 0 0 0 5 1 0 0 0 0 0 0\n";
        const auto c = lb::sysmon::parseNetDev(text);
        QCOMPARE(c.read, 320LL);
        QCOMPARE(c.written, 75LL);
        QVERIFY(lb::sysmon::readNetDev(int(getpid())).read >= 0); // the real file parses too
    }

    void cgroupFilesParse() {
        const auto io = lb::sysmon::parseCgroupIoStat(
            "8:0 rbytes=100 wbytes=20 rios=1 wios=1 dbytes=0 dios=0\n"
            "259:0 rbytes=5 wbytes=1 rios=1 wios=1 dbytes=9 dios=0\n");
        QCOMPARE(io.read, 105LL);
        QCOMPARE(io.written, 21LL);
        QCOMPARE(lb::sysmon::parseCgroupCpuUsageUsec("usage_usec 1234\nuser_usec 1000\n"), 1234LL);
        QCOMPARE(lb::sysmon::slurmJobCgroup(
                     "0::/system.slice/slurmstepd.scope/job_12/step_0/user/task_0\n", "12"),
                 std::string("/sys/fs/cgroup/system.slice/slurmstepd.scope/job_12"));
        QCOMPARE(lb::sysmon::slurmJobCgroup("0::/system.slice/job_123/step_0\n", "12"),
                 std::string());
        QCOMPARE(lb::sysmon::slurmJobCgroup("0::/user.slice\n", ""), std::string());
    }

    void linesAreJsonWithTheNode() {
        const std::string lines =
            lb::sysmon::formatSampleLines({{"cpu_percent", 12.5}, {"memory_rss_bytes", 1e9}}, 3,
                                          "2026-01-02T03:04:05.678Z", "n\"1");
        const QList<QByteArray> split = QByteArray::fromStdString(lines).split('\n');
        QCOMPARE(split.size(), 3); // two lines and the empty rest after the last newline
        const lb::Json j = lb::Json::parse(split[1].toStdString());
        QCOMPARE(j["name"].get<std::string>(), std::string("memory_rss_bytes"));
        QCOMPARE(j["value"].get<double>(), 1e9);
        QCOMPARE(j["step"].get<int>(), 3);
        QCOMPARE(j["node"].get<std::string>(), std::string("n\"1"));
        QCOMPARE(j["time"].get<std::string>(), std::string("2026-01-02T03:04:05.678Z"));
        QCOMPARE(lb::sysmon::safeFileName("../n1/x"), std::string(".._n1_x"));
    }

    // The program: samples until its tree is gone, names the file after the node.
    void samplerWritesUntilTheTreeIsGone() {
        QTemporaryDir dir;
        QProcess child;
        child.start(QStringLiteral("sleep"), {QStringLiteral("1.5")});
        QVERIFY(child.waitForStarted());
        QProcess sampler;
        sampler.start(kSampler,
                      {QStringLiteral("--pid"), QString::number(child.processId()),
                       QStringLiteral("--out-dir"), dir.filePath(QStringLiteral("system")),
                       QStringLiteral("--node"), QStringLiteral("n9"), QStringLiteral("--interval"),
                       QStringLiteral("0.2"), QStringLiteral("--gpus"), QStringLiteral("none")});
        QVERIFY2(sampler.waitForStarted(), qPrintable(kSampler));
        QVERIFY(child.waitForFinished());
        QElapsedTimer t;
        t.start();
        QVERIFY2(sampler.waitForFinished(5000), "the sampler must end once its tree is gone");
        QVERIFY(t.elapsed() < 3000);
        QCOMPARE(sampler.exitCode(), 0);
        QVERIFY2(sampler.readAllStandardError().contains("of a core"), "it reports its own cost");
        QFile f(dir.filePath(QStringLiteral("system/n9.jsonl")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        int memory = 0, cpu = 0;
        for (const QByteArray& line : f.readAll().split('\n')) {
            if (line.isEmpty()) continue;
            const lb::Json j = lb::Json::parse(line.toStdString());
            QCOMPARE(j["node"].get<std::string>(), std::string("n9"));
            memory += j["name"] == "memory_rss_bytes";
            cpu += j["name"] == "cpu_percent";
        }
        QVERIFY2(memory >= 3, qPrintable(QString::number(memory)));
        QVERIFY2(cpu >= memory - 1, "a CPU figure in each sample, the first one too where it can");
    }

    void samplerStopsOnSigtermWithALastSample() {
        QTemporaryDir dir;
        QProcess child;
        child.start(QStringLiteral("sleep"), {QStringLiteral("30")});
        QVERIFY(child.waitForStarted());
        QProcess sampler;
        sampler.start(kSampler,
                      {QStringLiteral("--pid"), QString::number(child.processId()),
                       QStringLiteral("--out-dir"), dir.path(), QStringLiteral("--node"),
                       QStringLiteral("n1"), QStringLiteral("--interval"), QStringLiteral("60")});
        QVERIFY(sampler.waitForStarted());
        const QString file = dir.filePath(QStringLiteral("n1.jsonl"));
        QElapsedTimer t;
        t.start();
        while (QFileInfo(file).size() == 0 && t.elapsed() < 5000)
            QThread::msleep(20);
        const qint64 before = QFileInfo(file).size();
        QVERIFY(before > 0); // the first sample is taken at once
        ::kill(pid_t(sampler.processId()), SIGTERM);
        QVERIFY2(sampler.waitForFinished(3000), "SIGTERM ends it at once, not after the interval");
        QVERIFY2(QFileInfo(file).size() > before, "one last sample on the way out");
        child.kill();
        child.waitForFinished();
    }

    void badArgumentsSayWhat() {
        QProcess sampler;
        sampler.start(kSampler, {QStringLiteral("--out-dir"), QStringLiteral("/tmp")});
        QVERIFY(sampler.waitForFinished());
        QCOMPARE(sampler.exitCode(), 2);
        QVERIFY(sampler.readAllStandardError().contains("--pid needs"));
        sampler.start(kSampler, {QStringLiteral("--version")});
        QVERIFY(sampler.waitForFinished());
        QCOMPARE(sampler.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(SysmonTest)
#include "tst_sysmon.moc"
