// `labbench runs resume` (#20 item 2) through the real CLI, supervisor and scripts: a Canceled
// Python run and a canceled labbench-train run go on from their last checkpoint under the same
// id; what the dead attempt logged after that checkpoint is superseded (hidden, shown with
// --all-attempts); the trainer's final weights equal a straight run's; `workspace repair`
// rebuilds the same attempts and superseded flags from the run folder.

#include "tests/runs/RunTestSupport.h"

#include <QTemporaryDir>

using namespace lbtest;

namespace {

QString s(const lb::Json& j) { return QString::fromStdString(j.get<std::string>()); }

// The metric points of `name` in the order `metrics --json` gives them.
std::vector<lb::Json> pointsOf(const lb::Json& metrics, const std::string& name) {
    std::vector<lb::Json> out;
    for (const auto& p : metrics)
        if (p["name"] == name)
            out.push_back(p);
    return out;
}

} // namespace

class TestRunResume : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    QString ws;

    CliResult cli(const QStringList& args, int timeoutMs = 60000) { return runCli(ws, args, timeoutMs); }
    lb::Json show(const QString& id) {
        return cli({QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")}).json();
    }
    lb::Json metrics(const QString& id, bool allAttempts = false) {
        QStringList args{QStringLiteral("metrics"), id, QStringLiteral("--json")};
        if (allAttempts)
            args << QStringLiteral("--all-attempts");
        return cli(args).json();
    }
    QString metricsFile(const QString& id) const { return ws + QStringLiteral("/runs/") + id + QStringLiteral("/metrics.jsonl"); }

    QString pythonRun;  // canceled after a checkpoint, resumed (set by the first test)
    QString trainerRun; // the same for labbench-train

private slots:
    void initTestCase() {
        QVERIFY(tmp.isValid());
        ws = tmp.filePath(QStringLiteral("ws"));
        QCOMPARE(runCli(tmp.path(), {QStringLiteral("workspace"), QStringLiteral("init"), ws}).code, 0);
    }

    void pythonRunResumesFromItsCheckpoint() {
        const QString src = tmp.filePath(QStringLiteral("py"));
        writeFile(src + QStringLiteral("/resume.py"), R"(import os, sys, time
import labbench
attempt = int(os.environ.get("LABBENCH_ATTEMPT", "1"))
print("attempt", attempt, "resume", labbench.resume_checkpoint(), flush=True)
if attempt == 1:
    for v in (10, 11, 12):
        labbench.log("x", v)              # steps 0, 1, 2
    path = os.path.join(labbench.checkpoint_dir(), "state.txt")
    with open(path + ".tmp", "w") as f:
        f.write("3")
    os.replace(path + ".tmp", path)
    labbench.checkpoint_saved(path, step=3)
    for v in (13, 14):
        labbench.log("x", v)              # steps 3, 4: superseded by attempt 2
    labbench.log("lost", 1)               # a series begun after the checkpoint
    time.sleep(120)                       # canceled here
else:
    with open(labbench.resume_checkpoint()) as f:
        assert f.read() == "3"
    for v in (23, 24):
        labbench.log("x", v)              # steps 3, 4 again, kept from the checkpoint on
)");
        CliResult r = cli({QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"),
                           QStringLiteral("resume.py"), QStringLiteral("--python"), QStringLiteral("/usr/bin/python3")});
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QString id = r.firstLine();
        QVERIFY2(waitFor([&] { return readFile(metricsFile(id)).contains("\"lost\""); }, 60000),
                 readFile(metricsFile(id)).constData());

        // A run still going cannot be resumed; neither can one that does not exist.
        r = cli({QStringLiteral("runs"), QStringLiteral("resume"), id});
        QVERIFY2(r.code != 0 && r.err.contains("only a Failed, Canceled or Preempted run can be resumed"),
                 (r.out + r.err).constData());
        r = cli({QStringLiteral("runs"), QStringLiteral("resume"), QStringLiteral("no-such-run")});
        QVERIFY2(r.code != 0 && r.err.contains("There is no run 'no-such-run'"), (r.out + r.err).constData());

        r = cli({QStringLiteral("cancel"), id});
        QVERIFY2(r.code == 0 && r.out.contains("Canceled"), (r.out + r.err).constData());
        // Canceled: what it logged is all shown, as before any resume.
        QCOMPARE(pointsOf(metrics(id), "x").size(), size_t(5));

        r = cli({QStringLiteral("runs"), QStringLiteral("resume"), id, QStringLiteral("--wait")});
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        QVERIFY2(r.out.startsWith((id + QStringLiteral(" attempt 2 ")).toUtf8()), r.out.constData());
        QVERIFY2(r.out.contains(id.toUtf8() + " Completed"), r.out.constData());
        QVERIFY2(r.err.contains("resuming from ") && r.err.contains("/checkpoints/state.txt"), r.err.constData());

        // One id, one set of points: x from the checkpoint on comes from attempt 2.
        const lb::Json kept = metrics(id);
        std::vector<double> values;
        std::vector<int> steps;
        for (const auto& p : pointsOf(kept, "x")) {
            values.push_back(p["value"].get<double>());
            steps.push_back(p["step"].get<int>());
        }
        QCOMPARE(values, (std::vector<double>{10, 11, 12, 23, 24}));
        QCOMPARE(steps, (std::vector<int>{0, 1, 2, 3, 4}));
        QVERIFY2(pointsOf(kept, "lost").empty(), kept.dump().c_str());

        const lb::Json all = metrics(id, true);
        int superseded = 0;
        for (const auto& p : all) {
            if (!p["superseded"].get<bool>())
                continue;
            ++superseded;
            QCOMPARE(p["attempt"].get<int>(), 1);
            QVERIFY2(p["name"] == "lost" || p["value"].get<double>() >= 13, p.dump().c_str());
        }
        QCOMPARE(superseded, 3); // x 13, x 14, lost 1
        QCOMPARE(all.size(), size_t(8));
        for (const auto& p : pointsOf(all, "x"))
            if (p["value"].get<double>() > 20)
                QCOMPARE(p["attempt"].get<int>(), 2);

        const lb::Json run = show(id);
        QCOMPARE(s(run["status"]), QStringLiteral("Completed"));
        QCOMPARE(run["metric_points"].get<int>(), 5);
        const lb::Json& attempts = run["attempts"];
        QCOMPARE(attempts.size(), size_t(2));
        QCOMPARE(s(attempts[0]["status"]), QStringLiteral("Canceled"));
        QVERIFY(attempts[0]["resumed_from"].is_null());
        QCOMPARE(s(attempts[1]["status"]), QStringLiteral("Completed"));
        QCOMPARE(s(attempts[1]["reason"]), QStringLiteral("resume"));
        QVERIFY2(s(attempts[1]["resumed_from"]).endsWith(QStringLiteral("/snapshot/checkpoints/state.txt")),
                 run.dump().c_str());
        QCOMPARE(attempts[1]["resume_step"].get<int>(), 3);
        QVERIFY(s(attempts[0]["ended"]) <= s(attempts[1]["started"]));
        // The history keeps both attempts: ... Canceled, Queued (the resume), ..., Completed.
        QStringList states;
        for (const auto& h : run["history"])
            states << s(h["status"]);
        const qsizetype canceled = states.indexOf(QStringLiteral("Canceled"));
        QVERIFY2(canceled > 0 && states.mid(canceled + 1, 2) == (QStringList{QStringLiteral("Queued"), QStringLiteral("Preparing")}) &&
                     states.last() == QStringLiteral("Completed"),
                 qPrintable(states.join(u',')));
        QVERIFY2(s(run["history"][int(canceled) + 1]["reason"]).contains(QStringLiteral("attempt 2 from checkpoint")),
                 run.dump().c_str());

        const CliResult log = cli({QStringLiteral("logs"), id});
        QVERIFY2(log.out.contains("attempt 1 resume None") && log.out.contains("attempt 2 resume /"), log.out.constData());
        const CliResult text = cli({QStringLiteral("runs"), QStringLiteral("show"), id});
        QVERIFY2(text.out.contains("Attempts:") && text.out.contains("from ") && text.out.contains("(step 3)"),
                 text.out.constData());

        // Completed now: there is nothing to resume.
        r = cli({QStringLiteral("runs"), QStringLiteral("resume"), id});
        QVERIFY2(r.code != 0 && r.err.contains("nothing to resume"), (r.out + r.err).constData());
        pythonRun = id;
    }

    // A run canceled before it reported any checkpoint starts over: every earlier point is
    // superseded, and the script gets no LABBENCH_RESUME_CHECKPOINT.
    void runWithoutCheckpointStartsOver() {
        const QString src = tmp.filePath(QStringLiteral("py0"));
        writeFile(src + QStringLiteral("/again.py"), R"(import os, time
import labbench
attempt = int(os.environ.get("LABBENCH_ATTEMPT", "1"))
labbench.log("y", attempt)
labbench.log("y", attempt)
print("checkpoint", labbench.resume_checkpoint(), flush=True)
if attempt == 1:
    time.sleep(120)
)");
        CliResult r = cli({QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"),
                           QStringLiteral("again.py"), QStringLiteral("--python"), QStringLiteral("/usr/bin/python3")});
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QString id = r.firstLine();
        QVERIFY(waitFor([&] { return readFile(metricsFile(id)).count("\"y\"") == 2; }, 60000));
        QCOMPARE(cli({QStringLiteral("cancel"), id}).code, 0);
        r = cli({QStringLiteral("runs"), QStringLiteral("resume"), id, QStringLiteral("--wait")});
        QVERIFY2(r.code == 0 && r.err.contains("no checkpoint was reported"), (r.out + r.err).constData());
        std::vector<std::pair<int, double>> ys;
        for (const auto& p : pointsOf(metrics(id), "y"))
            ys.emplace_back(p["step"].get<int>(), p["value"].get<double>());
        QCOMPARE(ys, (std::vector<std::pair<int, double>>{{0, 2.0}, {1, 2.0}}));
        QCOMPARE(pointsOf(metrics(id, true), "y").size(), size_t(4));
        const QByteArray log = cli({QStringLiteral("logs"), id}).out;
        QVERIFY2(log.count("checkpoint None\n") == 2, log.constData());
        const lb::Json run = show(id);
        QCOMPARE(run["attempts"].size(), size_t(2));
        QVERIFY(run["attempts"][1]["resumed_from"].is_null());
    }

    // labbench-train canceled mid-training after a checkpoint: the resumed attempt goes on from
    // it bit-exactly (the same weights as a run straight through), its steps continue.
    void trainerResumesBitExactly() {
        const QStringList trainArgs{QStringLiteral("--data"), QStringLiteral(LABBENCH_MNIST_DIR),
                                    QStringLiteral("--epochs"), QStringLiteral("10"),
                                    QStringLiteral("--hidden"), QStringLiteral("16"),
                                    QStringLiteral("-b"), QStringLiteral("500"),
                                    QStringLiteral("--threads"), QStringLiteral("1"),
                                    QStringLiteral("--log_interval"), QStringLiteral("40"),
                                    QStringLiteral("--checkpoint-every"), QStringLiteral("2")};
        const QString src = tmp.filePath(QStringLiteral("empty"));
        QDir().mkpath(src);
        const QStringList submit{QStringLiteral("submit"), QStringLiteral("--source"), src,
                                 QStringLiteral("--framework"), QStringLiteral("builtin-mnist")};
        CliResult r = cli(submit + QStringList{QStringLiteral("--wait"), QStringLiteral("--")} + trainArgs, 240000);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QString straight = r.firstLine();

        r = cli(submit + QStringList{QStringLiteral("--")} + trainArgs);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QString id = r.firstLine();
        // Cancel once the first checkpoint is reported and an epoch after it has been logged.
        QVERIFY2(waitFor([&] {
                     const QByteArray m = readFile(metricsFile(id));
                     return m.contains("\"type\": \"checkpoint\"") && m.contains("\"name\": \"loss\", \"value\"") &&
                            m.contains(", \"step\": 3, ");
                 }, 120000),
                 readFile(metricsFile(id)).constData());
        r = cli({QStringLiteral("cancel"), id});
        QVERIFY2(r.out.contains("Canceled"), (r.out + r.err).constData());

        r = cli({QStringLiteral("runs"), QStringLiteral("resume"), id, QStringLiteral("--wait")}, 240000);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const lb::Json run = show(id);
        const lb::Json& attempts = run["attempts"];
        QCOMPARE(attempts.size(), size_t(2));
        const int resumeStep = attempts[1]["resume_step"].get<int>();
        QVERIFY2(resumeStep > 0 && resumeStep % 240 == 0, run.dump().c_str()); // 120 steps an epoch, every 2
        const int resumeEpoch = resumeStep / 120;
        QVERIFY2(s(attempts[1]["resumed_from"]).endsWith(QStringLiteral("ckpt-%1.lbckpt").arg(resumeStep, 12, 10, QLatin1Char('0'))),
                 run.dump().c_str());
        const CliResult log = cli({QStringLiteral("logs"), id});
        QVERIFY2(log.out.contains(QStringLiteral("resuming from %1").arg(s(attempts[1]["resumed_from"])).toUtf8()),
                 log.out.constData());

        // One point per epoch and per logged step, in order, as a straight run has them.
        const lb::Json kept = metrics(id);
        const lb::Json straightMetrics = metrics(straight);
        for (const std::string name : {"loss", "Accuracy", "batch_loss", "Batch size"}) {
            std::vector<int> steps, straightSteps;
            for (const auto& p : pointsOf(kept, name))
                steps.push_back(p["step"].get<int>());
            for (const auto& p : pointsOf(straightMetrics, name))
                straightSteps.push_back(p["step"].get<int>());
            QVERIFY2(steps == straightSteps, name.c_str());
        }
        // Same losses: the resumed epochs computed what the straight run did.
        std::vector<double> loss, straightLoss;
        for (const auto& p : pointsOf(kept, "loss"))
            loss.push_back(p["value"].get<double>());
        for (const auto& p : pointsOf(straightMetrics, "loss"))
            straightLoss.push_back(p["value"].get<double>());
        QCOMPARE(loss, straightLoss);
        // What attempt 1 logged past its checkpoint is superseded, and only that.
        int superseded = 0;
        for (const auto& p : pointsOf(metrics(id, true), "loss")) {
            const bool late = p["attempt"].get<int>() == 1 && p["step"].get<int>() > resumeEpoch;
            QVERIFY2(p["superseded"].get<bool>() == late, p.dump().c_str());
            superseded += late ? 1 : 0;
        }
        qInfo("canceled after epoch %d's checkpoint; %d loss point(s) of attempt 1 superseded", resumeEpoch,
              superseded);

        // The weights, compared by numpy: array for array, bit for bit.
        QProcess py;
        py.start(QStringLiteral("/usr/bin/python3"),
                 {QStringLiteral("-c"),
                  QStringLiteral("import numpy as np, sys\n"
                                 "a, b = np.load(sys.argv[1]), np.load(sys.argv[2])\n"
                                 "assert sorted(a.files) == sorted(b.files) and a.files\n"
                                 "for k in a.files: assert np.array_equal(a[k], b[k]), k\n"
                                 "print('equal', len(a.files))\n"),
                  ws + QStringLiteral("/runs/") + straight + QStringLiteral("/snapshot/outputs/model.npz"),
                  ws + QStringLiteral("/runs/") + id + QStringLiteral("/snapshot/outputs/model.npz")});
        QVERIFY(py.waitForFinished(60000));
        QVERIFY2(py.exitCode() == 0 && py.readAllStandardOutput().startsWith("equal"), py.readAllStandardError().constData());
        trainerRun = id;
    }

    // Everything above lives in the run folders: a repaired store says the same.
    void repairRebuildsAttemptsAndSupersededPoints() {
        QVERIFY(!pythonRun.isEmpty() && !trainerRun.isEmpty());
        std::map<QString, std::pair<lb::Json, lb::Json>> before;
        for (const QString& id : {pythonRun, trainerRun})
            before[id] = {metrics(id, true), show(id)["attempts"]};
        QVERIFY(QFile::remove(ws + QStringLiteral("/labbench.db")));
        const CliResult r = cli({QStringLiteral("workspace"), QStringLiteral("repair")});
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        for (const QString& id : {pythonRun, trainerRun}) {
            QVERIFY2(metrics(id, true) == before[id].first, qPrintable(id));
            const lb::Json attempts = show(id)["attempts"];
            QVERIFY2(attempts == before[id].second, (attempts.dump() + "\n" + before[id].second.dump()).c_str());
        }
        QCOMPARE(pointsOf(metrics(pythonRun), "x").size(), size_t(5));
    }
};

QTEST_GUILESS_MAIN(TestRunResume)
#include "tst_run_resume.moc"
