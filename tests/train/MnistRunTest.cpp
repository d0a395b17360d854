// labbench-train end to end on the real MNIST files: 784-100-100-10 reaches 97% test accuracy
// within 10 epochs, the metric stream has every line the issue lists, --evaluate and numpy agree
// with the training run, --predict classifies PNG and IDX input, the same seed and threads give
// a bit-identical loss curve, and bad input ends with a clear message instead of a crash.

#include "tests/train/MetricsFile.h"
#include "core/train/Idx.h"
#include "core/train/Image.h"

#include <QtTest>
#include <map>

namespace fs = std::filesystem;

namespace {

using train_test::Metric;
using train_test::readMetrics;
using train_test::values;

const QString kProgram = LABBENCH_BIN_DIR "/labbench-train";
const QString kMnist = LABBENCH_MNIST_DIR;

struct Result {
    int exitCode = -1;
    QString out, err;
};

Result run(const QStringList& args, const QString& metricsFile = {}, const QString& cwd = {}) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("LABBENCH_METRICS_FILE");
    if (!metricsFile.isEmpty()) env.insert("LABBENCH_METRICS_FILE", metricsFile);
    p.setProcessEnvironment(env);
    if (!cwd.isEmpty()) p.setWorkingDirectory(cwd);
    p.start(kProgram, args);
    if (!p.waitForFinished(240000)) return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class MnistRunTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString out_, metrics_;
    double finalAccuracy_ = 0;

    QString path(const QString& name) const { return tmp_.filePath(name); }

private slots:
    void initTestCase() {
        QVERIFY2(QFileInfo::exists(kProgram), qPrintable(kProgram + " is not built"));
        QVERIFY2(QFileInfo::exists(kMnist + "/train-images-idx3-ubyte.gz"),
                 qPrintable("MNIST is missing from " + kMnist));
    }

    // The issue's bar: the Chainer sample's model and optimizer, 97% within 10 epochs.
    void reaches97PercentIn10Epochs() {
        out_ = path("out");
        metrics_ = path("metrics.jsonl");
        QElapsedTimer timer;
        timer.start();
        const Result r = run(
            {"--data", kMnist, "-e", "10", "--seed", "1", "--threads", "2", "-o", out_}, metrics_);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        qInfo("10 epochs in %.1f s", timer.elapsed() / 1000.0);
        const auto metrics = readMetrics(metrics_);
        const auto accuracy = values(metrics, "Accuracy");
        QCOMPARE(accuracy.size(), 10);
        finalAccuracy_ = accuracy.last();
        qInfo("test accuracy after 10 epochs: %.4f", finalAccuracy_);
        QVERIFY2(finalAccuracy_ >= 0.97, qPrintable(QString::number(finalAccuracy_)));
        QVERIFY(QFileInfo::exists(out_ + "/model.npz"));
    }

    // Every metric the issue lists, in the shared format: {"name","value","step","time"}.
    void metricStreamHasEveryLine() {
        const auto metrics = readMetrics(metrics_);
        QVERIFY(!metrics.isEmpty());
        QCOMPARE(values(metrics, "Batch size"), QList<double>{100});
        QCOMPARE(values(metrics, "Epochs"), QList<double>{10});
        for (const char* name : {"loss", "train_accuracy", "epoch_time", "images_per_sec"})
            QCOMPARE(values(metrics, name).size(), 10);
        QCOMPARE(values(metrics, "batch_loss").size(), 60); // 600 steps an epoch, every 100
        const auto loss = values(metrics, "loss");
        QVERIFY(loss.last() < loss.first());
        long lastEpoch = 0;
        for (const auto& m : metrics) {
            QVERIFY2(m.time > 1.6e9 && m.value >= 0, qPrintable(m.name));
            if (m.name == "Accuracy") QCOMPARE(m.step, ++lastEpoch);
            if (m.name == "batch_loss") QVERIFY(m.step % 100 == 0 && m.step > 0);
        }
        // Raw lines, so the format itself (not just what QJsonDocument accepts) is pinned.
        QFile f(metrics_);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray first = f.readLine();
        QVERIFY2(
            first.startsWith("{\"name\": \"Batch size\", \"value\": 100, \"step\": 0, \"time\": "),
            first.constData());
    }

