// Files a user controls, through the real labbench binary (#25): a FIFO or a link to /dev/zero
// where config.json, an estimator or an ignore file should be. Every command answers at once
// with one sentence that names the file, and nothing hangs or fills memory.
#include "tests/support/CliRunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

namespace {

constexpr int kPromptMs = 10000; // a blocked open() would sit here until the runner kills it

bool makeFifo(const QString& path) {
    return ::mkfifo(QFile::encodeName(path).constData(), 0644) == 0;
}

} // namespace

class WorkspaceHostileFiles : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    int counter_ = 0;

    // A fresh workspace whose config.json is replaced by what `replace` makes at its path.
    template <typename Replace> QString workspaceWithConfig(Replace replace) {
        const QString ws = tmp_.filePath(QStringLiteral("ws%1").arg(++counter_));
        if (runLabbench({QStringLiteral("workspace"), QStringLiteral("init"), ws}).exitCode != 0)
            return {};
        const QString config = ws + QStringLiteral("/config.json");
        QFile::remove(config);
        return replace(config) ? ws : QString();
    }

    // Runs `args`, failing unless it ends in time with exit 1 and one line on stderr.
    QByteArray refusedPromptly(const QStringList& args, const QString& cwd = {}) {
        QElapsedTimer clock;
        clock.start();
        const CliResult r =
            runLabbench(args, cwd, QProcessEnvironment::systemEnvironment(), kPromptMs);
        const qint64 ms = clock.elapsed();
        if (r.exitCode != 1 || r.err.count('\n') != 1 || ms >= kPromptMs) {
            qWarning("exit %d after %lld ms: %s", r.exitCode, qlonglong(ms), r.err.constData());
            return {};
        }
        return r.err;
    }

private slots:
    void aFifoAsConfigJsonIsRefusedAtOnce() { // #25
        const QString ws = workspaceWithConfig(makeFifo);
        QVERIFY(!ws.isEmpty());
        for (const QStringList& command :
             {QStringList{QStringLiteral("runs"), QStringLiteral("list")},
              QStringList{QStringLiteral("workspace"), QStringLiteral("show")}}) {
            const QByteArray err =
                refusedPromptly(QStringList{QStringLiteral("--workspace"), ws} + command);
            QVERIFY2(err.contains(
                         (ws + QStringLiteral("/config.json is a FIFO (named pipe), not a regular "
                                              "file"))
                             .toUtf8()),
                     err.constData());
            QVERIFY(err.contains("replace it with a regular file"));
        }
    }

    void aFifoConfigOnTheWayUpIsPassedOver() { // #25
        // Discovery from the current folder looks at every config.json above it.
        const QString dir = tmp_.filePath(QStringLiteral("project"));
        QVERIFY(QDir().mkpath(dir + QStringLiteral("/src")));
        QVERIFY(makeFifo(dir + QStringLiteral("/config.json")));
        QElapsedTimer clock;
        clock.start();
        const CliResult r = runLabbench(
            {QStringLiteral("workspace"), QStringLiteral("show"), QStringLiteral("--json")},
            dir + QStringLiteral("/src"), QProcessEnvironment::systemEnvironment(), kPromptMs);
        QVERIFY2(r.exitCode == 0, r.err.constData()); // the default workspace answered instead
        QVERIFY(clock.elapsed() < kPromptMs);
    }

    void aLinkToDevZeroAsConfigJsonIsRefusedNotReadForever() { // #25
        const QString ws = workspaceWithConfig(
            [](const QString& path) { return QFile::link(QStringLiteral("/dev/zero"), path); });
        QVERIFY(!ws.isEmpty());
        const QByteArray err = refusedPromptly(
            {QStringLiteral("--workspace"), ws, QStringLiteral("runs"), QStringLiteral("list")});
        QVERIFY2(err.contains(
                     (ws + QStringLiteral("/config.json is a character device, not a regular file"))
                         .toUtf8()),
                 err.constData());
    }

    void aHugeConfigJsonIsRefusedWithItsLimit() { // #25
        const QString ws = workspaceWithConfig([](const QString& path) {
            QFile f(path);
            return f.open(QIODevice::WriteOnly) && f.resize(17 << 20); // 17 MiB of holes
        });
        QVERIFY(!ws.isEmpty());
        const QByteArray err = refusedPromptly(
            {QStringLiteral("--workspace"), ws, QStringLiteral("runs"), QStringLiteral("list")});
        QVERIFY2(
            err.contains((ws + QStringLiteral("/config.json holds more than 16 MiB")).toUtf8()),
            err.constData());
    }

    void aFifoEstimatorOrIgnoreFileIsRefusedAtOnce() { // #25
        const QString ws = tmp_.filePath(QStringLiteral("submit"));
        QCOMPARE(runLabbench({QStringLiteral("workspace"), QStringLiteral("init"), ws}).exitCode,
                 0);
        const QString src = tmp_.filePath(QStringLiteral("src"));
        QVERIFY(QDir().mkpath(src));
        QFile script(src + QStringLiteral("/train.py"));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("print('hello')\n");
        script.close();

        const QString estimator = tmp_.filePath(QStringLiteral("estimator.json"));
        QVERIFY(makeFifo(estimator));
        QByteArray err =
            refusedPromptly({QStringLiteral("--workspace"), ws, QStringLiteral("submit"),
                             QStringLiteral("--estimator"), estimator});
        QVERIFY2(err.contains((estimator + QStringLiteral(" is a FIFO")).toUtf8()),
                 err.constData());

        const QString ignore = src + QStringLiteral("/.labbenchignore");
        QVERIFY(makeFifo(ignore));
        err = refusedPromptly({QStringLiteral("--workspace"), ws, QStringLiteral("submit"),
                               QStringLiteral("--source"), src, QStringLiteral("--entry"),
                               QStringLiteral("train.py")});
        QVERIFY2(err.contains((ignore + QStringLiteral(" is a FIFO")).toUtf8()), err.constData());
        // The workspace itself is untouched: it still lists its (no) runs.
        const CliResult list = runLabbench(
            {QStringLiteral("--workspace"), ws, QStringLiteral("runs"), QStringLiteral("list")});
        QVERIFY2(list.exitCode == 0, list.err.constData());
    }
};

QTEST_GUILESS_MAIN(WorkspaceHostileFiles)
#include "tst_workspace_hostile_files.moc"
