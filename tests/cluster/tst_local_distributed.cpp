// Distributed runs on the local target (issue 7 item 4, on this machine): `labbench submit
// --processes-per-node 2` with the mpi, pytorch and parameter_server backends starts every rank
// through mpirun and labbench-remote.sh rank-exec, as on SSH targets: each rank gets its
// framework's variables, its output lines carry "[rank N] ", and metrics come from rank 0.
// Also the submit flags --worker-count / --parameter-server-count and their validation.
// No cluster needed: only Open MPI's mpirun on this machine.
#include "tests/runs/RunTestSupport.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <set>

using namespace lbtest;

namespace {

// Prints the rank variables and logs one metric per rank, at step = rank.
const QByteArray kRankScript = R"(import os, labbench
keys = ["RANK", "WORLD_SIZE", "LOCAL_RANK", "NODE_RANK", "MASTER_ADDR", "MASTER_PORT"]
print(" ".join(k + "=" + os.environ.get(k, "-") for k in keys), flush=True)
print("TF_CONFIG=" + os.environ.get("TF_CONFIG", "{}"), flush=True)
labbench.log("rank_seen", 1, step=int(os.environ.get("RANK", os.environ.get("OMPI_COMM_WORLD_RANK", "0"))))
)";

} // namespace

class TestLocalDistributed : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString ws_, src_;

    // Submits and waits; returns (exit code of submit --wait, its output with the driver log).
    CliResult submitAndWait(const QStringList& args) {
        QStringList all{QStringLiteral("submit"), QStringLiteral("--wait")};
        all << args;
        return runCli(ws_, all, 180000);
    }
    lb::Json metricsOf(const QString& id) {
        return runCli(ws_, {QStringLiteral("metrics"), id, QStringLiteral("--json")}).json();
    }

