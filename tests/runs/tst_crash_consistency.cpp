// Crash consistency (#20 item 6): three local runs write metrics as fast as they can; their
// supervisors are killed with SIGKILL at random moments, then the workbench (the GUI, which
// reconciles abandoned runs on opening) is killed with SIGKILL at a random moment while it
// finishes them, and started again. Every metric line the scripts completed must end up in the
// store exactly once: nothing lost, nothing repeated.
//
// LABBENCH_CRASH_ROUNDS (default 5; the note runs 50) and LABBENCH_CRASH_SEED (default:
// the clock, printed so a failing round can be replayed) steer it.
#include "RunTestSupport.h"

#include "core/store/Store.h"
#include "core/workspace/Workspace.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>

#include <csignal>
#include <sys/types.h>

using namespace lbtest;

namespace {

// Logs "seq" = i at step i through the labbench package (one O_APPEND write per line), as fast
// as Python goes, until it is killed.
const QByteArray kWriterScript = "import labbench\n"
                                 "i = 0\n"
                                 "while True:\n"
                                 "    labbench.log('seq', i, step=i)\n"
                                 "    i += 1\n";

pid_t supervisorOf(const QString& runId) {
    for (const QString& pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        const QByteArray cmd = readFile(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (cmd.contains("labbench-supervisor") && cmd.contains(runId.toUtf8()))
            return pid.toInt();
    }
    return 0;
}

// The steps of the complete, well-formed "seq" lines of a metrics file: what the script wrote.
QList<qint64> stepsWritten(const QString& metricsFile) {
    QList<qint64> steps;
    const QByteArray data = readFile(metricsFile);
    const QList<QByteArray> lines = data.split('\n');
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) { // the part after the last newline is partial
        try {
            const lb::Json j = lb::Json::parse(lines[i].toStdString());
            if (j.value("name", std::string()) == "seq")
                steps.append(j["step"].get<qint64>());
        } catch (const std::exception&) {
        }
    }
    return steps;
}

} // namespace

