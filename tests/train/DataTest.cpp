// The data layer: IDX files valid, truncated, with a wrong magic, mismatched or out of range
// (each written by the test into a temporary folder), gzip, dataset lookup, SHA-256, options.

#include "core/train/Dataset.h"
#include "core/train/Error.h"
#include "core/train/Idx.h"
#include "core/train/Options.h"
#include "core/train/Sha256.h"

#include <QtTest>
#include <cstdlib>
#include <fstream>
#include <zlib.h>

using namespace lb::train;
namespace fs = std::filesystem;

namespace {

IdxImages someImages(int count, int rows = 28, int cols = 28) {
    IdxImages im;
    im.count = count;
    im.rows = rows;
    im.cols = cols;
    for (int i = 0; i < count * rows * cols; ++i)
        im.pixels.push_back(std::uint8_t(i * 7));
    return im;
}

IdxLabels someLabels(int count) {
    IdxLabels l;
    l.count = count;
    for (int i = 0; i < count; ++i)
        l.labels.push_back(std::uint8_t(i % 10));
    return l;
}

std::vector<char> readBytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const fs::path& p, const std::vector<char>& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

void gzipFile(const fs::path& from, const fs::path& to) {
    const auto bytes = readBytes(from);
    gzFile f = gzopen(to.string().c_str(), "wb");
    gzwrite(f, bytes.data(), unsigned(bytes.size()));
    gzclose(f);
}

// Runs fn and returns the TrainError message, failing when nothing is thrown.
template <typename Fn> QString errorOf(Fn&& fn) {
    try {
        fn();
    } catch (const TrainError& e) {
        return QString::fromStdString(e.what());
    }
    return "<no error>";
}

void writeDataset(const fs::path& dir, int train, int test) {
    fs::create_directories(dir);
    writeIdxImages(dir / "train-images-idx3-ubyte", someImages(train));
    writeIdxLabels(dir / "train-labels-idx1-ubyte", someLabels(train));
    writeIdxImages(dir / "t10k-images-idx3-ubyte", someImages(test));
    writeIdxLabels(dir / "t10k-labels-idx1-ubyte", someLabels(test));
}

} // namespace

class DataTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    fs::path dir() const { return fs::path(tmp_.path().toStdString()); }

