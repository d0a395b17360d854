// A full disk (#20 item 4), on a real 24 MB tmpfs holding the workspace: a run whose disk fills up
// keeps every line of its output and its exit code, says "disk full" while it lasts (runs show,
// wait), lets read-only commands work, and finishes by itself with the right exit code once
// space is freed. A store opened on an already full disk still answers `runs list`.
#include "RunTestSupport.h"

#include <QTemporaryDir>

#include <csignal>
#include <sys/mount.h>
#include <unistd.h>

using namespace lbtest;

namespace {

// Prints 3000 numbered lines over about 6 s, then exits 7: nothing but stdout, which is what the
// supervisor must hold while the disk is full.
const QByteArray kPrinterScript = "import sys, time\n"
                                  "for i in range(3000):\n"
                                  "    print('line %d ' % i + 'x' * 60, flush=True)\n"
                                  "    time.sleep(0.002)\n"
                                  "sys.exit(7)\n";

// Fills the file system holding `dir` to the last byte.
void fill(const QString& dir) {
    QFile f(dir + QStringLiteral("/filler"));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
    const QByteArray block(64 * 1024, 'f');
    while (f.write(block) == block.size() && f.flush()) {
    }
    const QByteArray byte(1, 'f');
    while (f.write(byte) == 1 && f.flush()) {
    }
    f.close();
}

} // namespace

class DiskFull : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    QString mountPoint, ws, src;
    bool mounted = false;

    lb::Json show(const QString& id) {
        const CliResult r = runCli(ws, {QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")});
        return r.code == 0 ? r.json() : lb::Json::object();
    }

private slots:
    void initTestCase() {
        if (::geteuid() != 0)
            QSKIP("mounting a small tmpfs needs root");
        QVERIFY(tmp.isValid());
        mountPoint = tmp.filePath(QStringLiteral("small"));
        QVERIFY(QDir().mkpath(mountPoint));
        QVERIFY2(::mount("tmpfs", QFile::encodeName(mountPoint).constData(), "tmpfs", 0, "size=24m") == 0,
                 strerror(errno));
        mounted = true;
        ws = mountPoint + QStringLiteral("/ws");
        const CliResult r = runCli(tmp.path(), {QStringLiteral("workspace"), QStringLiteral("init"), ws});
        QVERIFY2(r.code == 0, r.err.constData());
        src = tmp.filePath(QStringLiteral("src")); // the source stays off the small disk
        writeFile(src + QStringLiteral("/printer.py"), kPrinterScript);
    }

    void cleanupTestCase() {
        if (mounted)
            ::umount2(QFile::encodeName(mountPoint).constData(), MNT_DETACH);
    }

    void aRunOutlastsAFullDiskWithEveryLineAndItsExitCode() {
        const CliResult submitted = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src,
                                                QStringLiteral("--entry"), QStringLiteral("printer.py")});
        QVERIFY2(submitted.code == 0, submitted.err.constData());
        const QString id = submitted.firstLine();
        const QString runDir = QString::fromStdString(show(id)["run_dir"]);
        const QString log = runDir + QStringLiteral("/driver.log");
        QVERIFY(waitFor([&] { return readFile(log).contains("line 100 "); }, 30000));

        fill(mountPoint);
        // The script runs to its end meanwhile; its output cannot be written yet.
        const int script =
            lb::Json::parse(readFile(runDir + QStringLiteral("/process.json")).toStdString())["pid"].get<int>();
        QVERIFY(waitFor([&] { return ::kill(script, 0) != 0; }, 30000));
        QThread::msleep(1500);
        const lb::Json during = show(id);
        QCOMPARE(QString::fromStdString(during.value("status", std::string())), QStringLiteral("Running"));
        QVERIFY2(QString::fromStdString(during.value("paused", std::string())).contains(QLatin1String("is full")),
                 during.dump().c_str());
        CliResult list = runCli(ws, {QStringLiteral("runs"), QStringLiteral("list")});
        QVERIFY2(list.code == 0 && list.out.contains(id.toUtf8()), list.err.constData());
        // A wait says why nothing happens rather than hanging silently.
        QProcess waiter;
        waiter.setReadChannel(QProcess::StandardError);
        waiter.start(labbenchBinary(), {QStringLiteral("--workspace"), ws, QStringLiteral("wait"), id});
        QByteArray waitSaid;
        QVERIFY2(waitFor([&] {
                     waiter.waitForReadyRead(100);
                     waitSaid += waiter.readAllStandardError();
                     return waitSaid.contains("is full");
                 },
                         10000),
                 waitSaid.constData());

        QVERIFY(QFile::remove(mountPoint + QStringLiteral("/filler")));
        QVERIFY(waiter.waitForFinished(30000));
        QCOMPARE(waiter.exitCode(), 7); // wait answers with the script's exit code
        const lb::Json after = show(id);
        QCOMPARE(QString::fromStdString(after["status"]), QStringLiteral("Failed"));
        QCOMPARE(after["exit_code"].get<int>(), 7);
        QVERIFY2(!QString::fromStdString(after.value("reason", std::string())).contains(QLatin1String("vanished")),
                 after.dump().c_str());
        // Every line once, in order.
        const QList<QByteArray> lines = readFile(log).split('\n');
        int next = 0;
        for (const QByteArray& line : lines)
            if (line.startsWith("line ")) {
                QCOMPARE(line.split(' ').value(1).toInt(), next);
                ++next;
            }
        QCOMPARE(next, 3000);
        // And the store has ingested them all.
        QVERIFY(show(id)["log_lines"].get<qint64>() >= 3000);
    }

    void readOnlyCommandsWorkOnADiskThatIsAlreadyFull() {
        // No process holds the store now, so its WAL files are gone; opening it needs room for them.
        QVERIFY(QFileInfo(ws + QStringLiteral("/labbench.db-wal")).size() == 0);
        fill(mountPoint);
        const CliResult list = runCli(ws, {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY2(list.code == 0, list.err.constData());
        QCOMPARE(int(list.json().size()), 1);
        const CliResult tag = runCli(ws, {QStringLiteral("runs"), QStringLiteral("tag"),
                                          QString::fromStdString(list.json()[0]["id"]), QStringLiteral("k=v")});
        QVERIFY(tag.code != 0);
        QVERIFY2(tag.err.contains("disk is full"), tag.err.constData());
        QVERIFY(QFile::remove(mountPoint + QStringLiteral("/filler")));
        const CliResult again = runCli(ws, {QStringLiteral("runs"), QStringLiteral("tag"),
                                            QString::fromStdString(list.json()[0]["id"]), QStringLiteral("k=v")});
        QVERIFY2(again.code == 0, again.err.constData());
    }
};

QTEST_GUILESS_MAIN(DiskFull)
#include "tst_disk_full.moc"
