// The log reader indexes a growing file by offsets and serves line ranges without loading the
// file: a 300 MB log is indexed with a small index and read anywhere, an open last line grows,
// truncation starts over, and the list model over it passes QAbstractItemModelTester.
#include "tests/ui/UiTestSupport.h"
#include "core/live/LogIndex.h"
#include "core/live/LogModel.h"
#include "core/live/LogTail.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace lb;

namespace {

// Resident memory of this process in bytes (Linux).
qint64 residentBytes() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * 4096L;
}

QByteArray lineText(qint64 i) {
    return "epoch " + QByteArray::number(i / 1000) + " step " + QByteArray::number(i) +
           " loss=0." + QByteArray::number((i * 7919) % 100000) + " some padding to look real";
}

} // namespace

class TestLogIndex : public QObject {
    Q_OBJECT
private slots:
    void bigFileIsIndexedNotLoaded();
    void growingFileAndOpenLastLine();
    void truncationStartsOver();
    void longLinesAreCut();
    void findForwardAndBackward();
    void modelPassesTesterWhileGrowing();
    void tailFollowsInTheBackground();

private:
    QTemporaryDir dir_;
};

void TestLogIndex::bigFileIsIndexedNotLoaded() {
    const QString path = dir_.filePath(QStringLiteral("big.log"));
    qint64 lines = 0;
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray chunk;
        while (f.size() + chunk.size() < 300LL << 20) {
            chunk += lineText(lines++) + '\n';
            if (chunk.size() > (4 << 20)) {
                f.write(chunk);
                chunk.clear();
            }
        }
        f.write(chunk);
    }
    const qint64 before = residentBytes();
    LogIndex index(path);
    QElapsedTimer t;
    t.start();
    while (index.update(64 << 20) || index.behind()) {
    }
    const qint64 ms = t.elapsed();
    QCOMPARE(index.lineCount(), lines);
    const qint64 grown = residentBytes() - before;
    qInfo("indexed %lld lines (300 MB) in %lld ms; resident memory grew by %lld KB", lines, ms,
          grown / 1024);
    // The index is one offset per 64 lines (~60 KB here) plus one read buffer (4 MB).
    QVERIFY2(grown < 32LL << 20, qPrintable(QStringLiteral("grew %1 bytes").arg(grown)));
    for (qint64 at : {qint64(0), qint64(63), qint64(64), lines / 2 + 17, lines - 1}) {
        const QStringList got = index.lines(at, 1);
        QCOMPARE(got.size(), 1);
        QCOMPARE(got.front(), QString::fromUtf8(lineText(at)));
    }
    const QStringList page = index.lines(lines - 3, 10); // clipped at the end
    QCOMPARE(page.size(), 3);
    QCOMPARE(page.back(), QString::fromUtf8(lineText(lines - 1)));
}

void TestLogIndex::growingFileAndOpenLastLine() {
    const QString path = dir_.filePath(QStringLiteral("grow.log"));
    LogIndex index(path);
    QVERIFY(!index.update()); // missing file = empty log
    QCOMPARE(index.lineCount(), 0);
    test::writeFile(path, "one\ntwo\nthr");
    QVERIFY(index.update());
    QCOMPARE(index.lineCount(), 3);
    QVERIFY(index.lastLineOpen());
    QCOMPARE(index.lines(2, 1), QStringList{QStringLiteral("thr")});
    test::appendFile(path, "ee\r\nfour\n");
    QVERIFY(index.update());
    QCOMPARE(index.lineCount(), 4);
    QVERIFY(!index.lastLineOpen());
    QCOMPARE(index.lines(0, 10), (QStringList{"one", "two", "three", "four"}));
    QVERIFY(!index.update()); // nothing new
}

void TestLogIndex::truncationStartsOver() {
    const QString path = dir_.filePath(QStringLiteral("trunc.log"));
    test::writeFile(path, "a\nb\nc\n");
    LogIndex index(path);
    index.update();
    QCOMPARE(index.lineCount(), 3);
    test::writeFile(path, "x\n");
    QVERIFY(index.update());
    QCOMPARE(index.resets(), 1);
    QCOMPARE(index.lines(0, 5), QStringList{QStringLiteral("x")});
}

void TestLogIndex::longLinesAreCut() {
    const QString path = dir_.filePath(QStringLiteral("long.log"));
    test::writeFile(path, QByteArray(1 << 20, 'x') + "\nshort\n");
    LogIndex index(path);
    index.update();
    const QStringList got = index.lines(0, 2);
    QCOMPARE(got.size(), 2);
    QVERIFY(got[0].size() <= LogIndex::kMaxLineChars + 2);
    QCOMPARE(got[1], QStringLiteral("short"));
}

void TestLogIndex::findForwardAndBackward() {
    const QString path = dir_.filePath(QStringLiteral("find.log"));
    QByteArray text;
    for (int i = 0; i < 1000; ++i)
        text += (i == 100 || i == 700 ? "ERROR: boom " : "info ") + QByteArray::number(i) + '\n';
    test::writeFile(path, text);
    LogIndex index(path);
    index.update();
    QCOMPARE(index.find(QStringLiteral("error"), 0, true), 100);
    QCOMPARE(index.find(QStringLiteral("error"), 101, true), 700);
    QCOMPARE(index.find(QStringLiteral("error"), 701, true), -1);
    QCOMPARE(index.find(QStringLiteral("ERROR"), 699, false), 100);
    QCOMPARE(index.find(QStringLiteral("error"), 999, false), 700);
}

void TestLogIndex::modelPassesTesterWhileGrowing() {
    const QString path = dir_.filePath(QStringLiteral("model.log"));
    test::writeFile(path, "");
    auto index = std::make_shared<LogIndex>(path);
    LogModel model(index);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int round = 0; round < 5; ++round) {
        QByteArray more;
        for (int i = 0; i < 100; ++i)
            more += "line " + QByteArray::number(round * 100 + i) + '\n';
        more += "partial";
        test::appendFile(path, more);
        index->update();
        model.setLineCount(index->lineCount());
        test::appendFile(path, "\n");
        index->update();
        model.setLineCount(index->lineCount());
    }
    QCOMPARE(model.rowCount(), 505);
    QCOMPARE(model.index(0).data().toString(), QStringLiteral("line 0"));
    QCOMPARE(model.index(100).data().toString(), QStringLiteral("partial"));
    QCOMPARE(model.index(504).data().toString(), QStringLiteral("partial"));
    test::writeFile(path, "new\n"); // truncated: reset
    index->update();
    model.setLineCount(index->lineCount());
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0).data().toString(), QStringLiteral("new"));
}

void TestLogIndex::tailFollowsInTheBackground() {
    const QString path = dir_.filePath(QStringLiteral("tail.log"));
    LogTail tail(path);
    QSignalSpy grew(&tail, &LogTail::grew);
    QSignalSpy found(&tail, &LogTail::found);
    tail.start(20);
    test::writeFile(path, "hello\nworld\n");
    QVERIFY(QTest::qWaitFor([&] { return !grew.isEmpty() && grew.last().at(0).toLongLong() == 2; },
                            5000));
    tail.search(QStringLiteral("WORLD"), 0, true);
    // The spy records on the tail's thread: wait for the count, not for a later emission.
    QVERIFY(QTest::qWaitFor([&] { return found.size() == 1; }, 5000));
    QCOMPARE(found.last().at(1).toLongLong(), 1);
}

QTEST_GUILESS_MAIN(TestLogIndex)
#include "tst_log_index.moc"
