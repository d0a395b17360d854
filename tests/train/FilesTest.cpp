// File formats the trainer writes and reads itself: .npy/.npz (numpy must load ours), the
// model file, PNG (every row filter) and PGM.

#include "core/train/Error.h"
#include "core/train/Image.h"
#include "core/train/ModelFile.h"
#include "core/train/Npz.h"
#include "core/train/Rng.h"

#include <QtTest>
#include <cstdlib>
#include <fstream>
#include <zlib.h>

using namespace lb::train;
namespace fs = std::filesystem;

namespace {

template <typename Fn> QString errorOf(Fn&& fn) {
    try {
        fn();
    } catch (const TrainError& e) {
        return QString::fromStdString(e.what());
    }
    return "<no error>";
}

void putBe32(std::vector<std::uint8_t>& b, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8)
        b.push_back(std::uint8_t(v >> s));
}

// A PNG whose row y uses filter y % 5 (none, sub, up, average, paeth), encoded here
// independently of the decoder under test. channels 1 = grey, 2 = grey + alpha, 3 = RGB.
std::vector<std::uint8_t> makePng(int w, int h, const std::vector<std::uint8_t>& grey,
                                  int colourType = 0, int interlace = 0) {
    const int channels = colourType == 4 ? 2 : colourType == 2 ? 3 : 1;
    const int stride = w * channels;
    std::vector<std::uint8_t> img(std::size_t(stride) * h);
    for (int i = 0; i < w * h; ++i)
        for (int c = 0; c < channels; ++c)
            img[i * channels + c] = c == 0 ? grey[i] : std::uint8_t(200);
    std::vector<std::uint8_t> raw;
    for (int y = 0; y < h; ++y) {
        const int f = y % 5;
        raw.push_back(std::uint8_t(f));
        for (int x = 0; x < stride; ++x) {
            const int cur = img[y * stride + x];
            const int a = x >= channels ? img[y * stride + x - channels] : 0;
            const int b = y ? img[(y - 1) * stride + x] : 0;
            const int c = (x >= channels && y) ? img[(y - 1) * stride + x - channels] : 0;
            int pred = 0;
            if (f == 1) pred = a;
            if (f == 2) pred = b;
            if (f == 3) pred = (a + b) / 2;
            if (f == 4) {
                const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b),
                          pc = std::abs(p - c);
                pred = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
            }
            raw.push_back(std::uint8_t(cur - pred));
        }
    }
    uLongf len = compressBound(uLong(raw.size()));
    std::vector<std::uint8_t> packed(len);
    compress(packed.data(), &len, raw.data(), uLong(raw.size()));
    packed.resize(len);
    std::vector<std::uint8_t> png{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    auto chunk = [&](const char* type, const std::vector<std::uint8_t>& data) {
        putBe32(png, std::uint32_t(data.size()));
        const std::size_t start = png.size();
        png.insert(png.end(), type, type + 4);
        png.insert(png.end(), data.begin(), data.end());
        putBe32(png, std::uint32_t(crc32(0, png.data() + start, uInt(png.size() - start))));
    };
    std::vector<std::uint8_t> ihdr;
    putBe32(ihdr, std::uint32_t(w));
    putBe32(ihdr, std::uint32_t(h));
    ihdr.insert(ihdr.end(), {8, std::uint8_t(colourType), 0, 0, std::uint8_t(interlace)});
    chunk("IHDR", ihdr);
    // Split the image data over two IDAT chunks, as encoders may.
    const std::size_t half = packed.size() / 2;
    chunk("IDAT", std::vector<std::uint8_t>(packed.begin(), packed.begin() + half));
    chunk("IDAT", std::vector<std::uint8_t>(packed.begin() + half, packed.end()));
    chunk("IEND", {});
    return png;
}

void writeBytes(const fs::path& p, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

SavedModel smallModel() {
    SavedModel m;
    m.arch.sizes = {6, 5, 4, 3};
    m.rows = 2;
    m.cols = 3;
    m.parameters = heInitialParameters(m.arch, 5);
    for (int l = 0; l < m.arch.layers(); ++l)
        for (int o = 0; o < m.arch.sizes[l + 1]; ++o)
            m.parameters[m.arch.biasOffset(l) + o] = 0.01f * (o + 1);
    return m;
}

} // namespace

class FilesTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    fs::path dir() const { return fs::path(tmp_.path().toStdString()); }

private slots:
    void npzRoundTrip() {
        const std::vector<float> w{1.5f, -2.0f, 3.25f, 0.0f, 1e-30f, 7.0f};
        const fs::path p = dir() / "a.npz";
        writeNpz(p, {makeFloatArray("W", {2, 3}, w.data()), makeIntArray("layers", {784, 10}),
                     makeStringArray("activation", "relu")});
        const auto arrays = readNpz(p);
        QCOMPARE(int(arrays.size()), 3);
        QCOMPARE(QString::fromStdString(arrays[0].name), QString("W"));
        QCOMPARE(arrays[0].shape, (std::vector<std::size_t>{2, 3}));
        QCOMPARE(arrays[0].toFloats(), w);
        QCOMPARE(arrays[1].toInts(), (std::vector<std::int64_t>{784, 10}));
        QCOMPARE(QString::fromStdString(arrays[2].descr), QString("<U4"));
        QVERIFY(!fs::exists(dir() / "a.npz.tmp"));
    }

    void npzCorruptionIsReported() {
        const std::vector<float> w(100, 1.0f);
        const fs::path p = dir() / "bad.npz";
        writeNpz(p, {makeFloatArray("W", {100}, w.data())});
        std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(200);
        f.put('\x55');
        f.close();
        const QString msg = errorOf([&] { readNpz(p); });
        QVERIFY2(msg.contains("bad.npz") && msg.contains("CRC"), qPrintable(msg));
        writeBytes(dir() / "not.npz", {'h', 'i'});
        QVERIFY(errorOf([&] { readNpz(dir() / "not.npz"); }).contains("not a zip"));
    }

    void modelRoundTrip() {
        const SavedModel m = smallModel();
        saveModel(dir() / "model.npz", m);
        const SavedModel back = loadModel(dir() / "model.npz");
        QCOMPARE(back.arch.sizes, m.arch.sizes);
        QCOMPARE(back.rows, 2);
        QCOMPARE(back.cols, 3);
        QCOMPARE(back.scale, m.scale);
        QCOMPARE(back.parameters, m.parameters);
        // A model whose arrays disagree with its layers is refused with the file named.
        writeNpz(dir() / "broken.npz", {makeIntArray("layers", {6, 3})});
        const QString msg = errorOf([&] { loadModel(dir() / "broken.npz"); });
        QVERIFY2(msg.contains("broken.npz"), qPrintable(msg));
    }

    // numpy (Debian's, under /usr/bin/python3) loads model.npz and computes the same logits as
    // the layout documented in ModelFile.h: relu(x @ W + b) between layers.
    void numpyLoadsTheModel() {
        QVERIFY2(QFileInfo::exists("/usr/bin/python3"), "/usr/bin/python3 is missing; run scripts/setup");
        const SavedModel m = smallModel();
        const fs::path p = dir() / "np.npz";
        saveModel(p, m);
        // Our own forward pass in double for x = [0.1, 0.2, ..., 0.6].
        std::vector<double> a{0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
        for (int l = 0; l < m.arch.layers(); ++l) {
            const int in = m.arch.sizes[l], out = m.arch.sizes[l + 1];
            std::vector<double> z(out);
            for (int o = 0; o < out; ++o) {
                double s = m.parameters[m.arch.biasOffset(l) + o];
                for (int i = 0; i < in; ++i)
                    s += a[i] * m.parameters[m.arch.weightOffset(l) + i * out + o];
                z[o] = l < m.arch.layers() - 1 ? std::max(0.0, s) : s;
            }
            a = z;
        }
        const QString script = QString(R"(
import numpy as np, sys
m = np.load(sys.argv[1])
assert m['W1'].dtype == np.float32 and m['W1'].shape == (6, 5), m['W1'].shape
assert list(m['layers']) == [6, 5, 4, 3] and list(m['input_shape']) == [2, 3]
assert str(m['activation']) == 'relu'
x = np.arange(1, 7, dtype=np.float64) / 10
n = len(m['layers']) - 1
for l in range(1, n + 1):
    x = x @ m['W%d' % l] + m['b%d' % l]
    if l < n: x = np.maximum(x, 0)
print(' '.join('%.9f' % v for v in x))
)");
        QProcess py;
        py.start("/usr/bin/python3", {"-c", script, QString::fromStdString(p.string())});
        QVERIFY(py.waitForFinished(60000));
        const QString err = QString::fromUtf8(py.readAllStandardError());
        // scripts/setup installs python3-numpy: its absence is a broken set-up, not a skip (#16).
        QVERIFY2(!err.contains("No module named 'numpy'"),
                 "numpy is not installed for /usr/bin/python3; run scripts/setup");
        QVERIFY2(py.exitCode() == 0, qPrintable(err));
        const QStringList values =
            QString::fromUtf8(py.readAllStandardOutput()).split(' ', Qt::SkipEmptyParts);
        QCOMPARE(values.size(), 3);
        for (int i = 0; i < 3; ++i)
            QVERIFY(std::abs(values[i].toDouble() - a[i]) < 1e-5);
    }

    void pngEveryFilterDecodes_data() {
        QTest::addColumn<int>("colourType");
        QTest::newRow("grey") << 0;
        QTest::newRow("grey+alpha") << 4;
    }
    void pngEveryFilterDecodes() {
        QFETCH(int, colourType);
        std::vector<std::uint8_t> grey(28 * 28);
        Rng rng(1);
        for (auto& g : grey)
            g = std::uint8_t(rng.below(256));
        writeBytes(dir() / "f.png", makePng(28, 28, grey, colourType));
        const GreyImage img = readGreyImage(dir() / "f.png");
        QCOMPARE(img.width, 28);
        QCOMPARE(img.height, 28);
        QCOMPARE(img.pixels, grey);
    }

    void pngWriterRoundTrip() {
        GreyImage img{5, 3, {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 255}};
        writePng(dir() / "w.png", img);
        QCOMPARE(readPng(dir() / "w.png").pixels, img.pixels);
    }

    void unsupportedPngIsRefusedClearly() {
        const std::vector<std::uint8_t> grey(16, 9);
        writeBytes(dir() / "rgb.png", makePng(4, 4, grey, 2));
        QString msg = errorOf([&] { readGreyImage(dir() / "rgb.png"); });
        QVERIFY2(msg.contains("rgb.png") && msg.contains("colour type 2") &&
                     msg.contains("8-bit greyscale"),
                 qPrintable(msg));
        writeBytes(dir() / "inter.png", makePng(4, 4, grey, 0, 1));
        msg = errorOf([&] { readGreyImage(dir() / "inter.png"); });
        QVERIFY2(msg.contains("interlaced"), qPrintable(msg));
        auto png = makePng(4, 4, grey);
        png[40] ^= 0xff; // inside IHDR/IDAT: the chunk CRC no longer matches
        writeBytes(dir() / "crc.png", png);
        msg = errorOf([&] { readGreyImage(dir() / "crc.png"); });
        QVERIFY2(msg.contains("crc.png") && msg.contains("CRC"), qPrintable(msg));
        writeBytes(dir() / "junk.png", {'G', 'I', 'F', '8'});
        QVERIFY(errorOf([&] { readGreyImage(dir() / "junk.png"); }).contains("not a PNG or PGM"));
    }

    void pgmBinaryAndAscii() {
        std::vector<std::uint8_t> p5{'P', '5', '\n', '#', ' ', 'c', '\n', '3',
                                     ' ', '2', '\n', '2', '5', '5', '\n'};
        for (int i = 0; i < 6; ++i)
            p5.push_back(std::uint8_t(i * 40));
        writeBytes(dir() / "a.pgm", p5);
        QCOMPARE(readGreyImage(dir() / "a.pgm").pixels,
                 (std::vector<std::uint8_t>{0, 40, 80, 120, 160, 200}));
        const std::string p2 = "P2\n2 1\n255\n7 255\n";
        writeBytes(dir() / "b.pgm", std::vector<std::uint8_t>(p2.begin(), p2.end()));
        QCOMPARE(readGreyImage(dir() / "b.pgm").pixels, (std::vector<std::uint8_t>{7, 255}));
        const std::string deep = "P5\n2 1\n65535\n";
        writeBytes(dir() / "c.pgm", std::vector<std::uint8_t>(deep.begin(), deep.end()));
        QVERIFY(errorOf([&] { readGreyImage(dir() / "c.pgm"); }).contains("maxval"));
    }
};

QTEST_GUILESS_MAIN(FilesTest)
#include "FilesTest.moc"
