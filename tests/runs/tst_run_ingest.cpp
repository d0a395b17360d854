// The metric stream parser (fast path and fallback) and the ingester: offsets, partial lines,
// bad lines, resuming after a restart. (No raw string literals here: moc 6.4 cannot read them.)

#include "core/lifecycle/MetricLine.h"
#include "core/lifecycle/RunFolder.h"
#include "core/lifecycle/RunIngester.h"
#include "core/store/Store.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <sys/stat.h>

using namespace lb;

namespace {
void append(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    if (!f.open(QIODevice::Append))
        qFatal("cannot append to %s", qPrintable(path));
    f.write(bytes);
}
} // namespace

class TestRunIngest : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    int counter = 0;

    // A store with one run whose folder is empty.
    struct Fixture {
        std::unique_ptr<Store> store;
        QString id, dir;
    };
    Fixture fixture() {
        Fixture f;
        const QString root = tmp.filePath(QStringLiteral("w%1").arg(++counter));
        QDir().mkpath(root + QStringLiteral("/run"));
        f.store = std::make_unique<Store>(root + QStringLiteral("/labbench.db"));
        f.id = QStringLiteral("r1");
        f.dir = root + QStringLiteral("/run");
        RunRecord run;
        run.id = f.id;
        run.experiment = QStringLiteral("e");
        run.computeTarget = QStringLiteral("local");
        run.runDir = f.dir;
        f.store->runs().create(run);
        return f;
    }