private slots:
    void initTestCase() {
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("mpirun")).isEmpty(),
                 "mpirun is not on PATH (install openmpi-bin)");
        ws_ = tmp_.filePath(QStringLiteral("ws"));
        src_ = tmp_.filePath(QStringLiteral("src"));
        QCOMPARE(runCli(ws_, {QStringLiteral("workspace"), QStringLiteral("init"), ws_}).code, 0);
        writeFile(src_ + QStringLiteral("/ranks.py"), kRankScript);
    }

    void pytorchBackendGetsTorchVariablesPerRank() {
        const CliResult r = submitAndWait(
            {QStringLiteral("--source"), src_, QStringLiteral("--entry"),
             QStringLiteral("ranks.py"), QStringLiteral("--backend"), QStringLiteral("pytorch"),
             QStringLiteral("--processes-per-node"), QStringLiteral("2")});
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QString id = r.firstLine();
        const QByteArray log = runCli(ws_, {QStringLiteral("logs"), id}).out;
        for (int rank = 0; rank < 2; ++rank) {
            const QByteArray want =
                QStringLiteral("[rank %1] RANK=%1 WORLD_SIZE=2 LOCAL_RANK=%1 NODE_RANK=0 "
                               "MASTER_ADDR=127.0.0.1 MASTER_PORT=")
                    .arg(rank)
                    .toUtf8();
            QVERIFY2(log.contains(want), log.constData());
        }
        // Every line of the script's output carries its rank.
        for (const QByteArray& line : log.split('\n'))
            if (line.contains("WORLD_SIZE=") || line.contains("TF_CONFIG="))
                QVERIFY2(line.startsWith("[rank "), line.constData());
        // Rank 1's metric went to its own file, not into the run's stream.
        const lb::Json m = metricsOf(id);
        QCOMPARE(m.size(), size_t(1));
        QCOMPARE(m[0]["step"].get<long>(), 0L);
    }

    void parameterServerFlagsShapeTfConfig() {
        const CliResult r = submitAndWait(
            {QStringLiteral("--source"), src_, QStringLiteral("--entry"),
             QStringLiteral("ranks.py"), QStringLiteral("--backend"),
             QStringLiteral("parameter_server"), QStringLiteral("--worker-count"),
             QStringLiteral("2"), QStringLiteral("--parameter-server-count"), QStringLiteral("1")});
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QByteArray log = runCli(ws_, {QStringLiteral("logs"), r.firstLine()}).out;
        std::set<std::string> tasks;
        for (const QByteArray& line : log.split('\n')) {
            const qsizetype at = line.indexOf("TF_CONFIG=");
            if (at < 0) continue;
            const lb::Json tf = lb::Json::parse(line.mid(at + 10).toStdString());
            QCOMPARE(tf["cluster"]["worker"].size(), size_t(2));
            QCOMPARE(tf["cluster"]["ps"].size(), size_t(1));
            QVERIFY2(tf["cluster"]["ps"][0].get<std::string>().rfind("127.0.0.1:", 0) == 0,
                     line.constData());
            tasks.insert(tf["task"]["type"].get<std::string>() +
                         std::to_string(tf["task"]["index"].get<int>()));
        }
        QCOMPARE(tasks, (std::set<std::string>{"worker0", "worker1", "ps0"}));
    }

    void workerCountIsValidated() {
        CliResult r =
            runCli(ws_, {QStringLiteral("submit"), QStringLiteral("--source"), src_,
                         QStringLiteral("--entry"), QStringLiteral("ranks.py"),
                         QStringLiteral("--backend"), QStringLiteral("parameter_server"),
                         QStringLiteral("--worker-count"), QStringLiteral("0"),
                         QStringLiteral("--parameter-server-count"), QStringLiteral("1")});
        QVERIFY2(r.code == 2 && r.err.contains("--worker-count"), r.err.constData());
        r = runCli(ws_, {QStringLiteral("submit"), QStringLiteral("--source"), src_,
                         QStringLiteral("--entry"), QStringLiteral("ranks.py"),
                         QStringLiteral("--backend"), QStringLiteral("parameter_server"),
                         QStringLiteral("--worker-count"), QStringLiteral("two")});
        QVERIFY2(r.code == 2 && r.err.contains("--worker-count"), r.err.constData());
        // Worker counts belong to the parameter_server backend only.
        r = runCli(ws_, {QStringLiteral("submit"), QStringLiteral("--source"), src_,
                         QStringLiteral("--entry"), QStringLiteral("ranks.py"),
                         QStringLiteral("--backend"), QStringLiteral("mpi"),
                         QStringLiteral("--processes-per-node"), QStringLiteral("2"),
                         QStringLiteral("--worker-count"), QStringLiteral("3")});
        QVERIFY2(r.code != 0 && r.err.contains("worker_count"), r.err.constData());
        r = runCli(ws_, {QStringLiteral("submit"), QStringLiteral("--source"), src_,
                         QStringLiteral("--entry"), QStringLiteral("ranks.py"),
                         QStringLiteral("--backend"), QStringLiteral("parameter_server"),
                         QStringLiteral("--worker-count"), QStringLiteral("2")});
        QVERIFY2(r.code != 0 && r.err.contains("parameter_server_count"), r.err.constData());
    }

    // Cancel reaches every rank: mpirun passes the supervisor's SIGTERM on, nothing is left.
    void cancelStopsEveryRank() {
        writeFile(src_ + QStringLiteral("/sleeper.sh"),
                  "#!/bin/sh\necho \"rank up\"\nexec sleep 4242\n", true);
        const CliResult r =
            runCli(ws_, {QStringLiteral("submit"), QStringLiteral("--source"), src_,
                         QStringLiteral("--entry"), QStringLiteral("sleeper.sh"),
                         QStringLiteral("--backend"), QStringLiteral("mpi"),
                         QStringLiteral("--processes-per-node"), QStringLiteral("2")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString id = r.firstLine();
        auto sleepers = [] {
            QProcess p;
            p.start(QStringLiteral("pgrep"), {QStringLiteral("-f"), QStringLiteral("sleep 4242")});
            p.waitForFinished();
            return p.readAllStandardOutput().split('\n').size() - 1;
        };
        QVERIFY2(waitFor([&] { return sleepers() == 2; }, 20000), "the two ranks did not start");
        QCOMPARE(runCli(ws_, {QStringLiteral("cancel"), id}).code, 0);
        QVERIFY(waitFor(
            [&] {
                const lb::Json j = runCli(ws_, {QStringLiteral("runs"), QStringLiteral("show"), id,
                                                QStringLiteral("--json")})
                                       .json();
                return j["status"] == "Canceled";
            },
            20000));
        QVERIFY2(waitFor([&] { return sleepers() == 0; }, 5000), "a rank outlived the cancel");
    }

    // The native trainer as a 2-process MPI run on this machine: one model, rank 0's metrics.
    void builtinTrainerAsTwoMpiRanks() {
        const QString empty = tmp_.filePath(QStringLiteral("empty"));
        QVERIFY(QDir().mkpath(empty));
        const CliResult r = submitAndWait(
            {QStringLiteral("--source"), empty, QStringLiteral("--framework"),
             QStringLiteral("builtin-mnist"), QStringLiteral("--backend"), QStringLiteral("mpi"),
             QStringLiteral("--processes-per-node"), QStringLiteral("2"), QStringLiteral("--"),
             QStringLiteral("--data"), QStringLiteral(LABBENCH_MNIST_DIR),
             QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--hidden"),
             QStringLiteral("32"), QStringLiteral("--threads"), QStringLiteral("1"),
             QStringLiteral("--backend"), QStringLiteral("cpu")});
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QString id = r.firstLine();
        const QByteArray log = runCli(ws_, {QStringLiteral("logs"), id}).out;
        QVERIFY2(log.contains("[rank 0] labbench-train: the weights are identical on all 2 ranks"),
                 log.constData());
        QVERIFY2(log.count("MPI, rank 0 of 2") == 1 && !log.contains("[rank 1] labbench-train:"),
                 log.constData());
        const lb::Json run = runCli(ws_, {QStringLiteral("runs"), QStringLiteral("show"), id,
                                          QStringLiteral("--json")})
                                 .json();
        const QString runDir = ws_ + QStringLiteral("/runs/") + id;
        QVERIFY(QFile::exists(runDir + QStringLiteral("/snapshot/outputs/model.npz")));
        QVERIFY(!QFile::exists(runDir + QStringLiteral("/metrics.rank1.jsonl")));
        std::set<std::pair<std::string, long>> seen;
        int accuracies = 0;
        for (const auto& p : metricsOf(id)) {
            QVERIFY(seen.insert({p["name"].get<std::string>(), p["step"].get<long>()}).second);
            accuracies += p["name"] == "Accuracy";
        }
        QCOMPARE(accuracies, 1);
        QCOMPARE(QString::fromStdString(run["status"].get<std::string>()),
                 QStringLiteral("Completed"));
    }
};

QTEST_GUILESS_MAIN(TestLocalDistributed)
#include "tst_local_distributed.moc"