class CrashConsistency : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    QString ws, src;
    QRandomGenerator random;
    int roundsPassed = 0, killedMidway = 0;
    QStringList allRunDirs;
    qint64 linesChecked = 0;

    QProcess* startWorkbench() {
        auto* gui = new QProcess(this);
        gui->setProgram(labbenchBinary());
        gui->setArguments({QStringLiteral("--workspace"), ws});
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("HOME"), tmp.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), tmp.filePath(QStringLiteral("home/.config")));
        gui->setProcessEnvironment(env);
        gui->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        gui->start();
        return gui;
    }

    static void killHard(QProcess* p) {
        if (p->state() != QProcess::NotRunning)
            ::kill(static_cast<pid_t>(p->processId()), SIGKILL);
        p->waitForFinished(10000);
        p->deleteLater();
    }

    static qint64 pointsStored(const QString& workspace, const QStringList& ids) {
        lb::Workspace w = lb::Workspace::open(workspace);
        qint64 n = 0;
        for (const QString& id : ids)
            n += w.store().metrics().count(id);
        return n;
    }

    static bool allEnded(const QString& workspace, const QStringList& ids) {
        lb::Workspace w = lb::Workspace::open(workspace);
        for (const QString& id : ids) {
            const auto run = w.store().runs().find(id);
            if (!run || !lb::isTerminal(run->status))
                return false;
        }
        return true;
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp.isValid());
        ws = tmp.filePath(QStringLiteral("ws"));
        const CliResult r = runCli(tmp.path(), {QStringLiteral("workspace"), QStringLiteral("init"), ws});
        QVERIFY2(r.code == 0, r.err.constData());
        // Three runs at once: the default local target runs one at a time.
        const CliResult target = runCli(ws, {QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("local"),
                                             QStringLiteral("three"), QStringLiteral("--max-concurrent"),
                                             QStringLiteral("3")});
        QVERIFY2(target.code == 0, target.err.constData());
        src = tmp.filePath(QStringLiteral("src"));
        writeFile(src + QStringLiteral("/writer.py"), kWriterScript);
        const quint32 seed = qEnvironmentVariableIsSet("LABBENCH_CRASH_SEED")
                                 ? quint32(qEnvironmentVariableIntValue("LABBENCH_CRASH_SEED"))
                                 : quint32(QDateTime::currentMSecsSinceEpoch());
        qInfo("LABBENCH_CRASH_SEED=%u", seed);
        random.seed(seed);
    }

    // One row per round, so that each round has QtTest's whole per-function time (5 minutes)
    // and 50 rounds on a loaded machine do not trip the watchdog.
    void everyLineOnceAfterSupervisorAndWorkbenchKills_data() {
        QTest::addColumn<int>("round");
        const int rounds = qEnvironmentVariableIsSet("LABBENCH_CRASH_ROUNDS")
                               ? qEnvironmentVariableIntValue("LABBENCH_CRASH_ROUNDS")
                               : 5;
        for (int round = 1; round <= rounds; ++round)
            QTest::addRow("round %d", round) << round;
    }

    void everyLineOnceAfterSupervisorAndWorkbenchKills() {
        QFETCH(int, round);
        {
            QStringList ids;
            for (int i = 0; i < 3; ++i) {
                const CliResult r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src,
                                                QStringLiteral("--entry"), QStringLiteral("writer.py"),
                                                QStringLiteral("--experiment"), QStringLiteral("crash"),
                                                QStringLiteral("--compute"), QStringLiteral("three")});
                QVERIFY2(r.code == 0, r.err.constData());
                ids.append(r.firstLine());
            }
            QStringList runDirs;
            {
                lb::Workspace w = lb::Workspace::open(ws);
                for (const QString& id : ids)
                    runDirs.append(w.store().runs().find(id)->runDir);
                allRunDirs += runDirs;
            }
            // Let every script get going, then kill each supervisor at its own random moment.
            for (const QString& dir : runDirs)
                QVERIFY2(waitFor([&] { return QFileInfo(dir + QStringLiteral("/metrics.jsonl")).size() > 20000; },
                                 30000),
                         qPrintable(dir));
            for (const QString& id : ids) {
                QThread::msleep(random.bounded(400));
                const pid_t supervisor = supervisorOf(id);
                QVERIFY2(supervisor > 0, qPrintable(id));
                ::kill(supervisor, SIGKILL);
            }
            // The scripts keep writing with nobody ingesting; then the workbench opens, starts
            // finishing the abandoned runs and is killed at a random moment of that.
            QThread::msleep(500 + random.bounded(1500));
            const qint64 storedBefore = pointsStored(ws, ids);
            // The kill must land while the workbench ingests: once it has stored its first
            // points, within a random moment of that (a fixed delay killed it before it had
            // stored anything on a loaded machine, round after round).
            QProcess* gui = startWorkbench();
            QVERIFY(gui->waitForStarted(10000));
            QVERIFY2(waitFor([&] { return pointsStored(ws, ids) > storedBefore; }, 60000),
                     "the workbench never began finishing the abandoned runs");
            QThread::msleep(random.bounded(300));
            killHard(gui);
            const qint64 storedByFirst = pointsStored(ws, ids) - storedBefore;
            QVERIFY(storedByFirst > 0);
            int endedBeforeKill = 0;
            {
                lb::Workspace w = lb::Workspace::open(ws);
                for (const QString& id : ids)
                    endedBeforeKill += lb::isTerminal(w.store().runs().find(id)->status) ? 1 : 0;
            }
            gui = startWorkbench();
            QVERIFY(gui->waitForStarted(10000));
            const bool ended = waitFor([&] { return allEnded(ws, ids); }, 60000);
            killHard(gui);
            QVERIFY2(ended, qPrintable(QStringLiteral("round %1: the workbench did not finish the runs").arg(round)));

            lb::Workspace w = lb::Workspace::open(ws);
            qint64 roundLines = 0;
            for (int i = 0; i < ids.size(); ++i) {
                const auto run = w.store().runs().find(ids[i]);
                QVERIFY2(run->status == lb::RunStatus::Failed, qPrintable(lb::toString(run->status)));
                QVERIFY2(run->reason.contains(QLatin1String("supervisor vanished")), qPrintable(run->reason));
                const QList<qint64> written = stepsWritten(runDirs[i] + QStringLiteral("/metrics.jsonl"));
                QVERIFY(written.size() > 1000);
                QList<qint64> stored;
                for (const lb::MetricPoint& p : w.store().metrics().series(ids[i], QStringLiteral("seq")))
                    stored.append(p.step);
                const QString where = QStringLiteral("round %1, run %2: %3 lines written, %4 points stored")
                                          .arg(round)
                                          .arg(ids[i])
                                          .arg(written.size())
                                          .arg(stored.size());
                QVERIFY2(stored.size() == written.size(), qPrintable(where));
                QVERIFY2(QSet<qint64>(stored.begin(), stored.end()).size() == stored.size(), qPrintable(where));
                std::sort(stored.begin(), stored.end());
                QList<qint64> expected = written;
                std::sort(expected.begin(), expected.end());
                QVERIFY2(stored == expected, qPrintable(where));
                linesChecked += written.size();
                roundLines += written.size();
            }
            qInfo("round %d: %lld lines; the first workbench stored %lld points and finished %d of 3 runs before "
                  "it was killed",
                  round, roundLines, storedByFirst, endedBeforeKill);
            ++roundsPassed;
            killedMidway += endedBeforeKill < 3 ? 1 : 0;
        }
    }

    // A round that fails leaves scripts whose supervisors this test killed and whose runs no
    // workbench finished: they would write for ever (three of them once burned 1.5 cores for
    // half an hour after a failed run). Stop every writer this test started.
    void cleanup() {
        for (const QString& dir : std::as_const(allRunDirs)) {
            const lb::Json p = lb::Json::parse(readFile(dir + QStringLiteral("/process.json")).toStdString(),
                                               nullptr, false);
            const int pid = p.is_object() ? p.value("pid", 0) : 0;
            if (pid > 0 && readFile(QStringLiteral("/proc/%1/cmdline").arg(pid)).contains("writer.py"))
                ::kill(-pid, SIGKILL); // the script's whole group
        }
    }

    void cleanupTestCase() {
        qInfo("%d rounds passed (%d with the workbench killed before it finished all 3 runs), %lld "
              "metric lines checked, each stored exactly once",
              roundsPassed, killedMidway, linesChecked);
    }
};

QTEST_GUILESS_MAIN(CrashConsistency)
#include "tst_crash_consistency.moc"
