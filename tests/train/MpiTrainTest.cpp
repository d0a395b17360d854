// Data-parallel labbench-train on the CPU under Open MPI (issue 7 item 5): `mpirun -np 2` on
// this machine against one process with the same global batch. Only rank 0 writes metrics and
// the model, every (metric, step) appears once, the replicas end bit-identical, and the final
// test accuracy is within 0.3 points of the one-process run. Also: a process told it is one of
// several ranks but unable to load MPI stops with one sentence, and a process alone never
// loads MPI at all.
//
// The two ranks run as two MPMD app contexts of one mpirun, each in its own working folder with
// a relative LABBENCH_METRICS_FILE and --output_dir, so whatever rank 1 wrote would show up in
// its own folder instead of being hidden by rank 0 writing the same file.

#include "tests/train/MetricsFile.h"

#include <QtTest>
#include <cmath>
#include <set>

namespace {

using train_test::Metric;
using train_test::readMetrics;
using train_test::values;

const QString kProgram = LABBENCH_BIN_DIR "/labbench-train";
const QString kMnist = LABBENCH_MNIST_DIR;

struct Result {
    int exitCode = -1;
    QString out, err;
    double seconds = 0;
};

Result run(const QString& program, const QStringList& args,
           const QMap<QString, QString>& extraEnv = {}, const QString& cwd = {}) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("LABBENCH_METRICS_FILE");
    for (auto it = extraEnv.begin(); it != extraEnv.end(); ++it)
        env.insert(it.key(), it.value());
    p.setProcessEnvironment(env);
    if (!cwd.isEmpty()) p.setWorkingDirectory(cwd);
    QElapsedTimer clock;
    clock.start();
    p.start(program, args);
    if (!p.waitForFinished(150000)) {
        p.kill();
        p.waitForFinished();
        return {-3, {}, QStringLiteral("timed out"), 0};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError()), clock.elapsed() / 1000.0};
}

// The same model and data for both runs; the batch is given per process.
QStringList trainArgs(int batch) {
    return {"--data",       kMnist,    "--epochs",    "2",
            "--hidden",     "100,100", "--batchsize", QString::number(batch),
            "--threads",    "1",       "--seed",      "11",
            "--lr",         "0.05",    "--backend",   "cpu",
            "--output_dir", "outputs"};
}

} // namespace

class MpiTrainTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

