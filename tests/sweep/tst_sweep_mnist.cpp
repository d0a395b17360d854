// The CI run of the Chainer sample's tuning recipe with labbench-train as the script:
// --batchsize choice(128, 256), --epochs choice(1, 2), primary metric Accuracy maximised,
// Bandit(evaluation_interval=1, slack_factor=0.1, delay_evaluation=1), 4 runs, 2 at a time,
// on real MNIST.

#include "tests/sweep/SweepTestSupport.h"

#include "core/store/Store.h"
#include "core/workspace/Workspace.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace sweeptest;

class TestSweepMnist : public QObject {
    Q_OBJECT

private slots:
    void chainerTuningRecipeWithLabbenchTrain() {
        if (!QFileInfo::exists(QStringLiteral(LABBENCH_MNIST_DIR "/train-images-idx3-ubyte.gz")))
            QFAIL("MNIST is missing at " LABBENCH_MNIST_DIR "; the repository carries it in data/mnist.");
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString ws = tmp.filePath(QStringLiteral("ws"));
        CliResult r = runCli(tmp.path(), {QStringLiteral("workspace"), QStringLiteral("init"), ws});
        QVERIFY2(r.code == 0, r.err.constData());
        r = runCli(ws, {QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("local"),
                        QStringLiteral("pair"), QStringLiteral("--max-concurrent"), QStringLiteral("2")});
        QVERIFY2(r.code == 0, r.err.constData());
        QDir().mkpath(tmp.filePath(QStringLiteral("src")));
        // One thread per run: two runs share the two cores; a small hidden layer keeps it quick.
        const QString spec = tmp.filePath(QStringLiteral("tune.json"));
        writeFile(spec, QStringLiteral(R"({"experiment": "chainer-tune",
            "estimator": {"source_directory": "src", "framework": "builtin-mnist", "compute_target": "pair",
                          "script_params": ["--data", "%1", "--threads", "1", "--hidden", "64"]},
            "sampling": {"method": "grid"},
            "parameters": {"--batchsize": {"choice": [128, 256]}, "--epochs": {"choice": [1, 2]}},
            "primary_metric": {"name": "Accuracy", "goal": "maximize"},
            "early_termination": {"policy": "bandit", "evaluation_interval": 1, "slack_factor": 0.1,
                                  "delay_evaluation": 1},
            "max_total_runs": 4, "max_concurrent_runs": 2})")
                                .arg(QStringLiteral(LABBENCH_MNIST_DIR))
                                .toUtf8());
        QElapsedTimer clock;
        clock.start();
        r = runCli(ws, {QStringLiteral("sweep"), QStringLiteral("submit"), spec, QStringLiteral("--wait")}, 540000);
        qInfo("sweep of 4 MNIST runs, 2 at a time: %.1f s", clock.elapsed() / 1000.0);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QString id = r.firstLine();

        r = runCli(ws, {QStringLiteral("sweep"), QStringLiteral("show"), id, QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const lb::Json j = r.json();
        qInfo("%s", j.dump(1).c_str());
        QVERIFY2(j["status"] == "Completed", j.dump().c_str());
        QCOMPARE(j["children"].size(), size_t(4));
        double best = -1;
        std::string bestId;
        std::set<std::pair<int, int>> combos;
        for (const lb::Json& c : j["children"]) {
            combos.insert({c["params"]["--batchsize"].get<int>(), c["params"]["--epochs"].get<int>()});
            const std::string status = c["status"].get<std::string>();
            // Completed, or stopped by the bandit policy with its numbers as the reason.
            QVERIFY2(status == "Completed" ||
                         (status == "Canceled" && c["reason"].get<std::string>().find("bandit") != std::string::npos),
                     c.dump().c_str());
            QVERIFY2(c["primary_metric"].is_number(), c.dump().c_str());
            const double acc = c["primary_metric"].get<double>();
            QVERIFY2(acc > 0.85 && acc <= 1.0, c.dump().c_str());
            if (acc > best) {
                best = acc;
                bestId = c["id"].get<std::string>();
            }
        }
        QCOMPARE(combos.size(), size_t(4));
        QCOMPARE(QString::fromStdString(j["best"].get<std::string>()), QString::fromStdString(bestId));

        // Never more than 2 children between submit and end.
        lb::Workspace w = lb::Workspace::open(ws);
        QList<QPair<qint64, qint64>> spans;
        for (const lb::RunRecord& c : w.store().runs().children(id))
            spans.append({c.created.toMSecsSinceEpoch(), c.ended.toMSecsSinceEpoch()});
        QVERIFY(maxOverlap(spans) <= 2);
    }
};

QTEST_GUILESS_MAIN(TestSweepMnist)
#include "tst_sweep_mnist.moc"