    void evaluateGivesTheSameAccuracy() {
        const Result r =
            run({"--evaluate", out_ + "/model.npz", "--data", kMnist, "--threads", "2"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QRegularExpressionMatch m =
            QRegularExpression("test accuracy ([0-9.]+)").match(r.out);
        QVERIFY2(m.hasMatch(), qPrintable(r.out));
        QVERIFY2(std::abs(m.captured(1).toDouble() - finalAccuracy_) < 1e-4,
                 qPrintable(r.out + " vs " + QString::number(finalAccuracy_)));
    }

    // numpy computes the same test accuracy from model.npz alone.
    void numpyEvaluatesTheModel() {
        const QString script = R"(
import gzip, sys, numpy as np
m = np.load(sys.argv[1])
raw = gzip.open(sys.argv[2] + '/t10k-images-idx3-ubyte.gz').read()
x = np.frombuffer(raw[16:], np.uint8).reshape(-1, 784).astype(np.float32)
scale, offset = m['normalization']
x = x * scale + offset
y = np.frombuffer(gzip.open(sys.argv[2] + '/t10k-labels-idx1-ubyte.gz').read()[8:], np.uint8)
n = len(m['layers']) - 1
for l in range(1, n + 1):
    x = x @ m['W%d' % l] + m['b%d' % l]
    if l < n: x = np.maximum(x, 0)
print((x.argmax(1) == y).mean())
)";
        QProcess py;
        py.start("/usr/bin/python3", {"-c", script, out_ + "/model.npz", kMnist});
        QVERIFY(py.waitForFinished(120000));
        const QString err = QString::fromUtf8(py.readAllStandardError());
        // scripts/setup installs python3-numpy: its absence is a broken set-up, not a skip (#16).
        QVERIFY2(!err.contains("No module named 'numpy'"),
                 "numpy is not installed for /usr/bin/python3; run scripts/setup");
        QVERIFY2(py.exitCode() == 0, qPrintable(err));
        const double acc = QString::fromUtf8(py.readAllStandardOutput()).trimmed().toDouble();
        QVERIFY2(std::abs(acc - finalAccuracy_) <= 0.0005, qPrintable(QString::number(acc)));
    }

    // The first test images as PNG files and as one IDX file: same digits from both, and the
    // right digit for (nearly) all.
    void predictClassifiesPngAndIdx() {
        const auto images =
            lb::train::readIdxImages((kMnist + "/t10k-images-idx3-ubyte.gz").toStdString());
        const auto labels =
            lb::train::readIdxLabels((kMnist + "/t10k-labels-idx1-ubyte.gz").toStdString());
        constexpr int kCount = 8;
        QStringList args{"--model", out_ + "/model.npz"};
        lb::train::IdxImages some{kCount, 28, 28, {}};
        for (int i = 0; i < kCount; ++i) {
            lb::train::GreyImage img{28, 28, {}};
            img.pixels.assign(images.pixels.begin() + i * 784,
                              images.pixels.begin() + (i + 1) * 784);
            some.pixels.insert(some.pixels.end(), img.pixels.begin(), img.pixels.end());
            const QString png = path(QString("digit%1.png").arg(i));
            lb::train::writePng(png.toStdString(), img);
            args << "--predict" << png;
        }
        lb::train::writeIdxImages(path("some-idx3-ubyte").toStdString(), some);
        const Result r = run(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Result ri =
            run({"--model", out_ + "/model.npz", "--predict", path("some-idx3-ubyte")});
        QVERIFY2(ri.exitCode == 0, qPrintable(ri.err));
        const QRegularExpression line(": ([0-9]) \\(p=([0-9.]+)\\)");
        QList<int> fromPng, fromIdx;
        for (auto it = line.globalMatch(r.out); it.hasNext();)
            fromPng << it.next().captured(1).toInt();
        for (auto it = line.globalMatch(ri.out); it.hasNext();)
            fromIdx << it.next().captured(1).toInt();
        QCOMPARE(fromPng.size(), kCount);
        QCOMPARE(fromPng, fromIdx);
        int right = 0;
        for (int i = 0; i < kCount; ++i)
            right += fromPng[i] == labels.labels[i];
        QVERIFY2(right >= kCount - 1, qPrintable(r.out));
    }

    // Same seed and thread count: the same bits in every loss value. Another seed: different.
    void sameSeedSameLossCurve() {
        auto curve = [&](const QString& tag, const QString& seed) {
            const QString m = path("repro-" + tag + ".jsonl");
            const Result r = run({"--data", kMnist, "-e", "2", "--seed", seed, "--threads", "2",
                                  "--log_interval", "50", "-o", path("repro-" + tag)},
                                 m);
            QStringList lines;
            for (const auto& x : readMetrics(m))
                if (x.name == "loss" || x.name == "batch_loss" || x.name == "Accuracy")
                    lines << QString("%1 %2 %3").arg(x.name).arg(x.step).arg(x.value, 0, 'g', 17);
            return r.exitCode == 0 ? lines : QStringList{r.err};
        };
        const QStringList a = curve("a", "7"), b = curve("b", "7"), c = curve("c", "8");
        QCOMPARE(a.size(), 2 * (1 + 12 + 1));
        QCOMPARE(a, b);
        QVERIFY(a != c);
    }

    void badInputEndsWithAClearMessage() {
        Result r = run({"--data", path("nowhere")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(path("nowhere")), qPrintable(r.err));

        r = run({"--epochs", "many"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--epochs"), qPrintable(r.err));

        r = run({"--backend", "cuda", "--data", kMnist, "-e", "1"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("CUDA backend"), qPrintable(r.err));

        // A dataset folder whose training images are cut short.
        const fs::path bad = path("bad-data").toStdString();
        fs::create_directories(bad);
        for (const char* name : {"train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                                 "t10k-labels-idx1-ubyte.gz"})
            fs::copy_file(fs::path(kMnist.toStdString()) / name, bad / name);
        lb::train::IdxImages few{10, 28, 28, std::vector<std::uint8_t>(10 * 784, 3)};
        lb::train::writeIdxImages(bad / "train-images-idx3-ubyte", few);
        r = run({"--data", path("bad-data"), "-e", "1"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("train-images-idx3-ubyte") && r.err.contains("10 images") &&
                     r.err.contains("60000 labels"),
                 qPrintable(r.err));

        r = run({"--evaluate", path("missing.npz"), "--data", kMnist});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("missing.npz"), qPrintable(r.err));

        lb::train::GreyImage small{10, 10, std::vector<std::uint8_t>(100, 0)};
        lb::train::writePng(path("small.png").toStdString(), small);
        r = run({"--model", out_ + "/model.npz", "--predict", path("small.png")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("small.png") && r.err.contains("10x10"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(MnistRunTest)
#include "MnistRunTest.moc"
