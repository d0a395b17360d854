// TensorBoard event files as metrics: CRC-32C, TFRecord framing, the Event/Summary wire format
// (simple_value and scalar tensors), a torn tail, corrupt records, many files under ./logs, and
// resuming from offsets stored with the points. Files are written by EventFileWriter.h, which
// implements the formats on its own.
#include "tests/tensorboard/EventFileWriter.h"

#include "core/store/Store.h"
#include "core/tensorboard/Crc32c.h"
#include "core/tensorboard/TensorBoardTailer.h"
#include "core/workspace/Workspace.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace tbw;

namespace {

std::vector<lb::MetricPoint> pollAll(lb::TensorBoardTailer& t, QStringList* warnings = nullptr, bool final = false) {
    std::vector<lb::MetricPoint> points;
    for (auto& b : t.poll(final)) {
        points.insert(points.end(), b.points.begin(), b.points.end());
        if (warnings)
            *warnings += b.warnings;
    }
    return points;
}

} // namespace

class TensorBoardFiles : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    int counter_ = 0;

    // A fresh snapshot folder with logs/ in it.
    QString newSnapshot() {
        const QString dir = tmp_.filePath(QStringLiteral("snap%1").arg(++counter_));
        QDir().mkpath(dir + QStringLiteral("/logs"));
        return dir;
    }