private slots:
    // Two ranks with batch 100 each take the same global batches, in the same order, as one
    // process with batch 200, so they must reach the same accuracy up to summation order.
    void twoRanksMatchOneProcessAndOnlyRankZeroWrites() {
        const QString mpirun = QStandardPaths::findExecutable("mpirun");
        QVERIFY2(!mpirun.isEmpty(), "mpirun is not on PATH (install openmpi-bin)");
        const QString one = tmp_.filePath("one"), rank0 = tmp_.filePath("rank0"),
                      rank1 = tmp_.filePath("rank1");
        for (const QString& d : {one, rank0, rank1})
            QVERIFY(QDir().mkpath(d));

        // One process, told MPI does not exist: alone it must never try to load it.
        const Result single = run(kProgram, trainArgs(200),
                                  {{"LABBENCH_METRICS_FILE", "metrics.jsonl"},
                                   {"LABBENCH_TRAIN_MPI_PLUGIN", "/nonexistent/libmpi-plugin.so"}},
                                  one);
        QVERIFY2(single.exitCode == 0, qPrintable(single.out + single.err));

        // Open MPI refuses to start as root without --allow-run-as-root (or the two
        // OMPI_ALLOW_RUN_AS_ROOT variables); the tests run as root in CI.
        QStringList args{"--allow-run-as-root",
                         "--oversubscribe",
                         "-x",
                         "LABBENCH_METRICS_FILE",
                         "-np",
                         "1",
                         "-wdir",
                         rank0,
                         kProgram};
        args << trainArgs(100) << ":"
             << "-np"
             << "1"
             << "-wdir" << rank1 << kProgram << trainArgs(100);
        // Shared memory between the ranks of this machine; TCP would work too but is slower.
        const Result mpi = run(mpirun, args, {{"LABBENCH_METRICS_FILE", "metrics.jsonl"}});
        QVERIFY2(mpi.exitCode == 0, qPrintable(mpi.out + mpi.err));
        qInfo("1 process: %.1f s, 2 ranks: %.1f s (process start and data loading included)",
              single.seconds, mpi.seconds);

        // Exactly one rank wrote: rank 0's folder has the metrics and the model, rank 1's none.
        QVERIFY(QFile::exists(rank0 + "/outputs/model.npz"));
        QVERIFY(QFile::exists(rank0 + "/metrics.jsonl"));
        QVERIFY2(
            QDir(rank1).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty(),
            qPrintable(QDir(rank1).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).join(", ")));
        QCOMPARE(mpi.out.count("labbench-train: saved"), 1);
        QCOMPARE(mpi.out.count("MPI, rank 0 of 2"), 1);
        QVERIFY2(mpi.out.contains("the weights are identical on all 2 ranks"), qPrintable(mpi.out));

        // Rank 0's stream: every metric once per step, the epochs counted over both ranks.
        const QList<Metric> m2 = readMetrics(rank0 + "/metrics.jsonl");
        const QList<Metric> m1 = readMetrics(one + "/metrics.jsonl");
        std::set<std::pair<QString, long>> seen;
        for (const Metric& m : m2)
            QVERIFY2(seen.insert({m.name, m.step}).second,
                     qPrintable(QString("%1 at step %2 twice").arg(m.name).arg(m.step)));
        QCOMPARE(values(m2, "Accuracy").size(), 2);
        QCOMPARE(values(m2, "batch_loss").size(), values(m1, "batch_loss").size());

        const double acc1 = values(m1, "Accuracy").last(), acc2 = values(m2, "Accuracy").last();
        const double train1 = values(m1, "train_accuracy").last(),
                     train2 = values(m2, "train_accuracy").last();
        const QList<double> t1 = values(m1, "epoch_time"), t2 = values(m2, "epoch_time");
        qInfo("test accuracy 1 process %.4f, 2 ranks %.4f; train accuracy %.4f / %.4f; "
              "epoch time %.2f / %.2f s",
              acc1, acc2, train1, train2, t1.last(), t2.last());
        QVERIFY2(acc1 > 0.9, qPrintable(QString::number(acc1)));
        QVERIFY2(std::abs(acc1 - acc2) <= 0.003,
                 qPrintable(QString("accuracy %1 alone vs %2 on two ranks").arg(acc1).arg(acc2)));
        // Summed over the ranks, the training accuracy is the whole epoch's, not one shard's.
        QVERIFY2(std::abs(train1 - train2) <= 0.003,
                 qPrintable(QString("train accuracy %1 vs %2").arg(train1).arg(train2)));
    }

    // #20 item 1: two ranks stopped after epoch 1 and resumed from rank 0's checkpoint (which
    // every rank reads) end with the model of two ranks run straight through, byte for byte.
    void twoRanksResumeBitExact() {
        const QString mpirun = QStandardPaths::findExecutable("mpirun");
        QVERIFY(!mpirun.isEmpty());
        const QString dir = tmp_.filePath("resume"), ck = tmp_.filePath("resume-ck");
        QVERIFY(QDir().mkpath(dir));
        auto twoRanks = [&](const QString& out, const QStringList& more) {
            QStringList args{
                "--allow-run-as-root", "--oversubscribe", "-np", "2", "-wdir", dir, kProgram};
            args << trainArgs(100) << "--hidden"
                 << "32"
                 << "--output_dir" << out << more;
            return run(mpirun, args);
        };
        const Result straight = twoRanks("straight", {});
        QVERIFY2(straight.exitCode == 0, qPrintable(straight.out + straight.err));
        const Result first =
            twoRanks("resumed", {"-e", "1", "--checkpoint-every", "1", "--checkpoint-minutes",
                                 "0.0001", "--checkpoint-dir", ck});
        QVERIFY2(first.exitCode == 0, qPrintable(first.out + first.err));
        // Only at the epoch's end, although the clock was due at every step: the ranks' running
        // sums differ inside an epoch.
        QCOMPARE(QDir(ck).entryList({"ckpt-*"}, QDir::Files),
                 QStringList{"ckpt-000000000300.lbckpt"});
        const Result second = twoRanks("resumed", {"--resume", ck});
        QVERIFY2(second.exitCode == 0, qPrintable(second.out + second.err));
        QCOMPARE(second.out.count("1 epochs and 0 steps done"), 1);
        QFile a(dir + "/straight/model.npz"), b(dir + "/resumed/model.npz");
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QVERIFY2(a.readAll() == b.readAll(), "the resumed two-rank run ended with another model");
    }

    // Ranks that would issue different all-reduces (here: different batches, so different step
    // counts) stop at once with the reason instead of hanging inside MPI.
    void ranksThatDisagreeStopInsteadOfHanging() {
        const QString mpirun = QStandardPaths::findExecutable("mpirun");
        QVERIFY(!mpirun.isEmpty());
        const QString dir = tmp_.filePath("disagree");
        QVERIFY(QDir().mkpath(dir));
        QStringList args{
            "--allow-run-as-root", "--oversubscribe", "-np", "1", "-wdir", dir, kProgram};
        args << trainArgs(100) << ":"
             << "-np"
             << "1"
             << "-wdir" << dir << kProgram << trainArgs(50);
        const Result r = run(mpirun, args);
        QVERIFY2(r.exitCode != 0 && r.exitCode != -3, qPrintable(r.out + r.err));
        QVERIFY2(r.err.contains("rank 1 has 60000 training images, batch 50") &&
                     r.err.contains("start every rank with the same data and flags"),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(dir + "/outputs/model.npz"));
    }

    // A launcher said "2 processes" but MPI cannot be loaded: one sentence, exit 1, no model.
    void missingMpiStopsWithOneSentence() {
        const QString dir = tmp_.filePath("nompi");
        QVERIFY(QDir().mkpath(dir));
        const Result r = run(kProgram, trainArgs(100),
                             {{"OMPI_COMM_WORLD_SIZE", "2"},
                              {"OMPI_COMM_WORLD_RANK", "0"},
                              {"LABBENCH_TRAIN_MPI_PLUGIN", "/nonexistent/libmpi-plugin.so"}},
                             dir);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("rank 0 of 2") && r.err.contains("MPI cannot be loaded"),
                 qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count('\n'), 0);
        QVERIFY(!QFile::exists(dir + "/outputs/model.npz"));
    }
};

QTEST_GUILESS_MAIN(MpiTrainTest)
#include "MpiTrainTest.moc"
