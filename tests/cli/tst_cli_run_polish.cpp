// What a demanding user found at the command line (#23), through the real labbench binary:
// metrics print the shortest text that reads back (item 15), a run's history is in order in
// `runs show` and in the store (item 7), the built-in trainer takes no snapshot of the current
// folder while a large generic snapshot warns (item 4), and `labbench nope.py` opens the window
// with the error shown instead of a line on stderr (item 8).
#include "tests/support/CliRunner.h"
#include "core/store/Store.h"
#include "core/util/Json.h"
#include "core/util/Time.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

namespace {

QString qs(const char* s) { return QString::fromUtf8(s); }

void writeFile(const QString& path, const QByteArray& data) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(data);
}

lb::Json parse(const QByteArray& out) { return lb::Json::parse(out.toStdString()); }

QString firstLine(const QByteArray& out) {
    return QString::fromUtf8(out).section(QLatin1Char('\n'), 0, 0).trimmed();
}

} // namespace

class CliRunPolish : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString ws_;

    CliResult cli(const QStringList& args, const QString& cwd = {}, int timeoutMs = 120000) {
        return runLabbench(QStringList{qs("--workspace"), ws_} + args, cwd,
                           QProcessEnvironment::systemEnvironment(), timeoutMs);
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        ws_ = tmp_.filePath(qs("ws"));
        QCOMPARE(runLabbench({qs("workspace"), qs("init"), ws_}).exitCode, 0);
    }

    // #23 item 15: 0.179067235 was printed as 0.17906723499999999.
    void metricsPrintShortestRoundTrip() {
        const QString src = tmp_.filePath(qs("metrics"));
        writeFile(src + qs("/train.py"),
                  "import labbench\n"
                  "labbench.log('loss', 0.179067235)\n"
                  "labbench.log('lr', 0.1)\n"
                  "labbench.log('big', 126000.0)\n");
        const CliResult run = cli({qs("submit"), qs("--source"), src, qs("--entry"), qs("train.py"), qs("--wait")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString id = firstLine(run.out);
        const CliResult table = cli({qs("metrics"), id});
        QCOMPARE(table.exitCode, 0);
        QVERIFY2(table.out.contains(" 0.179067235\n"), table.out.constData());
        QVERIFY2(table.out.contains(" 0.1\n"), table.out.constData());
        QVERIFY2(table.out.contains(" 126000\n"), table.out.constData());
        QVERIFY2(!table.out.contains("99999"), table.out.constData());
        const CliResult csv = cli({qs("metrics"), id, qs("--csv")});
        QCOMPARE(csv.exitCode, 0);
        QVERIFY2(csv.out.contains("loss,0,0.179067235,"), csv.out.constData());
        // What is printed reads back to exactly the stored double.
        for (const QByteArray& line : csv.out.split('\n')) {
            if (!line.startsWith("loss,"))
                continue;
            QCOMPARE(line.split(',').at(2).toDouble(), 0.179067235);
        }
    }

    // #23 item 7: "Completed" was stamped 1 ms before "Finalizing".
    void runsShowHistoryIsInOrder() {
        const QString src = tmp_.filePath(qs("order"));
        writeFile(src + qs("/train.py"), "print('quick')\n");
        for (int i = 0; i < 3; ++i) {
            const CliResult run = cli({qs("submit"), qs("--source"), src, qs("--entry"), qs("train.py"), qs("--wait")});
            QVERIFY2(run.exitCode == 0, run.err.constData());
            const CliResult show = cli({qs("runs"), qs("show"), firstLine(run.out), qs("--json")});
            QCOMPARE(show.exitCode, 0);
            const lb::Json history = parse(show.out)["history"];
            QStringList states;
            QDateTime previous;
            for (const lb::Json& h : history) {
                states << QString::fromStdString(h["status"].get<std::string>());
                const QDateTime at = lb::parseIsoTime(QString::fromStdString(h["time"].get<std::string>()));
                QVERIFY(at.isValid());
                if (previous.isValid())
                    QVERIFY2(at >= previous, show.out.constData());
                previous = at;
            }
            QCOMPARE(states.mid(states.size() - 2), (QStringList{qs("Finalizing"), qs("Completed")}));
            // The text form lists the same order.
            const CliResult text = cli({qs("runs"), qs("show"), firstLine(run.out)});
            const QByteArray listed = text.out.mid(text.out.indexOf("History:")); // after "Status:"
            QVERIFY2(listed.indexOf("Finalizing") >= 0 && listed.indexOf("Finalizing") < listed.indexOf("Completed"),
                     text.out.constData());
        }
    }

    // The store itself never stamps a move before the one it follows, whatever time it is given.
    void storeKeepsHistoryInOrderWhenGivenAnEarlierTime() {
        lb::Store store(tmp_.filePath(qs("order.db")));
        lb::RunRecord r;
        r.id = qs("r1");
        r.experiment = qs("e");
        r.computeTarget = qs("local");
        r.runDir = tmp_.filePath(qs("r1"));
        store.runs().create(r);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(store.runs().transition(r.id, lb::RunStatus::Preparing, {}, now));
        QVERIFY(store.runs().transition(r.id, lb::RunStatus::Running, {}, now));
        QVERIFY(store.runs().transition(r.id, lb::RunStatus::Finalizing, {}, now.addMSecs(5)));
        QVERIFY(store.runs().transition(r.id, lb::RunStatus::Completed, {}, now.addMSecs(4)));
        const QList<lb::StateChange> history = store.runs().history(r.id);
        QCOMPARE(history.size(), 5);
        for (qsizetype i = 1; i < history.size(); ++i)
            QVERIFY(history[i].time >= history[i - 1].time);
        QVERIFY(history.back().status == lb::RunStatus::Completed);
    }

    // #23 item 4: the built-in trainer copied 146 MB of the current folder, whose logs/ then
    // showed up as the run's logs.
    void builtinMnistTakesNoSnapshot() {
        QVERIFY2(QFileInfo(qs(LABBENCH_BIN_DIR "/labbench-train")).isExecutable(),
                 "labbench-train must be built beside labbench");
        const QString cwd = tmp_.filePath(qs("unrelated"));
        writeFile(cwd + qs("/logs/old.log"), "not this run's log\n");
        writeFile(cwd + qs("/data.bin"), QByteArray(1024 * 1024, 'x'));
        const CliResult run = cli({qs("submit"), qs("--framework"), qs("builtin-mnist"), qs("--wait"), qs("--"),
                                  qs("--epochs"), qs("1"), qs("--hidden"), qs("16"), qs("--threads"), qs("1")},
                                 cwd, 240000);
        QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
        const QString id = firstLine(run.out);
        const lb::Json show = parse(cli({qs("runs"), qs("show"), id, qs("--json")}).out);
        const QString snapshot = QString::fromStdString(show["run_dir"].get<std::string>()) + qs("/snapshot");
        QVERIFY(QFileInfo(snapshot).isDir()); // the trainer's working folder is there
        QVERIFY(!QFileInfo::exists(snapshot + qs("/data.bin")));
        QVERIFY(!QFileInfo::exists(snapshot + qs("/logs/old.log")));
        const CliResult files = cli({qs("files"), id, qs("--json")});
        QVERIFY2(!files.out.contains("old.log"), files.out.constData());
        QVERIFY2(files.out.contains("outputs/model.npz"), files.out.constData());
        QVERIFY2(!run.err.contains("warning"), run.err.constData());
    }

    // #23 item 4: well below the 300 MB refusal, a big snapshot says what is big and how to
    // leave it out; a small one says nothing.
    void largeSnapshotWarnsNamingBiggestItemsAndIgnoreFile() {
        const QString src = tmp_.filePath(qs("big"));
        writeFile(src + qs("/train.py"), "print('ok')\n");
        for (int i = 0; i < 5001; ++i)
            writeFile(src + qs("/cache/f%1.txt").arg(i), "x");
        writeFile(src + qs("/weights.ckpt"), QByteArray(64 * 1024, 'w'));
        const CliResult run = cli({qs("submit"), qs("--source"), src, qs("--entry"), qs("train.py"), qs("--wait")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.err.contains("labbench: warning: The snapshot of"), run.err.constData());
        QVERIFY2(run.err.contains("5003 files"), run.err.constData());
        QVERIFY2(run.err.contains("weights.ckpt (64 KB)"), run.err.constData());
        QVERIFY2(run.err.contains("cache/ ("), run.err.constData());
        QVERIFY2(run.err.contains(".labbenchignore"), run.err.constData());

        const QString small = tmp_.filePath(qs("small"));
        writeFile(small + qs("/train.py"), "print('ok')\n");
        const CliResult quiet = cli({qs("submit"), qs("--source"), small, qs("--entry"), qs("train.py"), qs("--wait")});
        QVERIFY2(quiet.exitCode == 0, quiet.err.constData());
        QVERIFY2(!quiet.err.contains("warning"), quiet.err.constData());
    }

    // #23 item 8: from a launcher the stderr line was never seen; the window now opens and
    // shows the error. A bare mistyped command still fails at once (scripts must not hang).
    void missingFileOpensTheWindowWithTheError() {
        const QString state = tmp_.filePath(qs("state.json"));
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(qs("LABBENCH_UI_STATE_FILE"), state);
        env.insert(qs("QT_QPA_PLATFORM"), qs("offscreen"));
        QProcess app;
        app.setProcessEnvironment(env);
        app.setWorkingDirectory(tmp_.path());
        app.start(qs(LABBENCH_BIN_DIR "/labbench"), {qs("--workspace"), ws_, qs("nope.py")});
        QVERIFY(app.waitForStarted());
        lb::Json seen;
        const bool shown = QTest::qWaitFor(
            [&] {
                QFile f(state);
                if (!f.open(QIODevice::ReadOnly))
                    return false;
                seen = lb::Json::parse(f.readAll().toStdString(), nullptr, false);
                if (seen.is_discarded() || !seen.contains("message_boxes"))
                    return false;
                for (const lb::Json& box : seen["message_boxes"])
                    if (box.get<std::string>().find("nope.py") != std::string::npos)
                        return true;
                return false;
            },
            20000);
        const bool running = app.state() == QProcess::Running;
        app.kill();
        app.waitForFinished();
        QVERIFY2(running, app.readAllStandardError().constData());
        QVERIFY2(shown, seen.dump().c_str());
        QVERIFY2(seen["status_message"].get<std::string>().find("no such file") != std::string::npos,
                 seen.dump().c_str());

        const CliResult typo = runLabbench({qs("frobnicate")});
        QCOMPARE(typo.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(CliRunPolish)
#include "tst_cli_run_polish.moc"