private slots:
    void crc32cMatchesTheStandardCheckValues() {
        QCOMPARE(lb::crc32c("123456789", 9), 0xE3069283u);
        const QByteArray zeros(32, '\0');
        QCOMPARE(lb::crc32c(zeros.constData(), 32), 0x8A9136AAu); // RFC 3720 B.4
        const QByteArray ones(32, '\xff');
        QCOMPARE(lb::crc32c(ones.constData(), 32), 0x62A8AB43u);
        QCOMPARE(lb::crc32c("", 0), 0u);
        // Slicing-by-8 against the bitwise definition, over every alignment and tail length.
        QByteArray data;
        for (int i = 0; i < 300; ++i)
            data.append(static_cast<char>(QRandomGenerator::global()->bounded(256)));
        for (int start = 0; start < 9; ++start)
            for (int len = 0; len + start <= data.size(); len += 7) {
                const QByteArray part = data.mid(start, len);
                QCOMPARE(lb::crc32c(part.constData(), static_cast<std::size_t>(part.size())), bitwiseCrc32c(part));
            }
    }

    void simpleValuesBecomeMetricPoints() {
        const QString snap = newSnapshot();
        const QString file = snap + QStringLiteral("/logs/events.out.tfevents.1700000000.host");
        QByteArray bytes = record(fileVersionEvent(1700000000.0));
        for (int step = 0; step < 3; ++step)
            bytes += record(eventRecordData(1700000000.5 + step, step,
                                  {simpleValue("loss", 1.0f / float(step + 1)), simpleValue("acc", 0.25f * float(step))}));
        QVERIFY(append(file, bytes));
        lb::TensorBoardTailer t(snap);
        QStringList warnings;
        const auto points = pollAll(t, &warnings);
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
        QCOMPARE(points.size(), size_t(6));
        QCOMPARE(points[0].name, QStringLiteral("loss"));
        QCOMPARE(points[0].value, 1.0);
        QCOMPARE(points[0].step, 0);
        QCOMPARE(points[0].time, 1700000000.5);
        QCOMPARE(points[3].name, QStringLiteral("acc"));
        QCOMPARE(points[3].value, 0.25);
        QCOMPARE(points[3].step, 1);
        QCOMPARE(points[4].value, double(1.0f / 3.0f));
        QCOMPARE(points[5].step, 2);
        QVERIFY(pollAll(t).empty()); // nothing new: nothing read twice
    }

    void scalarTensorsInEveryEncoding() {
        const QString snap = newSnapshot();
        const QString file = snap + QStringLiteral("/logs/events.out.tfevents.1.host.v2");
        const QByteArray scalarsPlugin = pluginMetadata("scalars");
        // float_val packed (what TensorFlow writes for a python float), with the plugin metadata.
        const QByteArray packedFloat = varintField(1, DT_FLOAT) + bytesField(2, shape({})) + bytesField(5, floatBits(0.5f));
        // float_val unpacked: a proto3 reader must accept both.
        const QByteArray unpackedFloat = varintField(1, DT_FLOAT) + floatField(5, 1.5f);
        // tensor_content: raw little-endian bytes (TF2's tf.summary.scalar on a tensor).
        const QByteArray contentFloat = varintField(1, DT_FLOAT) + bytesField(2, shape({})) + bytesField(4, floatBits(2.5f));
        const QByteArray contentDouble = varintField(1, DT_DOUBLE) + bytesField(4, doubleBits(-3.25));
        const QByteArray packedDouble = varintField(1, DT_DOUBLE) + bytesField(6, doubleBits(4.125));
        const QByteArray int64Content = varintField(1, DT_INT64) + bytesField(4, le(std::uint64_t(-7), 8));
        const QByteArray int32Val = varintField(1, DT_INT32) + bytesField(7, varint(42));
        const QByteArray halfContent = varintField(1, DT_HALF) + bytesField(4, le(0x3C00, 2)); // 1.0
        const QByteArray oneElementVector = varintField(1, DT_FLOAT) + bytesField(2, shape({1})) + bytesField(5, floatBits(6.0f));
        // Not scalars: a vector, a string, an empty tensor, and a histogram-plugin tag.
        const QByteArray vector = varintField(1, DT_FLOAT) + bytesField(2, shape({2})) +
                                  bytesField(5, floatBits(1.0f) + floatBits(2.0f));
        const QByteArray text = varintField(1, DT_STRING) + bytesField(8, "hello");
        const QByteArray empty = varintField(1, DT_FLOAT) + bytesField(2, shape({0}));
        const QByteArray histogramLike = varintField(1, DT_DOUBLE) + bytesField(6, doubleBits(9.0));
        QByteArray bytes = record(fileVersionEvent(10.0));
        bytes += record(eventRecordData(11.0, 5,
                              {tensorValue("packed", packedFloat, scalarsPlugin), tensorValue("unpacked", unpackedFloat),
                               tensorValue("content", contentFloat), tensorValue("content64", contentDouble),
                               tensorValue("double", packedDouble), tensorValue("int64", int64Content),
                               tensorValue("int32", int32Val), tensorValue("half", halfContent),
                               tensorValue("one", oneElementVector), tensorValue("vector", vector),
                               tensorValue("text", text, pluginMetadata("text")), tensorValue("empty", empty),
                               tensorValue("hist", histogramLike, pluginMetadata("histograms"))}));
        // TF2 writes the metadata only with a tag's first value; later ones stay excluded.
        bytes += record(eventRecordData(12.0, 6, {tensorValue("hist", histogramLike), tensorValue("packed", packedFloat)}));
        QVERIFY(append(file, bytes));
        lb::TensorBoardTailer t(snap);
        QStringList warnings;
        const auto points = pollAll(t, &warnings);
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
        QMap<QString, double> got;
        for (const auto& p : points) {
            QVERIFY2(p.name != QLatin1String("hist"), "a histogram-plugin tag must not become a metric");
            if (p.step == 5)
                got.insert(p.name, p.value);
            QCOMPARE(p.time, p.step == 5 ? 11.0 : 12.0);
        }
        QCOMPARE(points.size(), size_t(10));
        const QMap<QString, double> want{{"packed", 0.5},  {"unpacked", 1.5}, {"content", 2.5},
                                         {"content64", -3.25}, {"double", 4.125}, {"int64", -7.0},
                                         {"int32", 42.0}, {"half", 1.0},    {"one", 6.0}};
        QCOMPARE(got, want);
        QCOMPARE(points.back().name, QStringLiteral("packed"));
        QCOMPARE(points.back().step, 6);
    }

    void tornTailWaitsForTheRestOfTheRecord() {
        const QString snap = newSnapshot();
        const QString file = snap + QStringLiteral("/logs/events.out.tfevents.2.host");
        const QByteArray r1 = record(eventRecordData(1.0, 1, {simpleValue("x", 1.0f)}));
        const QByteArray r2 = record(eventRecordData(2.0, 2, {simpleValue("x", 2.0f)}));
        const QByteArray r3 = record(eventRecordData(3.0, 3, {simpleValue("x", 3.0f)}));
        lb::TensorBoardTailer t(snap);
        QStringList warnings;
        // Cut inside the header, then inside the data, then inside the footer.
        QVERIFY(append(file, r1 + r2 + r3.left(5)));
        QCOMPARE(pollAll(t, &warnings).size(), size_t(2));
        QVERIFY(append(file, r3.mid(5, 10)));
        QVERIFY(pollAll(t, &warnings).empty());
        QVERIFY(append(file, r3.mid(15, r3.size() - 17)));
        QVERIFY(pollAll(t, &warnings).empty()); // only the footer is missing
        QVERIFY(append(file, r3.right(2)));
        const auto last = pollAll(t, &warnings);
        QCOMPARE(last.size(), size_t(1));
        QCOMPARE(last[0].value, 3.0);
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
        // A writer that died mid-record: the final poll says so once, and nothing crashes.
        QVERIFY(append(file, r1.left(9)));
        QVERIFY(pollAll(t, &warnings, true).empty());
        QCOMPARE(warnings.size(), 1);
        QVERIFY(warnings[0].contains("incomplete record"));
    }

    void corruptRecordsAreSkippedWithAWarning() {
        const QString snap = newSnapshot();
        const QString file = snap + QStringLiteral("/logs/events.out.tfevents.3.host");
        QByteArray bad = record(eventRecordData(2.0, 2, {simpleValue("x", 2.0f)}));
        bad[20] = static_cast<char>(bad[20] ^ 0x40); // a flipped bit in the data
        QByteArray badLength = record(eventRecordData(4.0, 4, {simpleValue("x", 4.0f)}));
        badLength[1] = static_cast<char>(badLength[1] ^ 0x01); // the length no longer matches its CRC
        QByteArray notAnEvent = record(QByteArray("\x0f\xff\xff", 3)); // valid CRCs, bad protobuf
        QVERIFY(append(file, record(eventRecordData(1.0, 1, {simpleValue("x", 1.0f)})) + bad +
                                 record(eventRecordData(3.0, 3, {simpleValue("x", 3.0f)})) + badLength + notAnEvent +
                                 record(eventRecordData(5.0, 5, {simpleValue("x", 5.0f)}))));
        lb::TensorBoardTailer t(snap);
        QStringList warnings;
        const auto points = pollAll(t, &warnings);
        QCOMPARE(points.size(), size_t(3));
        QCOMPARE(points[0].value, 1.0);
        QCOMPARE(points[1].value, 3.0);
        QCOMPARE(points[2].value, 5.0);
        QCOMPARE(warnings.size(), 3);
        QVERIFY2(warnings[0].contains("data checksum"), qPrintable(warnings[0]));
        QVERIFY2(warnings[1].contains("length checksum"), qPrintable(warnings[1]));
        QVERIFY2(warnings[2].contains("not a valid Event"), qPrintable(warnings[2]));
        QVERIFY(warnings[0].contains("events.out.tfevents.3.host"));
    }

    void randomBytesAndTruncationsNeverCrash() {
        const QString snap = newSnapshot();
        QByteArray valid;
        for (int i = 0; i < 20; ++i)
            valid += record(eventRecordData(i, i, {simpleValue("x", float(i))}));
        auto* rng = QRandomGenerator::global();
        for (int round = 0; round < 200; ++round) {
            QByteArray bytes = valid.left(rng->bounded(valid.size() + 1));
            for (int flips = rng->bounded(4); flips > 0 && !bytes.isEmpty(); --flips)
                bytes[rng->bounded(bytes.size())] = static_cast<char>(rng->bounded(256));
            const QString file = snap + QStringLiteral("/logs/events.out.tfevents.r%1").arg(round);
            QVERIFY(append(file, bytes));
        }
        QByteArray noise;
        for (int i = 0; i < 100000; ++i)
            noise.append(static_cast<char>(rng->bounded(256)));
        QVERIFY(append(snap + QStringLiteral("/logs/events.out.tfevents.noise"), noise));
        lb::TensorBoardTailer t(snap);
        QStringList warnings;
        const auto points = pollAll(t, &warnings, true);
        QVERIFY(points.size() <= size_t(200 * 20));
        for (const auto& p : points)
            QCOMPARE(p.name, QStringLiteral("x"));
    }

    void manyFilesUnderLogsAreAllRead() {
        const QString snap = newSnapshot();
        QDir().mkpath(snap + QStringLiteral("/logs/train"));
        QDir().mkpath(snap + QStringLiteral("/logs/eval/deep/er"));
        int expected = 0;
        for (int f = 0; f < 30; ++f) {
            const QString dir = f % 3 == 0 ? QStringLiteral("/logs/train") : f % 3 == 1 ? QStringLiteral("/logs/eval/deep/er") : QStringLiteral("/logs");
            QByteArray bytes = record(fileVersionEvent(f));
            for (int s = 0; s < 10; ++s, ++expected)
                bytes += record(eventRecordData(f, s, {simpleValue(QByteArray("m") + QByteArray::number(f), float(s))}));
            QVERIFY(append(snap + dir + QStringLiteral("/events.out.tfevents.%1.host").arg(f), bytes));
        }
        // Not event files, or outside the run: ignored.
        QVERIFY(append(snap + QStringLiteral("/logs/notes.txt"), record(eventRecordData(0, 0, {simpleValue("no", 1)}))));
        const QString outside = tmp_.filePath(QStringLiteral("outside-logs"));
        QDir().mkpath(outside);
        QVERIFY(append(outside + QStringLiteral("/events.out.tfevents.9.host"), record(eventRecordData(0, 0, {simpleValue("no", 1)}))));
        QVERIFY(QFile::link(outside, snap + QStringLiteral("/logs/linked")));
        QVERIFY(QFile::link(outside + QStringLiteral("/events.out.tfevents.9.host"),
                            snap + QStringLiteral("/logs/events.out.tfevents.link")));
        lb::TensorBoardTailer t(snap);
        auto batches = t.poll();
        QCOMPARE(batches.size(), size_t(30));
        int total = 0;
        for (const auto& b : batches) {
            QVERIFY(b.key.startsWith(QLatin1String("tb:logs/")));
            QCOMPARE(b.points.size(), size_t(10));
            QVERIFY(b.offset > 0);
            total += int(b.points.size());
            for (const auto& p : b.points)
                QVERIFY(p.name != QLatin1String("no"));
        }
        QCOMPARE(total, expected);
        // A file that appears later is picked up.
        QVERIFY(append(snap + QStringLiteral("/logs/train/events.out.tfevents.99.host"),
                       record(eventRecordData(1, 1, {simpleValue("late", 7)}))));
        const auto late = pollAll(t);
        QCOMPARE(late.size(), size_t(1));
        QCOMPARE(late[0].name, QStringLiteral("late"));
    }

    void recordsLargerThanOneChunkAreRead() {
        const QString snap = newSnapshot();
        std::vector<QByteArray> values;
        for (int i = 0; i < 200; ++i)
            values.push_back(simpleValue(QByteArray("a_long_tag_name_") + QByteArray::number(i), float(i)));
        QVERIFY(append(snap + QStringLiteral("/logs/events.out.tfevents.big"), record(eventRecordData(1, 1, values)) + record(eventRecordData(2, 2, values))));
        lb::TensorBoardTailer t(snap);
        t.setChunkBytes(64);
        QCOMPARE(pollAll(t).size(), size_t(400));
    }

    void storedOffsetsResumeWithoutRepeats() {
        const QString wsDir = tmp_.filePath(QStringLiteral("ws"));
        lb::Workspace ws = lb::Workspace::create(wsDir, QStringLiteral("tb"));
        const QString runDir = ws.runsDir() + QStringLiteral("/run-tb");
        const QString snap = runDir + QStringLiteral("/snapshot");
        QDir().mkpath(snap + QStringLiteral("/logs"));
        lb::RunRecord run;
        run.id = QStringLiteral("run-tb");
        run.experiment = QStringLiteral("tb");
        run.computeTarget = QStringLiteral("local");
        run.runDir = runDir;
        ws.store().runs().create(run);
        const QString file = snap + QStringLiteral("/logs/events.out.tfevents.5.host");
        QVERIFY(append(file, record(eventRecordData(1, 0, {simpleValue("loss", 3)})) + record(eventRecordData(2, 1, {simpleValue("loss", 2)}))));
        QStringList warnings;
        auto warn = [&](const QString& w) { warnings.append(w); };
        {
            lb::TensorBoardTailer t = lb::makeTensorBoardTailer(ws.store(), run.id, snap);
            QCOMPARE(lb::ingestTensorBoard(ws.store(), run.id, t, warn), 2);
        }
        QVERIFY(append(file, record(eventRecordData(3, 2, {simpleValue("loss", 1)}))));
        {
            // A new process (the supervisor restarted): resumes from the stored offset.
            lb::Store again(ws.storePath());
            lb::TensorBoardTailer t = lb::makeTensorBoardTailer(again, run.id, snap);
            QCOMPARE(lb::ingestTensorBoard(again, run.id, t, warn), 1);
            QCOMPARE(lb::ingestTensorBoard(again, run.id, t, warn, true), 0);
        }
        const auto series = ws.store().metrics().series(run.id, QStringLiteral("loss"));
        QCOMPARE(series.size(), size_t(3));
        QCOMPARE(series[0].value, 3.0);
        QCOMPARE(series[2].value, 1.0);
        QCOMPARE(series[2].step, 2);
        QCOMPARE(series[2].time, 3.0);
        QVERIFY(warnings.isEmpty());
        QVERIFY(ws.store().runs().ingestOffset(run.id, QStringLiteral("tb:logs/events.out.tfevents.5.host")).bytes > 0);
    }
};

QTEST_GUILESS_MAIN(TensorBoardFiles)
#include "tst_tensorboard.moc"
