// The pipe between a script and driver.log (#20 item 4): bytes arrive whole and in order, and a
// script that closes its output and runs on does not make the supervisor spin.
#include "core/runs/OutputRelay.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>
#include <unistd.h>

namespace {

double cpuSeconds() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

} // namespace

class OutputRelayTest : public QObject {
    Q_OBJECT

private slots:
    void bytesArriveWholeAndInOrder() {
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("driver.log"));
        lb::OutputRelay relay(log);
        const int writer = ::dup(relay.scriptEnd());
        relay.closeScriptEnd();
        QByteArray expected;
        for (int i = 0; i < 20000; ++i) {
            const QByteArray line = "line " + QByteArray::number(i) + '\n';
            expected += line;
            QCOMPARE(::write(writer, line.constData(), size_t(line.size())), ssize_t(line.size()));
            if (i % 1000 == 0)
                relay.pump(1); // less than a pipe's worth between pumps
        }
        ::close(writer);
        QVERIFY(relay.drain());
        QFile f(log);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), expected);
        QCOMPARE(relay.heldBytes(), 0);
    }

    void aClosedStreamIsWaitedOnNotSpunOn() {
        QTemporaryDir dir;
        lb::OutputRelay relay(dir.filePath(QStringLiteral("driver.log")));
        relay.closeScriptEnd(); // every writer gone: the script closed its output and runs on
        const double cpuBefore = cpuSeconds();
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < 5; ++i)
            relay.pump(100);
        QVERIFY2(clock.elapsed() >= 450, qPrintable(QString::number(clock.elapsed())));
        const double used = cpuSeconds() - cpuBefore;
        QVERIFY2(used < 0.1, qPrintable(QStringLiteral("%1 s of CPU in 0.5 s").arg(used)));
    }
};

QTEST_GUILESS_MAIN(OutputRelayTest)
#include "tst_output_relay.moc"