private slots:
    void fastPathTakesTheCommonShape() {
        MetricLine m;
        QVERIFY(parseMetricLineFast("{\"name\": \"loss\", \"value\": 0.25, \"step\": 3, \"time\": 1700000000.5}", m));
        QCOMPARE(QString::fromStdString(m.name), QStringLiteral("loss"));
        QCOMPARE(m.value, 0.25);
        QCOMPARE(m.step, 3);
        QCOMPARE(m.time, 1700000000.5);
        QVERIFY(parseMetricLineFast("{\"time\":1,\"step\":0,\"value\":-1e-3,\"name\":\"a\"}", m));
        QCOMPARE(m.value, -1e-3);
        QVERIFY(parseMetricLineFast("{\"name\": \"n\", \"value\": NaN, \"step\": 1}", m));
        QVERIFY(std::isnan(m.value));
        QVERIFY(parseMetricLineFast("{\"name\": \"n\", \"value\": -Infinity, \"step\": null}", m));
        QCOMPARE(m.step, -1);
        QVERIFY(std::isinf(m.value));
        // Escapes in names are decoded on the fast path.
        QVERIFY(parseMetricLineFast("{\"name\": \"a\\\"b \\u00e9\\ud83d\\ude00\", \"value\": 1}", m));
        QCOMPARE(QString::fromStdString(m.name), QStringLiteral("a\"b \u00e9\U0001F600"));
        // Anything unusual goes to the full parser.
        QVERIFY(!parseMetricLineFast("{\"name\": \"a\", \"value\": 1, \"extra\": 2}", m));
        QVERIFY(!parseMetricLineFast("{\"type\": \"tag\", \"name\": \"k\", \"value\": \"v\"}", m));
        QVERIFY(!parseMetricLineFast("{\"name\": \"a\", \"value\": 1,}", m));
        QVERIFY(!parseMetricLineFast("{\"name\": \"a\", \"value\": 1} x", m));
        QVERIFY(!parseMetricLineFast("{\"name\": \"a\", \"value\": 1, \"step\": 2.5}", m));
    }

    void fallbackHandlesEverythingElse() {
        MetricLine m;
        parseMetricLine("{\"name\": \"a\\\"b\", \"value\": true, \"step\": 2}", m);
        QVERIFY(m.kind == MetricLine::Kind::Metric);
        QCOMPARE(QString::fromStdString(m.name), QStringLiteral("a\"b"));
        QCOMPARE(m.value, 1.0);
        parseMetricLine("{\"type\": \"tag\", \"name\": \"k\", \"value\": 3}", m);
        QVERIFY(m.kind == MetricLine::Kind::Tag);
        QCOMPARE(m.tagValue, QStringLiteral("3"));
        parseMetricLine("{\"type\": \"image\", \"name\": \"i\", \"value\": \"x.png\"}", m);
        QVERIFY(m.kind == MetricLine::Kind::Ignored);
        parseMetricLine("{\"type\": \"row\", \"name\": \"r\", \"value\": {\"a\": NaN, \"b\": -Infinity}}", m);
        QVERIFY(m.kind == MetricLine::Kind::Ignored);
        parseMetricLine("not json", m);
        QVERIFY(m.kind == MetricLine::Kind::Invalid);
        parseMetricLine("[1, 2]", m);
        QVERIFY(m.kind == MetricLine::Kind::Invalid);
        parseMetricLine("{\"name\": \"s\", \"value\": \"text\"}", m);
        QVERIFY(m.kind == MetricLine::Kind::Invalid);
    }

    void stepsThatAreNotWholeNumbersInRangeAreRefused() { // #25
        MetricLine m;
        for (const char* step : {"-5", "1e23", "2.5", "\"3\"", "true", "18446744073709551615",
                                 "9223372036854775807", "9007199254740993"}) {
            parseMetricLine("{\"name\": \"a\", \"value\": 1, \"step\": " + std::string(step) + "}", m);
            QVERIFY2(m.kind == MetricLine::Kind::Invalid, step);
            QVERIFY2(m.error.contains(QLatin1String("the step of metric \"a\"")) &&
                         m.error.contains(QLatin1String("whole number from 0 to 9007199254740992")),
                     qPrintable(m.error));
        }
        parseMetricLine("{\"name\": \"a\", \"value\": 1, \"step\": 9007199254740992}", m);
        QVERIFY(m.kind == MetricLine::Kind::Metric);
        QCOMPARE(m.step, std::int64_t(1) << 53);
        parseMetricLine("{\"name\": \"a\", \"value\": 1, \"step\": 3.0}", m);
        QCOMPARE(m.step, 3);
        parseMetricLine("{\"name\": \"a\", \"value\": 1, \"step\": 1e15}", m);
        QCOMPARE(m.step, std::int64_t(1000000000000000));
        parseMetricLine("{\"name\": \"a\", \"value\": 1, \"step\": null}", m);
        QCOMPARE(m.step, -1);
    }

    void nonFiniteValuesReadAsStringsAndAsPythonTokens() { // #25
        MetricLine m;
        parseMetricLine("{\"name\": \"a\", \"value\": \"NaN\", \"step\": 1}", m);
        QVERIFY(m.kind == MetricLine::Kind::Metric && std::isnan(m.value));
        parseMetricLine("{\"name\": \"a\", \"value\": \"-Infinity\"}", m);
        QVERIFY(m.kind == MetricLine::Kind::Metric && std::isinf(m.value) && m.value < 0);
        // A bare token on the slow path (an extra key) keeps its meaning too.
        parseMetricLine("{\"name\": \"a\", \"value\": Infinity, \"extra\": 1}", m);
        QVERIFY(m.kind == MetricLine::Kind::Metric && std::isinf(m.value) && m.value > 0);
        parseMetricLine("{\"name\": \"a\", \"value\": \"nan\"}", m);
        QVERIFY(m.kind == MetricLine::Kind::Invalid);
    }

    void partialLinesWaitAndBadLinesAreSkipped() {
        Fixture f = fixture();
        const RunFolder folder(f.dir);
        QStringList warnings;
        RunIngester ingester(*f.store, f.id, f.dir, [&](const QString& w) { warnings.append(w); });
        append(folder.metricsFile(), "{\"name\": \"x\", \"value\": 1, \"step\": 0}\nnot json\n{\"name\": \"x\", \"val");
        append(folder.driverLog(), "one\ntwo\nthr");
        QVERIFY(ingester.ingest());
        QCOMPARE(f.store->metrics().count(f.id), 1);
        QCOMPARE(warnings.size(), 1);
        QVERIFY(warnings[0].contains(QLatin1String("line 2")));
        QCOMPARE(f.store->runs().ingestOffset(f.id, RunFolder::driverLogName()).lines, 2);
        append(folder.metricsFile(), "ue\": 2, \"step\": 1}\n{\"name\": \"y\", \"value\": 5}");
        append(folder.driverLog(), "ee\n");
        QVERIFY(ingester.ingest());
        QCOMPARE(f.store->metrics().count(f.id), 2);
        QCOMPARE(f.store->runs().ingestOffset(f.id, RunFolder::driverLogName()).lines, 3);
        // The final ingest takes a last line without its newline.
        QVERIFY(ingester.ingest(/*final=*/true));
        QCOMPARE(f.store->metrics().count(f.id), 3);
        QCOMPARE(f.store->metrics().series(f.id, QStringLiteral("x"))[1].value, 2.0);
        QCOMPARE(warnings.size(), 1);
    }

    void aNewIngesterResumesAtTheStoredOffset() {
        Fixture f = fixture();
        const RunFolder folder(f.dir);
        QByteArray lines;
        for (int i = 0; i < 1000; ++i)
            lines += QByteArrayLiteral("{\"name\": \"m\", \"value\": ") + QByteArray::number(i) +
                     QByteArrayLiteral(", \"step\": ") + QByteArray::number(i) + "}\n";
        append(folder.metricsFile(), lines);
        {
            RunIngester first(*f.store, f.id, f.dir);
            first.setChunkBytes(1000); // many small transactions
            first.ingest();
        }
        append(folder.metricsFile(), "{\"name\": \"m\", \"value\": 1000, \"step\": 1000}\n");
        RunIngester second(*f.store, f.id, f.dir);
        second.ingest();
        const auto points = f.store->metrics().series(f.id, QStringLiteral("m"));
        QCOMPARE(int(points.size()), 1001);
        for (int i = 0; i <= 1000; ++i)
            QCOMPARE(points[size_t(i)].step, i);
    }

    void anOverlongMetricLineIsSkippedNotHeld() { // #25
        Fixture f = fixture();
        const RunFolder folder(f.dir);
        QStringList warnings;
        RunIngester ingester(*f.store, f.id, f.dir, [&](const QString& w) { warnings.append(w); });
        ingester.setChunkBytes(1000);
        ingester.setMaxLineBytes(4000);
        // A line with no end yet: nothing is stored, and nothing over the limit is held.
        append(folder.metricsFile(), "{\"name\": \"x\", \"value\": 1}\n" + QByteArray(10000, 'x'));
        ingester.ingest();
        QCOMPARE(f.store->metrics().count(f.id), 1);
        QVERIFY(warnings.isEmpty());
        append(folder.metricsFile(), QByteArray(5000, 'y') + "\n{\"name\": \"x\", \"value\": 2}\n");
        QVERIFY(ingester.ingest());
        QCOMPARE(f.store->metrics().count(f.id), 2);
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings[0].contains(QLatin1String("skipped line 2 of metrics.jsonl: it is longer than 3.9 KiB (15001 bytes)")),
                 qPrintable(warnings[0]));
        QCOMPARE(f.store->runs().ingestOffset(f.id, RunFolder::metricsName()).lines, 3);
    }

    void aFifoInPlaceOfTheStreamsIsNoStream() { // #25
        Fixture f = fixture();
        const RunFolder folder(f.dir);
        QVERIFY(::mkfifo(QFile::encodeName(folder.metricsFile()).constData(), 0644) == 0);
        QVERIFY(::mkfifo(QFile::encodeName(folder.driverLog()).constData(), 0644) == 0);
        RunIngester ingester(*f.store, f.id, f.dir);
        QVERIFY(!ingester.ingest()); // returns at once: a blocked open() would hang the test here
        QVERIFY(!ingester.ingest(/*final=*/true));
    }
};

QTEST_GUILESS_MAIN(TestRunIngest)
#include "tst_run_ingest.moc"
