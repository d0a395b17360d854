// The builtin-mnist framework: a run of Labbench's own trainer (labbench-train, the sibling
// binary) through the real CLI, with its metrics and model in the run.

#include "tests/runs/RunTestSupport.h"

#include <QTemporaryDir>

using namespace lbtest;

class TestRunsTrainer : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    QString ws;

private slots:
    void initTestCase() {
        QVERIFY(tmp.isValid());
        ws = tmp.filePath(QStringLiteral("ws"));
        QCOMPARE(runCli(tmp.path(), {QStringLiteral("workspace"), QStringLiteral("init"), ws}).code, 0);
    }

    void builtinMnistRunsLabbenchTrain() {
        QVERIFY2(QFileInfo(QStringLiteral(LABBENCH_BIN_DIR "/labbench-train")).isExecutable(),
                 "labbench-train must be built beside labbench");
        const QString src = tmp.filePath(QStringLiteral("empty"));
        QDir().mkpath(src); // builtin-mnist needs no file of the user's
        const CliResult r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--framework"),
                                        QStringLiteral("builtin-mnist"), QStringLiteral("--wait"), QStringLiteral("--"),
                                        QStringLiteral("--data"), QStringLiteral(LABBENCH_MNIST_DIR), QStringLiteral("--epochs"),
                                        QStringLiteral("1"), QStringLiteral("--hidden"), QStringLiteral("32"),
                                        QStringLiteral("--threads"), QStringLiteral("1")},
                                   240000);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QString id = r.firstLine();
        const lb::Json run = runCli(ws, {QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")}).json();
        QCOMPARE(QString::fromStdString(run["status"]), QStringLiteral("Completed"));
        QVERIFY(run["metric_points"].get<int>() > 0);
        const lb::Json files = runCli(ws, {QStringLiteral("files"), id, QStringLiteral("--json")}).json();
        bool model = false;
        for (const auto& f : files)
            model = model || f["path"] == "outputs/model.npz";
        QVERIFY2(model, files.dump().c_str());
    }

    // #20 item 1: the run names its snapshot/checkpoints in LABBENCH_CHECKPOINT_DIR, so
    // labbench-train's --checkpoint-every lands there, and the run lists them with its files.
    void builtinMnistCheckpointsLandInTheRun() {
        const QString src = tmp.filePath(QStringLiteral("empty-ck"));
        QDir().mkpath(src);
        const CliResult r =
            runCli(ws,
                   {QStringLiteral("submit"), QStringLiteral("--source"), src,
                    QStringLiteral("--framework"), QStringLiteral("builtin-mnist"),
                    QStringLiteral("--wait"), QStringLiteral("--"), QStringLiteral("--data"),
                    QStringLiteral(LABBENCH_MNIST_DIR), QStringLiteral("--epochs"),
                    QStringLiteral("2"), QStringLiteral("--hidden"), QStringLiteral("16"),
                    QStringLiteral("-b"), QStringLiteral("500"), QStringLiteral("--threads"),
                    QStringLiteral("1"), QStringLiteral("--checkpoint-every"), QStringLiteral("1")},
                   240000);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QString id = r.firstLine();
        const lb::Json files =
            runCli(ws, {QStringLiteral("files"), id, QStringLiteral("--json")}).json();
        QStringList paths;
        for (const auto& f : files)
            paths << QString::fromStdString(f["path"]);
        // 120 steps an epoch (60000 / 500); the two newest are kept.
        for (const QString& want :
             {QStringLiteral("checkpoints/ckpt-000000000120.lbckpt"),
              QStringLiteral("checkpoints/ckpt-000000000240.lbckpt"),
              QStringLiteral("checkpoints/latest"), QStringLiteral("outputs/model.npz")})
            QVERIFY2(paths.contains(want), qPrintable(paths.join(u' ')));
        const CliResult log = runCli(ws, {QStringLiteral("logs"), id});
        QVERIFY2(
            log.out.contains("/snapshot/checkpoints/ckpt-000000000240.lbckpt (epoch 2, step 240, "),
            log.out.constData());
    }

    // A newcomer's first run (#16): no --data, no network, no source folder of their own. The
    // trainer finds the MNIST that the build copied to share/labbench/datasets.
    void builtinMnistTrainsOnTheShippedDataWithoutDataFlag() {
        const QString cwd = tmp.filePath(QStringLiteral("newcomer"));
        QDir().mkpath(cwd);
        const CliResult r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--framework"), QStringLiteral("builtin-mnist"),
                                        QStringLiteral("--wait"), QStringLiteral("--"), QStringLiteral("--epochs"), QStringLiteral("1"),
                                        QStringLiteral("--hidden"), QStringLiteral("32"), QStringLiteral("--threads"), QStringLiteral("1")},
                                   240000, cwd);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QString id = r.firstLine();
        const CliResult log = runCli(ws, {QStringLiteral("logs"), id});
        QVERIFY2(log.out.contains("share/labbench/datasets/mnist"), log.out.constData());
        const lb::Json run = runCli(ws, {QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")}).json();
        QCOMPARE(QString::fromStdString(run["status"]), QStringLiteral("Completed"));
    }

    // The example script trains on the shipped MNIST through labbench.sample_dataset() (#16).
    void exampleScriptUsesTheShippedMnist() {
        const CliResult r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"),
                                        QStringLiteral(LABBENCH_SOURCE_DIR "/examples"), QStringLiteral("--entry"),
                                        QStringLiteral("mnist_softmax.py"), QStringLiteral("--python"), QStringLiteral("/usr/bin/python3"),
                                        QStringLiteral("--wait"), QStringLiteral("--"),
                                        QStringLiteral("--epochs"), QStringLiteral("1")},
                                   240000);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QString id = r.firstLine();
        const lb::Json metrics = runCli(ws, {QStringLiteral("metrics"), id, QStringLiteral("--json")}).json();
        QVERIFY2(metrics.dump().find("accuracy") != std::string::npos, metrics.dump().c_str());
        const CliResult log = runCli(ws, {QStringLiteral("logs"), id});
        QVERIFY2(log.out.contains("datasets/mnist: 60000 training and 10000 test images"), log.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestRunsTrainer)
#include "tst_runs_trainer.moc"