private slots:
    void validRawAndGzipFilesRead() {
        const fs::path raw = dir() / "images";
        writeIdxImages(raw, someImages(3));
        const IdxImages a = readIdxImages(raw);
        QCOMPARE(a.count, 3);
        QCOMPARE(a.rows, 28);
        QCOMPARE(a.cols, 28);
        QCOMPARE(a.pixels, someImages(3).pixels);
        gzipFile(raw, dir() / "images.gz");
        QCOMPARE(readIdxImages(dir() / "images.gz").pixels, a.pixels);
        writeIdxLabels(dir() / "labels", someLabels(12));
        QCOMPARE(readIdxLabels(dir() / "labels").labels, someLabels(12).labels);
    }

    void truncatedFileNamesFileAndSizes() {
        const fs::path p = dir() / "short-images";
        writeIdxImages(p, someImages(2));
        auto bytes = readBytes(p);
        bytes.resize(bytes.size() - 100);
        writeBytes(p, bytes);
        const QString msg = errorOf([&] { readIdxImages(p); });
        QVERIFY2(msg.contains("short-images") && msg.contains("truncated") && msg.contains("1568"),
                 qPrintable(msg));
    }

    void truncatedGzipIsReported() {
        const fs::path raw = dir() / "gz-src";
        writeIdxImages(raw, someImages(50));
        gzipFile(raw, dir() / "cut.gz");
        auto bytes = readBytes(dir() / "cut.gz");
        bytes.resize(bytes.size() / 2);
        writeBytes(dir() / "cut.gz", bytes);
        const QString msg = errorOf([&] { readIdxImages(dir() / "cut.gz"); });
        QVERIFY2(msg.contains("cut.gz") && msg.contains("truncated"), qPrintable(msg));
    }

    void wrongMagicIsReported() {
        // A label file handed over as images: magic 0x00000801, not 0x00000803.
        writeIdxLabels(dir() / "labels-as-images", someLabels(5));
        QString msg = errorOf([&] { readIdxImages(dir() / "labels-as-images"); });
        QVERIFY2(msg.contains("labels-as-images") && msg.contains("magic") &&
                     msg.contains("0x00000801") && msg.contains("0x00000803"),
                 qPrintable(msg));
        writeBytes(dir() / "text", {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!'});
        msg = errorOf([&] { readIdxLabels(dir() / "text"); });
        QVERIFY2(msg.contains("text") && msg.contains("magic"), qPrintable(msg));
        writeBytes(dir() / "tiny", {0, 0});
        msg = errorOf([&] { readIdxLabels(dir() / "tiny"); });
        QVERIFY2(msg.contains("tiny") && msg.contains("too short"), qPrintable(msg));
    }

    void trailingBytesAreReported() {
        const fs::path p = dir() / "long-labels";
        writeIdxLabels(p, someLabels(4));
        auto bytes = readBytes(p);
        bytes.push_back(1);
        writeBytes(p, bytes);
        const QString msg = errorOf([&] { readIdxLabels(p); });
        QVERIFY2(msg.contains("long-labels") && msg.contains("1 unexpected bytes"),
                 qPrintable(msg));
    }

    void labelOutOfRangeIsReported() {
        IdxLabels l = someLabels(6);
        l.labels[4] = 12;
        writeIdxLabels(dir() / "bad-labels", l);
        const QString msg = errorOf([&] { readIdxLabels(dir() / "bad-labels"); });
        QVERIFY2(msg.contains("bad-labels") && msg.contains("label 12 at index 4"),
                 qPrintable(msg));
    }

    void mismatchedImagesAndLabelsAreReported() {
        writeIdxImages(dir() / "m-images", someImages(5));
        writeIdxLabels(dir() / "m-labels", someLabels(4));
        int rows = 0, cols = 0;
        QString msg =
            errorOf([&] { loadSplit(dir() / "m-images", dir() / "m-labels", &rows, &cols); });
        QVERIFY2(msg.contains("m-images") && msg.contains("5 images") && msg.contains("m-labels") &&
                     msg.contains("4 labels"),
                 qPrintable(msg));
        // Train and test images of different sizes.
        const fs::path d = dir() / "mixed";
        writeDataset(d, 3, 2);
        writeIdxImages(d / "t10k-images-idx3-ubyte", someImages(2, 14, 14));
        msg = errorOf([&] { loadDataset(findDatasetFiles(d), "mixed"); });
        QVERIFY2(msg.contains("14x14") && msg.contains("28x28"), qPrintable(msg));
    }

    void loadsAndNormalisesADataset() {
        const fs::path d = dir() / "small";
        writeDataset(d, 20, 10);
        gzipFile(d / "train-images-idx3-ubyte", d / "train-images-idx3-ubyte.gz");
        fs::remove(d / "train-images-idx3-ubyte");
        const Dataset data = loadDataset(findDatasetFiles(d), "small");
        QCOMPARE(data.train.count, 20);
        QCOMPARE(data.test.count, 10);
        QCOMPARE(data.train.features, 784);
        QCOMPARE(data.train.images[1], 7.0f / 255.0f);
        QCOMPARE(data.train.labels[13], 3);
    }

    void missingFilesAreListed() {
        const fs::path d = dir() / "partial";
        fs::create_directories(d);
        writeIdxLabels(d / "train-labels-idx1-ubyte", someLabels(2));
        const QString msg = errorOf([&] { findDatasetFiles(d); });
        QVERIFY2(msg.contains("train-images-idx3-ubyte") &&
                     msg.contains("t10k-labels-idx1-ubyte") && !msg.contains("train-labels"),
                 qPrintable(msg));
    }

    // --dataset NAME: LABBENCH_DATA first, then the cache, each tried folder named on failure.
    void datasetLookupOrder() {
        const fs::path a = dir() / "first", b = dir() / "second";
        writeDataset(b / "fashion-mnist", 2, 2);
        qputenv("LABBENCH_DATA", QByteArray::fromStdString(a.string() + ":" + b.string()));
        QCOMPARE(QString::fromStdString(locateDataset("fashion-mnist").string()),
                 QString::fromStdString((b / "fashion-mnist").string()));
        writeDataset(a / "fashion-mnist", 2, 2);
        QCOMPARE(QString::fromStdString(locateDataset("fashion-mnist").string()),
                 QString::fromStdString((a / "fashion-mnist").string()));
        // MNIST is in neither folder: the copy Labbench ships (beside this program, #16) is found.
        QCOMPARE(QString::fromStdString(locateDataset("mnist").string()),
                 QString::fromStdString(sampleDatasetDir("mnist").string()));
        // Nothing anywhere: every folder tried is named.
        const fs::path c = dir() / "third";
        qputenv("LABBENCH_DATA", QByteArray::fromStdString(c.string()));
        const QString msg = errorOf([&] { locateDataset("fashion-mnist"); });
        QVERIFY2(msg.contains((c / "fashion-mnist").string().c_str()) &&
                     msg.contains("/usr/share/datasets/fashion-mnist") &&
                     msg.contains("share/labbench/datasets/fashion-mnist"),
                 qPrintable(msg));
        qunsetenv("LABBENCH_DATA");
        QVERIFY(errorOf([&] { locateDataset("cifar"); }).contains("mnist or fashion-mnist"));
    }

    void sha256KnownVectors() {
        QCOMPARE(QString::fromStdString(Sha256().hex()),
                 QString("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        Sha256 abc;
        abc.update("abc", 3);
        QCOMPARE(QString::fromStdString(abc.hex()),
                 QString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        // 1,000,000 'a' fed in uneven pieces (crosses block boundaries everywhere).
        Sha256 million;
        const std::string chunk(997, 'a');
        std::size_t left = 1'000'000;
        while (left) {
            const std::size_t n = std::min(left, chunk.size());
            million.update(chunk.data(), n);
            left -= n;
        }
        QCOMPARE(QString::fromStdString(million.hex()),
                 QString("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    }

    // The MNIST files the repository carries match their published sums (SHA256SUMS beside
    // them); a missing list is a failure, never a skip (#16).
    void sha256OfShippedMnist() {
        std::ifstream sums(LABBENCH_MNIST_DIR "/SHA256SUMS");
        QVERIFY2(bool(sums), "no SHA256SUMS in " LABBENCH_MNIST_DIR);
        std::string sum, name;
        int checked = 0;
        while (sums >> sum >> name) {
            if (name != "t10k-labels-idx1-ubyte.gz" && name != "train-labels-idx1-ubyte.gz")
                continue;
            QCOMPARE(QString::fromStdString(sha256File(fs::path(LABBENCH_MNIST_DIR) / name)),
                     QString::fromStdString(sum));
            ++checked;
        }
        QCOMPARE(checked, 2);
    }

    void chainerFlagsParse() {
        const Options o =
            parseOptions({"-e", "3", "--batchsize=64", "-o", "out", "--gpu_id", "-1", "--hidden",
                          "300,100", "--optimizer", "adam", "--seed", "9"});
        QCOMPARE(o.epochs, 3);
        QCOMPARE(o.batchSize, 64);
        QCOMPARE(QString::fromStdString(o.outputDir), QString("out"));
        QVERIFY(o.gpuIdGiven && o.gpuId == -1);
        QCOMPARE(o.lr, 0.001f); // Adam's default when --lr is not given
        QCOMPARE(QString::fromStdString(o.modelPath), QString("out/model.npz"));
        QCOMPARE(parseOptions({"--output-dir", "x"}).outputDir, std::string("x"));
        auto usage = [](std::vector<std::string> args) {
            try {
                parseOptions(args);
            } catch (const UsageError& e) {
                return QString::fromStdString(e.what());
            }
            return QString("<no error>");
        };
        QVERIFY(usage({"--epochs", "zero"}).contains("--epochs"));
        QVERIFY(usage({"--nope"}).contains("--nope"));
        QVERIFY(usage({"--backend", "tpu"}).contains("auto, cpu or cuda"));
        QVERIFY(usage({"--optimizer", "rmsprop"}).contains("sgd or adam"));
        QVERIFY(usage({"--lr"}).contains("needs a value"));
        QVERIFY(usage({"--data", "a", "--dataset", "mnist"}).contains("together"));
    }
};

QTEST_GUILESS_MAIN(DataTest)
#include "DataTest.moc"
