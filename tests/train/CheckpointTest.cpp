// Checkpoints (#20 item 1): the file format refuses what it did not write whole, and
// labbench-train, stopped after any epoch or any step and resumed, ends with the same model bytes
// as a run straight through. The CLI tests run the real program on a 1500-image slice of MNIST.

#include "core/train/Checkpoint.h"

#include "core/train/Error.h"
#include "core/train/Idx.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <csignal>
#include <fstream>

namespace fs = std::filesystem;
using namespace lb::train;

namespace {

const QString kProgram = LABBENCH_BIN_DIR "/labbench-train";
const QString kMnist = LABBENCH_MNIST_DIR;

struct Result {
    int exitCode = -1;
    QString out, err;
};

Result run(const QStringList& args, const QMap<QString, QString>& env = {},
           const QString& cwd = {}) {
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.remove("LABBENCH_METRICS_FILE");
    e.remove("LABBENCH_CHECKPOINT_DIR");
    e.remove("LABBENCH_RESUME_CHECKPOINT");
    e.remove("LABBENCH_ATTEMPT");
    for (auto it = env.begin(); it != env.end(); ++it)
        e.insert(it.key(), it.value());
    p.setProcessEnvironment(e);
    if (!cwd.isEmpty()) p.setWorkingDirectory(cwd);
    p.start(kProgram, args);
    if (!p.waitForFinished(120000)) return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QByteArray bytesOf(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeBytes(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

QStringList checkpointsIn(const QString& dir) {
    return QDir(dir).entryList({"ckpt-*.lbckpt"}, QDir::Files, QDir::Name);
}

TrainerState sampleState() {
    TrainerState s;
    s.arch.sizes = {6, 5, 3};
    s.optimizer = OptimizerKind::Adam;
    s.batchSize = 4;
    s.seed = 42;
    s.lr = 0.001f;
    s.momentum = 0.9f;
    s.weightDecay = 0.5f;
    s.beta1 = 0.9f;
    s.beta2 = 0.999f;
    s.eps = 1e-8f;
    s.epochsDone = 3;
    s.stepInEpoch = 2;
    s.globalStep = 17;
    s.shuffleState = 0x0123456789abcdefull;
    s.permutation = {4, 2, 0, 1, 3, 6, 5};
    s.lossSum = 1.25;
    s.correct = 5;
    s.lastLoss = 0.5;
    s.rowsSinceLog = 8;
    s.rowsSeen = 8;
    for (std::size_t i = 0; i < s.arch.parameterCount(); ++i) {
        s.parameters.push_back(float(i) * 0.25f - 3.0f);
        s.state1.push_back(float(i) * -0.5f);
        s.state2.push_back(float(i) * 0.125f);
    }
    return s;
}

QString errorOf(const std::vector<std::uint8_t>& bytes) {
    try {
        decodeCheckpoint(bytes, "x.lbckpt");
    } catch (const TrainError& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class CheckpointTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString data_;
    // The CPU backend, whatever the machine has: its bit-exactness is what these tests check.
    // clang-format off
    const QStringList common_ = {"--backend", "cpu", "--threads", "2", "--seed", "7",
                                 "--hidden", "48,24", "-b", "64"};
    // clang-format on

    QString path(const QString& name) const { return tmp_.filePath(name); }
    QStringList args(const QStringList& more) const {
        return QStringList{"--data", data_} + common_ + more;
    }

private slots:
    void initTestCase() {
        QVERIFY2(QFileInfo::exists(kProgram), qPrintable(kProgram + " is not built"));
        // A slice of MNIST, so that a run takes a fraction of a second.
        data_ = path("slice");
        fs::create_directories(data_.toStdString());
        const fs::path from = kMnist.toStdString(), to = data_.toStdString();
        const int counts[2] = {1500, 300};
        const char* names[2][2] = {{"train-images-idx3-ubyte", "train-labels-idx1-ubyte"},
                                   {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}};
        for (int split = 0; split < 2; ++split) {
            IdxImages images = readIdxImages(from / (std::string(names[split][0]) + ".gz"));
            IdxLabels labels = readIdxLabels(from / (std::string(names[split][1]) + ".gz"));
            images.count = labels.count = counts[split];
            images.pixels.resize(std::size_t(images.count) * images.rows * images.cols);
            labels.labels.resize(std::size_t(labels.count));
            writeIdxImages(to / names[split][0], images);
            writeIdxLabels(to / names[split][1], labels);
        }
    }

    // --- the file format -------------------------------------------------------------------

    void everyFieldRoundTrips() {
        const TrainerState s = sampleState();
        const TrainerState r = decodeCheckpoint(encodeCheckpoint(s), "x");
        QCOMPARE(r.arch.sizes, s.arch.sizes);
        QVERIFY(r.optimizer == s.optimizer);
        QCOMPARE(r.batchSize, s.batchSize);
        QCOMPARE(r.seed, s.seed);
        QCOMPARE(r.weightDecay, s.weightDecay);
        QCOMPARE(r.eps, s.eps);
        QCOMPARE(r.epochsDone, s.epochsDone);
        QCOMPARE(r.stepInEpoch, s.stepInEpoch);
        QCOMPARE(r.globalStep, s.globalStep);
        QCOMPARE(r.shuffleState, s.shuffleState);
        QCOMPARE(r.permutation, s.permutation);
        QCOMPARE(r.lossSum, s.lossSum);
        QCOMPARE(r.correct, s.correct);
        QCOMPARE(r.lastLoss, s.lastLoss);
        QCOMPARE(r.rowsSinceLog, s.rowsSinceLog);
        QCOMPARE(r.rowsSeen, s.rowsSeen);
        QCOMPARE(r.parameters, s.parameters);
        QCOMPARE(r.state1, s.state1);
        QCOMPARE(r.state2, s.state2);
    }

    // Cut anywhere, the file is refused, and the sentence says so.
    void everyTruncationIsRefused() {
        const auto bytes = encodeCheckpoint(sampleState());
        for (std::size_t n = 0; n < bytes.size(); ++n) {
            const QString e = errorOf({bytes.begin(), bytes.begin() + long(n)});
            QVERIFY2(e.startsWith("x.lbckpt: is ") &&
                         (e.contains("truncated") || (n < 8 && e.contains("not a labbench"))),
                     qPrintable(QString::number(n) + ": " + e));
        }
    }

    // One flipped bit anywhere is caught (by the checksum, or by the header before it).
    void everyFlippedByteIsRefused() {
        const auto bytes = encodeCheckpoint(sampleState());
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            auto bad = bytes;
            bad[i] ^= 0x10;
            const QString e = errorOf(bad);
            QVERIFY2(!e.isEmpty(), qPrintable("byte " + QString::number(i) + " went unnoticed"));
            QVERIFY2(e.startsWith("x.lbckpt: is "), qPrintable(e));
        }
    }

    void anotherVersionIsNamed() {
        auto bytes = encodeCheckpoint(sampleState());
        bytes[8] = 2;
        QCOMPARE(errorOf(bytes), QString("x.lbckpt: is checkpoint format version 2; this "
                                         "labbench-train reads version 1"));
        bytes.push_back(0);
        bytes[8] = 1;
        QVERIFY2(errorOf(bytes).contains("follow the end"), qPrintable(errorOf(bytes)));
    }

    // --- bit-exact resume, through the program ---------------------------------------------

    // Stopped after epoch k (a run of -e k) and resumed to epoch 4: the same model bytes, k = 1..3.
    void resumeAfterEveryEpochIsBitExact() {
        const Result straight = run(args({"-e", "4", "-o", path("straight")}));
        QVERIFY2(straight.exitCode == 0, qPrintable(straight.err));
        const QByteArray expected = bytesOf(path("straight/model.npz"));
        QVERIFY(!expected.isEmpty());
        for (int k = 1; k <= 3; ++k) {
            const QString dir = path(QString("epochs%1").arg(k));
            const Result first =
                run(args({"-e", QString::number(k), "-o", dir + "/out", "--checkpoint-every", "1",
                          "--checkpoint-dir", dir + "/ck"}));
            QVERIFY2(first.exitCode == 0, qPrintable(first.err));
            QCOMPARE(bytesOf(dir + "/ck/latest").trimmed(),
                     QByteArray(checkpointFileName(long(k) * 24).c_str())); // 24 steps an epoch
            const Result second =
                run(args({"-e", "4", "-o", dir + "/out", "--resume", dir + "/ck"}));
            QVERIFY2(second.exitCode == 0, qPrintable(second.err));
            QVERIFY2(second.out.contains(QString("%1 epochs and 0 steps done").arg(k)),
                     qPrintable(second.out));
            QVERIFY2(bytesOf(dir + "/out/model.npz") == expected,
                     qPrintable(QString("resumed after epoch %1: the model differs").arg(k)));
        }
        // And the check itself can fail: another seed gives other bytes.
        const Result other = run(args({"--seed", "8", "-e", "4", "-o", path("otherseed")}));
        QVERIFY2(other.exitCode == 0, qPrintable(other.err));
        QVERIFY(bytesOf(path("otherseed/model.npz")) != expected);
    }

    // Checkpoints at every step (a tiny --checkpoint-minutes), Adam: resumed from each one,
    // inside an epoch or at its end, the model and the last epoch's line are the straight run's.
    void resumeFromEveryStepIsBitExact() {
        const QStringList adam = {"--optimizer", "adam", "-b", "400", "-e", "3"};
        const Result straight = run(args(adam + QStringList{"-o", path("adam")}));
        QVERIFY2(straight.exitCode == 0, qPrintable(straight.err));
        const QByteArray expected = bytesOf(path("adam/model.npz"));
        const QString lastEpoch = straight.out.split('\n').filter("epoch 3/3").value(0);
        QVERIFY(!lastEpoch.isEmpty());

        const QString ck = path("steps");
        const Result all =
            run(args(adam + QStringList{"-o", path("adam-ck"), "--checkpoint-minutes", "0.0000001",
                                        "--checkpoint-keep", "1000", "--checkpoint-dir", ck}));
        QVERIFY2(all.exitCode == 0, qPrintable(all.err));
        QVERIFY2(bytesOf(path("adam-ck/model.npz")) == expected, "checkpointing changed the run");
        const QStringList files = checkpointsIn(ck);
        QCOMPARE(files.size(), 12); // 4 steps an epoch (1500 / 400), 3 epochs
        int midEpoch = 0;
        for (const QString& f : files) {
            const Result r =
                run(args(adam + QStringList{"-o", path("adam-r"), "--resume", ck + "/" + f}));
            QVERIFY2(r.exitCode == 0, qPrintable(f + ": " + r.err));
            if (!r.out.contains(" 0 steps done")) ++midEpoch;
            QVERIFY2(bytesOf(path("adam-r/model.npz")) == expected,
                     qPrintable("resumed from " + f + ": the model differs"));
            if (f == files.last())
                QVERIFY2(r.out.contains("-e 3 trains no more epochs"), qPrintable(r.out));
            if (f != files.last()) {
                const QString resumedLast = r.out.split('\n').filter("epoch 3/3").value(0);
                // The epoch's loss and accuracies continue the interrupted sums exactly.
                QCOMPARE(resumedLast.section("epoch_time", 0, 0),
                         lastEpoch.section("epoch_time", 0, 0));
            }
        }
        QCOMPARE(midEpoch, 9);
    }

    // A real stop: kill -9 while it trains, then resume from the folder it left.
    void killedRunResumesBitExact() {
        // Long enough (a few seconds) that the kill lands well before the end on a fast machine.
        const QStringList longer = {"-e", "300"};
        const Result straight = run(args(longer + QStringList{"-o", path("long")}));
        QVERIFY2(straight.exitCode == 0, qPrintable(straight.err));
        const QString ck = path("killed-ck");
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("LABBENCH_CHECKPOINT_DIR");
        p.setProcessEnvironment(env);
        p.start(kProgram, args(longer + QStringList{"-o", path("killed"), "--checkpoint-every", "1",
                                                    "--checkpoint-dir", ck}));
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(checkpointsIn(ck).size() >= 2, 60000);
        ::kill(pid_t(p.processId()), SIGKILL);
        QVERIFY(p.waitForFinished());
        QVERIFY2(!QFileInfo::exists(path("killed/model.npz")), "it finished before the kill");
        const Result resumed =
            run(args(longer + QStringList{"-o", path("killed"), "--resume", ck}));
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QVERIFY2(bytesOf(path("killed/model.npz")) == bytesOf(path("long/model.npz")),
                 "the killed and resumed run ended with another model");
    }

    // The attempt contract (#20 item 2): under Labbench each checkpoint is followed, in the
    // metric stream, by a marker naming it, after the metrics logged before it; a later attempt
    // finds its checkpoint in LABBENCH_RESUME_CHECKPOINT without --resume and ends where a run
    // straight through does; a named checkpoint that is gone is said, and training starts over.
    void markersFollowCheckpointsAndTheEnvironmentResumes() {
        QDir().mkpath(path("markers"));
        const QString metrics = path("markers/first.jsonl"), ck = path("markers/ck");
        const Result first = run(args({"-e", "2", "-o", path("markers/a"), "--checkpoint-every", "1",
                                       "--checkpoint-dir", ck}),
                                 {{"LABBENCH_METRICS_FILE", metrics}});
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        QList<QJsonObject> lines;
        for (const QByteArray& line : bytesOf(metrics).split('\n'))
            if (!line.isEmpty())
                lines.append(QJsonDocument::fromJson(line).object());
        QStringList markers;
        for (qsizetype i = 0; i < lines.size(); ++i) {
            if (lines[i]["type"].toString() != "checkpoint")
                continue;
            const QString file = lines[i]["path"].toString();
            const qint64 step = lines[i]["step"].toInteger(-1);
            QVERIFY2(file == ck + "/" + QString::fromStdString(checkpointFileName(long(step))), qPrintable(file));
            QVERIFY(QFileInfo::exists(file));
            QVERIFY(lines[i]["time"].toDouble() > 1e9);
            QVERIFY2(i > 0 && lines[i - 1]["name"].toString() == "images_per_sec", "after its epoch's metrics");
            markers << file;
        }
        QCOMPARE(markers.size(), 2);

        const QString second = path("markers/second.jsonl");
        const Result resumed = run(args({"-e", "3", "-o", path("markers/b")}),
                                   {{"LABBENCH_METRICS_FILE", second}, {"LABBENCH_RESUME_CHECKPOINT", markers.last()},
                                    {"LABBENCH_ATTEMPT", "2"}});
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QVERIFY2(resumed.out.contains("resuming from " + markers.last() + ": 2 epochs"), qPrintable(resumed.out));
        const QByteArray resumedMetrics = bytesOf(second);
        QVERIFY2(resumedMetrics.contains("\"name\": \"loss\", \"value\"") &&
                     !resumedMetrics.contains("\"step\": 1, ") && !resumedMetrics.contains("Batch size"),
                 resumedMetrics.constData()); // epoch 3 alone, and not the run's settings again
        const Result straight = run(args({"-e", "3", "-o", path("markers/c")}));
        QCOMPARE(straight.exitCode, 0);
        QVERIFY2(bytesOf(path("markers/b/model.npz")) == bytesOf(path("markers/c/model.npz")),
                 "resumed through the environment, it ended with another model");

        const Result gone = run(args({"-e", "1", "-o", path("markers/d")}),
                                {{"LABBENCH_RESUME_CHECKPOINT", path("markers/nothing-here")}});
        QCOMPARE(gone.exitCode, 0);
        QVERIFY2(gone.err.contains("LABBENCH_RESUME_CHECKPOINT=" + path("markers/nothing-here") +
                                   " does not exist; training from the start"),
                 qPrintable(gone.err));
    }

    // --- where checkpoints go, and which stay ------------------------------------------------

    void folderIsFlagThenEnvironmentThenDotCheckpoints() {
        const QString cwd = path("where");
        QDir().mkpath(cwd);
        const QStringList a = args({"-e", "1", "-o", cwd + "/out", "--checkpoint-every", "1"});
        QCOMPARE(run(a, {}, cwd).exitCode, 0);
        QCOMPARE(checkpointsIn(cwd + "/checkpoints").size(), 1);
        QCOMPARE(run(a, {{"LABBENCH_CHECKPOINT_DIR", cwd + "/env"}}, cwd).exitCode, 0);
        QCOMPARE(checkpointsIn(cwd + "/env").size(), 1);
        QCOMPARE(run(a + QStringList{"--checkpoint-dir", cwd + "/flag"},
                     {{"LABBENCH_CHECKPOINT_DIR", cwd + "/env2"}}, cwd)
                     .exitCode,
                 0);
        QCOMPARE(checkpointsIn(cwd + "/flag").size(), 1);
        QVERIFY(!QFileInfo::exists(cwd + "/env2"));
        // Off by default: no folder at all.
        const QString quiet = path("quiet");
        QDir().mkpath(quiet);
        QCOMPARE(run(args({"-e", "1", "-o", quiet + "/out"}), {}, quiet).exitCode, 0);
        QVERIFY(!QFileInfo::exists(quiet + "/checkpoints"));
    }

    // The newest `keep` of this run stay; a file this run did not write is never removed.
    void keepsTheNewestItWrote() {
        const QString ck = path("keep");
        QDir().mkpath(ck);
        const QString foreign = ck + "/" + QString::fromStdString(checkpointFileName(999999));
        writeBytes(foreign, "not ours");
        const Result r = run(args({"-e", "5", "-o", path("keep-out"), "--checkpoint-every", "1",
                                   "--checkpoint-dir", ck}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(checkpointsIn(ck),
                 QStringList({QString::fromStdString(checkpointFileName(96)),
                              QString::fromStdString(checkpointFileName(120)),
                              QString::fromStdString(checkpointFileName(999999))}));
        QCOMPARE(bytesOf(foreign), QByteArray("not ours"));
        // Every write went through a temporary file that was renamed: none is left.
        QCOMPARE(QDir(ck).entryList(QDir::Hidden | QDir::Files).filter(".tmp").size(), 0);
        // `latest`, not the name that sorts last, says which is newest.
        QCOMPARE(bytesOf(ck + "/latest").trimmed(), QByteArray(checkpointFileName(120).c_str()));
        const Result resumed = run(args({"-e", "6", "-o", path("keep-out"), "--resume", ck}));
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QVERIFY2(resumed.out.contains("5 epochs and 0 steps done"), qPrintable(resumed.out));
    }

    // A checkpoint that cannot be written (here: a folder holds its name, so the rename fails)
    // is reported; training goes on, its temporary file is gone, and the next one is written.
    void aFailedWriteIsReportedAndTrainingGoesOn() {
        const QString ck = path("blocked");
        const QString blocked = ck + "/" + QString::fromStdString(checkpointFileName(48));
        QVERIFY(QDir().mkpath(blocked));
        const Result r = run(args({"-e", "3", "-o", path("blocked-out"), "--checkpoint-every", "1",
                                   "--checkpoint-dir", ck}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("no checkpoint written: " + blocked + ": cannot rename") &&
                     r.err.contains("training goes on"),
                 qPrintable(r.err));
        QVERIFY(QFileInfo(blocked).isDir());
        QCOMPARE(QDir(ck).entryList(QDir::Hidden | QDir::Files).filter(".tmp").size(), 0);
        QCOMPARE(bytesOf(ck + "/latest").trimmed(), QByteArray(checkpointFileName(72).c_str()));
        QVERIFY(QFileInfo::exists(path("blocked-out/model.npz")));
    }

    // --- what is refused ----------------------------------------------------------------------

    // A checkpoint folder that cannot be made stops the run before it trains; so do bad values.
    void badCheckpointFlagsStopBeforeTraining() {
        const QString file = path("a-file");
        writeBytes(file, "x");
        const Result r = run(args({"-e", "2", "-o", path("flags-out"), "--checkpoint-every", "1",
                                   "--checkpoint-dir", file}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(file + ": cannot create the checkpoint folder"), qPrintable(r.err));
        QVERIFY(!r.out.contains("epoch 1/2"));
        QVERIFY(!QFileInfo::exists(path("flags-out/model.npz")));
        for (const QStringList& bad :
             {QStringList{"--checkpoint-every", "x"}, QStringList{"--checkpoint-every", "-1"},
              QStringList{"--checkpoint-minutes", "-2"}, QStringList{"--checkpoint-keep", "0"},
              QStringList{"--resume"}}) {
            const Result u = run(args(QStringList{"-e", "1", "-o", path("flags-out")} + bad));
            QVERIFY2(u.exitCode == 2, qPrintable(bad.join(' ') + ": " + u.err));
            QVERIFY2(u.err.startsWith("labbench-train: --") && u.err.count('\n') == 1,
                     qPrintable(u.err));
        }
    }

    void badCheckpointsAreRefusedAndNothingIsOverwritten_data() {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("reason");
        QTest::newRow("truncated") << "truncate" << QStringList() << "is truncated";
        QTest::newRow("flipped byte") << "flip" << QStringList() << "is corrupt: its SHA-256";
        QTest::newRow("not a checkpoint") << "text" << QStringList() << "is not a labbench-train";
        QTest::newRow("empty") << "empty" << QStringList() << "is not a labbench-train";
        QTest::newRow("wrong shape") << "" << QStringList({"--hidden", "32"})
                                     << "holds a 784-48-24-10 model but this run trains 784-32-10";
        QTest::newRow("wrong optimizer") << "" << QStringList({"--optimizer", "adam"})
                                         << "was written by momentum SGD but this run uses Adam";
    }

    void badCheckpointsAreRefusedAndNothingIsOverwritten() {
        QFETCH(QString, damage);
        QFETCH(QStringList, flags);
        QFETCH(QString, reason);
        const QString dir = path("bad-" + QString(QTest::currentDataTag()).replace(' ', '-'));
        const Result good = run(args({"-e", "1", "-o", dir + "/out", "--checkpoint-every", "1",
                                      "--checkpoint-dir", dir + "/ck"}));
        QVERIFY2(good.exitCode == 0, qPrintable(good.err));
        const QString file = dir + "/ck/" + checkpointsIn(dir + "/ck").value(0);
        QByteArray bytes = bytesOf(file);
        if (damage == "truncate") bytes.chop(1000);
        if (damage == "flip") bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 1);
        if (damage == "text") bytes = "hello\n";
        if (damage == "empty") bytes.clear();
        writeBytes(file, bytes);
        const QByteArray model = bytesOf(dir + "/out/model.npz");
        const QStringList before = QDir(dir + "/ck").entryList(QDir::Files | QDir::Hidden);

        for (const QString& target : {file, dir + "/ck"}) {
            const Result r = run(
                args(flags + QStringList{"-e", "3", "-o", dir + "/out", "--checkpoint-every", "1",
                                         "--checkpoint-dir", dir + "/ck", "--resume", target}));
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains(file + ": " + reason), qPrintable(r.err));
            QVERIFY2(!r.out.contains("epoch 2/3"), "it trained");
            QCOMPARE(bytesOf(file), bytes);
            QCOMPARE(bytesOf(dir + "/out/model.npz"), model);
            QCOMPARE(QDir(dir + "/ck").entryList(QDir::Files | QDir::Hidden), before);
        }
    }

    // In a folder, a damaged newest checkpoint is skipped (and said) for the one before it.
    void folderFallsBackToTheNewestGoodOne() {
        const QString ck = path("fallback");
        const Result r = run(args(
            {"-e", "2", "-o", path("fb-out"), "--checkpoint-every", "1", "--checkpoint-dir", ck}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString newest = ck + "/" + QString::fromStdString(checkpointFileName(48));
        QByteArray bytes = bytesOf(newest);
        bytes.chop(10);
        writeBytes(newest, bytes);
        const Result resumed = run(args({"-e", "2", "-o", path("fb-out2"), "--resume", ck}));
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QVERIFY2(resumed.err.contains("skipping " + newest + ": is truncated"),
                 qPrintable(resumed.err));
        QVERIFY2(resumed.out.contains("1 epochs and 0 steps done"), qPrintable(resumed.out));
        QVERIFY(bytesOf(path("fb-out2/model.npz")) == bytesOf(path("fb-out/model.npz")));

        const QString empty = path("no-checkpoints");
        QDir().mkpath(empty);
        const Result none = run(args({"-e", "2", "-o", path("fb-out3"), "--resume", empty}));
        QCOMPARE(none.exitCode, 1);
        QVERIFY2(none.err.contains(empty + ": holds no checkpoint"), qPrintable(none.err));
        const Result missing =
            run(args({"-e", "2", "-o", path("fb-out3"), "--resume", path("nowhere")}));
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains("nowhere: no such checkpoint or folder"),
                 qPrintable(missing.err));
    }
};

QTEST_GUILESS_MAIN(CheckpointTest)
#include "CheckpointTest.moc"
