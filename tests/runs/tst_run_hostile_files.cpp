// Runs whose scripts turn on the workbench (#25), end to end through the real labbench binary
// and supervisor: FIFOs in place of metrics.jsonl and driver.log, helper daemons started with
// setsid, and a sparse output downloaded with its holes kept.

#include "core/lifecycle/Cgroup.h"
#include "core/live/RunDownload.h"
#include "tests/runs/RunTestSupport.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

using namespace lbtest;

namespace {

constexpr int kPromptMs = 15000; // a command blocked on a FIFO would sit here until killed

// Alive and not a zombie (a zombie has finished; only its parent's bookkeeping is left).
bool alive(pid_t pid) {
    const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
    const qsizetype close = stat.lastIndexOf(')');
    return close > 0 && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

bool isFifo(const QString& path) {
    struct stat st {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 && S_ISFIFO(st.st_mode);
}

std::int64_t blocksOf(const QString& path) {
    struct stat st {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? std::int64_t(st.st_blocks) : -1;
}

// Whether this machine lets this process make a cgroup v2 folder below its own, as the
// supervisor will try to.
bool cgroupsAvailable() {
    const auto probe =
        lb::Cgroup::createBelowOwn(QStringLiteral("labbench-probe-%1").arg(::getpid()));
    return probe && probe->remove();
}

// Replaces the run's metric stream (and, with `log`, its driver.log) by FIFOs: what the probe did.
const QByteArray kMakeFifos = "import os\n"
                              "def fifo(path):\n"
                              "    os.remove(path)\n"
                              "    os.mkfifo(path)\n"
                              "fifo(os.environ['LABBENCH_METRICS_FILE'])\n";

// Starts two daemons that leave the script's group and session: `setsid sleep`, and a classic
// double fork; writes their pids to outputs/daemons.txt.
const QByteArray kStartDaemons = "import os, subprocess, time\n"
                                 "os.makedirs('outputs', exist_ok=True)\n"
                                 "a = subprocess.Popen(['setsid', 'sleep', '300'])\n"
                                 "r, w = os.pipe()\n"
                                 "if os.fork() == 0:\n"
                                 "    os.setsid()\n"
                                 "    if os.fork() == 0:\n"
                                 "        os.write(w, str(os.getpid()).encode())\n"
                                 "        os.close(w)\n"
                                 "        time.sleep(300)\n"
                                 "        os._exit(0)\n"
                                 "    os._exit(0)\n"
                                 "os.close(w)\n"
                                 "b = int(os.read(r, 32))\n"
                                 "open('outputs/daemons.txt', 'w').write('%d %d' % (a.pid, b))\n"
                                 "print('daemons', a.pid, b, flush=True)\n";

} // namespace

class TestRunHostileFiles : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    QString ws;
    int counter = 0;
    QList<pid_t> daemons; // stopped at the end whatever happened, so no test leaves one behind

    QString source(const QByteArray& script) {
        const QString dir = tmp.filePath(QStringLiteral("src%1").arg(++counter));
        writeFile(dir + QStringLiteral("/s.py"), script);
        return dir;
    }

    CliResult cli(const QStringList& args, int timeoutMs = kPromptMs) {
        return runCli(ws, args, timeoutMs);
    }

    QString submit(const QByteArray& script) {
        const CliResult r =
            cli({QStringLiteral("submit"), QStringLiteral("--source"), source(script),
                 QStringLiteral("--entry"), QStringLiteral("s.py")});
        return r.code == 0 ? r.firstLine() : QString();
    }

    lb::Json show(const QString& id) {
        const CliResult r =
            cli({QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")});
        return r.code == 0 ? r.json() : lb::Json::object();
    }
    QString status(const QString& id) {
        return QString::fromStdString(show(id).value("status", std::string()));
    }
    QString runDir(const QString& id) {
        return QString::fromStdString(show(id).value("run_dir", std::string()));
    }

    // Every read-only command answers at once, with exit 0.
    void readersAnswerPromptly(const QString& id) {
        for (const QStringList& command :
             {QStringList{QStringLiteral("runs"), QStringLiteral("list")},
              QStringList{QStringLiteral("runs"), QStringLiteral("show"), id},
              QStringList{QStringLiteral("logs"), id}, QStringList{QStringLiteral("metrics"), id},
              QStringList{QStringLiteral("files"), id},
              QStringList{QStringLiteral("sdk"), QStringLiteral("metrics"), id}}) {
            QElapsedTimer clock;
            clock.start();
            const CliResult r = cli(command);
            QVERIFY2(r.code == 0, qPrintable(command.join(QLatin1Char(' ')) + QStringLiteral(": ") +
                                             QString::fromUtf8(r.err)));
            QVERIFY(clock.elapsed() < kPromptMs);
        }
    }

    QList<pid_t> daemonsOf(const QString& dir) {
        QList<pid_t> pids;
        for (const QByteArray& p :
             readFile(dir + QStringLiteral("/snapshot/outputs/daemons.txt")).split(' '))
            if (p.toInt() > 0) pids.append(p.toInt());
        daemons += pids;
        return pids;
    }

    static pid_t supervisorOf(const QString& id) {
        for (const QString& pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
            const QByteArray cmd = readFile(QStringLiteral("/proc/%1/cmdline").arg(pid));
            if (cmd.contains("labbench-supervisor") && cmd.contains(id.toUtf8()))
                return pid.toInt();
        }
        return 0;
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp.isValid());
        ws = tmp.filePath(QStringLiteral("ws"));
        const CliResult r =
            runCli(tmp.path(), {QStringLiteral("workspace"), QStringLiteral("init"), ws});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    void cleanupTestCase() {
        for (const pid_t pid : daemons)
            if (alive(pid)) ::kill(pid, SIGKILL);
    }

    void fifosForMetricsAndLogLetTheRunFinish() { // #25
        const QString src =
            source(kMakeFifos + "fifo(os.path.join(os.environ['LABBENCH_RUN_DIR'], 'driver.log'))\n"
                                "print('both streams are FIFOs now', flush=True)\n"
                                "raise SystemExit(3)\n");
        QElapsedTimer clock;
        clock.start();
        const CliResult r =
            cli({QStringLiteral("submit"), QStringLiteral("--source"), src,
                 QStringLiteral("--entry"), QStringLiteral("s.py"), QStringLiteral("--wait")});
        QVERIFY2(r.code == 3, r.err.constData()); // the script's own exit code, not a timeout
        QVERIFY(clock.elapsed() < kPromptMs);
        const QString id = r.firstLine();
        const QString dir = runDir(id);
        QVERIFY(isFifo(dir + QStringLiteral("/metrics.jsonl")) &&
                isFifo(dir + QStringLiteral("/driver.log")));
        QCOMPARE(status(id), QStringLiteral("Failed"));
        QVERIFY(QString::fromStdString(show(id)["reason"]).contains(QLatin1String("code 3")));
        readersAnswerPromptly(id);
    }

    void cancelWorksWhileMetricsIsAFifo() { // #25
        const QString id =
            submit(kMakeFifos + "import time\nprint('waiting', flush=True)\ntime.sleep(300)\n");
        QVERIFY(!id.isEmpty());
        const QString dir = runDir(id);
        QVERIFY(waitFor([&] { return isFifo(dir + QStringLiteral("/metrics.jsonl")); }, kPromptMs));
        QThread::msleep(300); // the supervisor has met the FIFO a few polls over
        QElapsedTimer clock;
        clock.start();
        const CliResult c = cli({QStringLiteral("cancel"), id});
        QVERIFY2(c.code == 0, c.err.constData()); // not "has not stopped yet"
        QVERIFY(clock.elapsed() < kPromptMs);
        QCOMPARE(status(id), QStringLiteral("Canceled"));
        readersAnswerPromptly(id);
    }

    void aRunWithAFifoWhoseSupervisorDiedIsFinishedByTheNextCommand() { // #25
        const QString id = submit(kMakeFifos + kStartDaemons + "time.sleep(300)\n");
        QVERIFY(!id.isEmpty());
        const QString dir = runDir(id);
        QVERIFY(waitFor(
            [&] {
                return !readFile(dir + QStringLiteral("/snapshot/outputs/daemons.txt")).isEmpty();
            },
            kPromptMs));
        const QList<pid_t> started = daemonsOf(dir);
        QCOMPARE(started.size(), 2);
        const pid_t supervisor = supervisorOf(id);
        QVERIFY(supervisor > 0);
        ::kill(supervisor, SIGKILL);
        QVERIFY(waitFor([&] { return !alive(supervisor); }, 5000));
        readersAnswerPromptly(id); // the first of them finishes the run
        QCOMPARE(status(id), QStringLiteral("Failed"));
        const QString reason = QString::fromStdString(show(id)["reason"]);
        QVERIFY2(reason.contains(QLatin1String("supervisor vanished")), qPrintable(reason));
        // The daemons were in the run's cgroup, which the finishing command stopped. Without
        // cgroups nothing can reach them once their supervisor is gone (RunProcesses.h).
        if (cgroupsAvailable()) {
            QVERIFY2(reason.contains(QLatin1String("left in the run's cgroup were stopped")),
                     qPrintable(reason));
            for (const pid_t pid : started)
                QVERIFY2(waitFor([&] { return !alive(pid); }, 5000),
                         qPrintable(QString::number(pid)));
        }
    }

    void aSetsidDaemonIsGoneWhenItsRunEnds_data() {
        QTest::addColumn<bool>("cgroup");
        QTest::newRow("cgroup where the machine allows one") << true;
        QTest::newRow("fallback: process tree and session") << false;
    }

    void aSetsidDaemonIsGoneWhenItsRunEnds() { // #25
        QFETCH(bool, cgroup);
        if (!cgroup)
            qputenv("LABBENCH_RUN_CGROUP", "0"); // the supervisor inherits it through the CLI
        const auto restore = qScopeGuard([] { qunsetenv("LABBENCH_RUN_CGROUP"); });
        const CliResult r =
            cli({QStringLiteral("submit"), QStringLiteral("--source"), source(kStartDaemons),
                 QStringLiteral("--entry"), QStringLiteral("s.py"), QStringLiteral("--wait")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString id = r.firstLine();
        const QString dir = runDir(id);
        const QList<pid_t> started = daemonsOf(dir);
        QCOMPARE(started.size(), 2);
        for (const pid_t pid : started)
            QVERIFY2(waitFor([&] { return !alive(pid); }, 5000),
                     qPrintable(QStringLiteral("daemon %1 outlived its run").arg(pid)));
        const QByteArray log = readFile(dir + QStringLiteral("/driver.log"));
        QVERIFY2(log.contains("labbench: stopped 2 process(es) that the script left running"),
                 log.constData());
        const lb::Json process =
            lb::Json::parse(readFile(dir + QStringLiteral("/process.json")).toStdString());
        if (cgroup && cgroupsAvailable()) {
            const QString path = QString::fromStdString(process.value("cgroup", std::string()));
            QVERIFY2(path.endsWith(QStringLiteral("/labbench-") + id + QLatin1Char('-') +
                                   QString::number(process["session"].get<int>())),
                     qPrintable(path));
            QVERIFY(!QFileInfo::exists(path)); // removed once empty
        } else {
            QVERIFY(!process.contains("cgroup"));
        }
    }

    void aSparseOutputIsDownloadedWithItsHoles() { // #25
        // 1 GiB that holds 8 bytes of data.
        const CliResult r =
            cli({QStringLiteral("submit"), QStringLiteral("--source"),
                 source("import os\n"
                        "os.makedirs('outputs', exist_ok=True)\n"
                        "with open('outputs/sparse.bin', 'wb') as f:\n"
                        "    f.write(b'head')\n"
                        "    f.seek((1 << 30) - 4)\n"
                        "    f.write(b'tail')\n"),
                 QStringLiteral("--entry"), QStringLiteral("s.py"), QStringLiteral("--wait")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString id = r.firstLine();
        const QString output = runDir(id) + QStringLiteral("/snapshot/outputs/sparse.bin");
        const std::int64_t sourceBlocks = blocksOf(output);
        QVERIFY(sourceBlocks >= 0 && sourceBlocks < 1024);

        const QString to = tmp.filePath(QStringLiteral("download"));
        const CliResult d = cli({QStringLiteral("download"), id, QStringLiteral("--to"), to});
        QVERIFY2(d.code == 0, d.err.constData());
        const QString cliCopy = to + QStringLiteral("/outputs/sparse.bin");
        // The download in the GUI goes through the same copy.
        const QString guiCopy = tmp.filePath(QStringLiteral("gui-sparse.bin"));
        lb::runDownload(lb::planDownload(runDir(id) + QStringLiteral("/snapshot"),
                                         QStringLiteral("outputs/sparse.bin"), guiCopy),
                        {});
        for (const QString& copy : {cliCopy, guiCopy}) {
            QCOMPARE(QFileInfo(copy).size(), std::int64_t{1} << 30);
            QFile f(copy);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.read(4), QByteArray("head"));
            QVERIFY(f.seek((std::int64_t{1} << 30) - 4));
            QCOMPARE(f.read(4), QByteArray("tail"));
            qInfo("%s: %lld blocks (source %lld; a full copy takes 2097152)", qPrintable(copy),
                  qlonglong(blocksOf(copy)), qlonglong(sourceBlocks));
            QVERIFY2(blocksOf(copy) <= sourceBlocks + 64,
                     "the download filled the holes with zeros");
        }
    }
};

QTEST_GUILESS_MAIN(TestRunHostileFiles)
#include "tst_run_hostile_files.moc"
