// Several processes write to one store at once (the GUI and CLI processes share a workspace):
// nothing is lost, nothing fails with "database is locked", run numbers stay unique.
#include "tests/support/QtTestPrinters.h"
#include "core/store/Store.h"

#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

class StoreConcurrency : public QObject {
    Q_OBJECT
private slots:
    void concurrentWritersInSeparateProcessesLoseNothing() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("labbench.db"));
        { lb::Store create(path); } // migrated once up front is not required, but typical

        constexpr int kProcesses = 4;
        constexpr int kRunsEach = 25;
        std::vector<std::unique_ptr<QProcess>> writers;
        for (int p = 0; p < kProcesses; ++p) {
            auto proc = std::make_unique<QProcess>();
            proc->setProcessChannelMode(QProcess::ForwardedErrorChannel);
            proc->start(QStringLiteral(STORE_WRITER_HELPER),
                        {path, QStringLiteral("w%1").arg(p), QString::number(kRunsEach)});
            QVERIFY(proc->waitForStarted());
            writers.push_back(std::move(proc));
        }
        for (auto& proc : writers) {
            QVERIFY(proc->waitForFinished(60000));
            QCOMPARE(proc->exitStatus(), QProcess::NormalExit);
            QCOMPARE(proc->exitCode(), 0);
        }

        lb::Store store(path);
        const auto runs = store.runs().list(QStringLiteral("shared"));
        QCOMPARE(runs.size(), kProcesses * kRunsEach);
        QSet<int> numbers;
        for (const auto& run : runs) {
            numbers.insert(run.number);
            QCOMPARE_STATUS(run.status, lb::RunStatus::Completed);
            QCOMPARE(store.runs().history(run.id).size(), 4);
            QCOMPARE(store.metrics().count(run.id), 50);
        }
        QCOMPARE(numbers.size(), kProcesses * kRunsEach); // numbering raced nowhere
    }

    void concurrentFirstOpenMigratesOnce() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("fresh.db"));
        std::vector<std::unique_ptr<QProcess>> writers;
        for (int p = 0; p < 3; ++p) {
            auto proc = std::make_unique<QProcess>();
            proc->setProcessChannelMode(QProcess::ForwardedErrorChannel);
            proc->start(QStringLiteral(STORE_WRITER_HELPER), {path, QStringLiteral("f%1").arg(p), QStringLiteral("2")});
            QVERIFY(proc->waitForStarted());
            writers.push_back(std::move(proc));
        }
        for (auto& proc : writers) {
            QVERIFY(proc->waitForFinished(60000));
            QCOMPARE(proc->exitCode(), 0);
        }
        lb::Store store(path);
        QCOMPARE(store.runs().list().size(), 6);
    }
};

QTEST_GUILESS_MAIN(StoreConcurrency)
#include "tst_store_concurrency.moc"
