// SafeFile and the sparse copy on real files, FIFOs, links and devices (#25): nothing blocks,
// nothing is read past its limit, every refusal is one sentence naming the file, and a copy
// keeps its holes.
#include "core/util/Json.h"
#include "core/util/SafeFile.h"
#include "core/util/SparseCopy.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace lb;

namespace {

QByteArray name(const QString& path) {
    return QFile::encodeName(path);
}

void makeFifo(const QString& path) {
    QVERIFY(::mkfifo(name(path).constData(), 0644) == 0);
}

void writeBytes(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

// The message of the FileRefusedError `call` throws, and its reason; fails when none is thrown.
template <typename Call> std::pair<QString, FileRefusedError::Reason> refusal(Call call) {
    try {
        call();
    } catch (const FileRefusedError& e) {
        return {e.message(), e.reason()};
    }
    return {QStringLiteral("<nothing was refused>"), FileRefusedError::Reason::NotRegular};
}

std::int64_t blocksOf(const QString& path) {
    struct stat st {};
    return ::stat(name(path).constData(), &st) == 0 ? std::int64_t(st.st_blocks) : -1;
}

} // namespace

class TestSafeFile : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

private slots:
    void aFifoIsRefusedWithoutBlocking() { // #25
        const QString fifo = tmp.filePath(QStringLiteral("metrics.jsonl"));
        makeFifo(fifo);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(!SafeFile::openIfRegular(fifo).has_value());
        const auto [message, reason] = refusal([&] { readFileWithLimit(fifo); });
        QVERIFY(reason == FileRefusedError::Reason::NotRegular);
        QCOMPARE(message,
                 fifo + QStringLiteral(" is a FIFO (named pipe), not a regular file, so Labbench "
                                       "does not read it; replace it with a regular file."));
        // Appending (driver.log notes) neither blocks on it nor writes into it.
        QCOMPARE(openForAppend(fifo), -1);
        QVERIFY2(clock.elapsed() < 2000, "a FIFO with no writer blocked an open");
    }

    void aLinkToDevZeroIsRefusedNotReadForever() { // #25
        const QString link = tmp.filePath(QStringLiteral("config.json"));
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), link));
        const auto [message, reason] = refusal([&] { readJsonFile(link); });
        QVERIFY(reason == FileRefusedError::Reason::NotRegular);
        QVERIFY2(
            message.startsWith(link + QStringLiteral(" is a character device, not a regular file")),
            qPrintable(message));
    }

    void aLinkIsFollowedOnlyWhereAllowed() {
        const QString real = tmp.filePath(QStringLiteral("real.json"));
        const QString link = tmp.filePath(QStringLiteral("exit.json"));
        writeBytes(real, "{\"exit_code\": 0}");
        QVERIFY(QFile::link(real, link));
        QCOMPARE(readJsonFile(link)["exit_code"].get<int>(), 0);
        QVERIFY(!SafeFile::openIfRegular(link, FollowLinks::No).has_value());
        const auto [message, reason] = refusal([&] { readJsonFile(link, FollowLinks::No); });
        QVERIFY(reason == FileRefusedError::Reason::Link);
        QVERIFY2(message.contains(QLatin1String("is a symbolic link")), qPrintable(message));
    }

    void aFileOverItsLimitIsRefusedWithTheLimitNamed() { // #25
        const QString path = tmp.filePath(QStringLiteral("big.json"));
        writeBytes(path, QByteArray(1000, ' '));
        QCOMPARE(readFileWithLimit(path, 1000).size(), 1000); // exactly the limit is fine
        const auto [message, reason] = refusal([&] { readFileWithLimit(path, 999); });
        QVERIFY(reason == FileRefusedError::Reason::TooLarge);
        QVERIFY2(message.startsWith(path + QStringLiteral(" holds more than 999 bytes")),
                 qPrintable(message));
        QCOMPARE(formatBytes(kSmallFileLimit), QStringLiteral("16 MiB"));
    }

    void aMissingFileIsNotFound() {
        QVERIFY_THROWS_EXCEPTION(NotFoundError,
                                 readFileWithLimit(tmp.filePath(QStringLiteral("none"))));
        QVERIFY(!SafeFile::openIfRegular(tmp.filePath(QStringLiteral("none"))).has_value());
    }

    void readsAtOffsetsAndToTheEnd() {
        const QString path = tmp.filePath(QStringLiteral("log"));
        writeBytes(path, "one\ntwo\nthree\n");
        const SafeFile f = SafeFile::open(path, FollowLinks::No);
        QCOMPARE(f.size(), 14);
        QCOMPARE(f.readAt(4, 4), QByteArray("two\n"));
        QCOMPARE(f.readAt(8, 100), QByteArray("three\n"));
        QCOMPARE(f.readAt(14, 10), QByteArray());
    }

    void aSparseCopyKeepsItsHoles() { // #25
        // 1 GiB with a few bytes of data at the start, the middle and the end.
        const QString from = tmp.filePath(QStringLiteral("sparse.bin"));
        const std::int64_t size = std::int64_t{1} << 30;
        {
            QFile f(from);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("head");
            QVERIFY(f.seek(size / 2));
            f.write("middle");
            QVERIFY(f.seek(size - 4));
            f.write("tail");
        }
        const QString to = tmp.filePath(QStringLiteral("copy.bin"));
        copyFileKeepingHoles(from, to);
        QCOMPARE(QFileInfo(to).size(), size);
        const SafeFile copy = SafeFile::open(to);
        QCOMPARE(copy.readAt(0, 4), QByteArray("head"));
        QCOMPARE(copy.readAt(size / 2 - 2, 10), QByteArray("\0\0middle\0\0", 10));
        QCOMPARE(copy.readAt(size - 4, 10), QByteArray("tail"));
        // As little disk as the original (a full copy would take 2,097,152 blocks).
        qInfo("source %lld blocks, copy %lld blocks", qlonglong(blocksOf(from)),
              qlonglong(blocksOf(to)));
        QVERIFY2(blocksOf(to) <= blocksOf(from) + 64, "the copy filled the holes with zeros");
    }

    void aSparseCopyReportsProgressAndCanStop() {
        const QString from = tmp.filePath(QStringLiteral("data.bin"));
        writeBytes(from, QByteArray(20 << 20, 'x')); // 20 MiB of data: three pieces
        const QString to = tmp.filePath(QStringLiteral("stopped.bin"));
        const int fd = ::open(name(to).constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        QVERIFY(fd >= 0);
        QList<std::int64_t> seen;
        const bool done = copyKeepingHoles(SafeFile::open(from), fd, to, [&](std::int64_t n) {
            seen.append(n);
            return seen.size() < 2;
        });
        ::close(fd);
        QVERIFY(!done);
        QCOMPARE(seen.size(), 2);
        QVERIFY(seen[0] > 0 && seen[1] > seen[0]);
    }
};

QTEST_GUILESS_MAIN(TestSafeFile)
#include "tst_safe_file.moc"
