// System metrics in the store (issue 19): migration 9 on a real SQLite file, the repository's
// series and summaries per node, and the ingest of RUN/system/<node>.jsonl by byte offset, which
// like metrics.jsonl neither loses nor repeats a line across a restart, waits for a partial
// line, and reads only regular files inside system/.
#include "core/lifecycle/RunIngester.h"
#include "core/lifecycle/SystemMetricsIngester.h"
#include "core/store/Migrations.h"
#include "core/store/Store.h"
#include "tests/store/IngestTestSupport.h"
#include "core/store/SystemMetricRepository.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace lb;
using lbtest::append;
using lbtest::newRun;

namespace {

QByteArray line(const char* node, const char* name, double value, int step) {
    return QStringLiteral("{\"name\":\"%1\",\"value\":%2,\"time\":\"2026-01-02T03:04:05.500Z\","
                          "\"step\":%3,\"node\":\"%4\"}\n")
        .arg(QLatin1String(name))
        .arg(value)
        .arg(step)
        .arg(QLatin1String(node))
        .toUtf8();
}

} // namespace

class SystemMetricsStoreTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void migrationNineAddsTheTablesToAnOldStore() {
        const QString path = dir_.filePath(QStringLiteral("old.db"));
        {
            Database db(path);
            migrate(db, 8); // a store of the release before
            db.exec(
                "INSERT INTO experiments(name, created) VALUES('e', '2025-01-01T00:00:00.000Z')");
            db.exec("INSERT INTO runs(id, experiment_id, number, compute_target, status, created, "
                    "run_dir) VALUES('r1', 1, 1, 'local', 'Completed', '2025-01-01T00:00:00.000Z', "
                    "'/x')");
        }
        Store store(path);
        QCOMPARE(store.database().userVersion(), latestSchemaVersion());
        QVERIFY(latestSchemaVersion() >= 9); // 10 (#20 item 2) came after
        SystemMetricRepository repo(store.database());
        repo.append(QStringLiteral("r1"),
                    {{QStringLiteral("n1"), QStringLiteral("cpu_percent"), 50, 0, 1.0}});
        QCOMPARE(repo.count(QStringLiteral("r1")), 1);
        QCOMPARE(store.metrics().count(QStringLiteral("r1")), 0); // apart from the script's own
    }

    void seriesAreSummarisedPerNodeAndRemovedWithTheRun() {
        Store store(dir_.filePath(QStringLiteral("s.db")));
        store.runs().create(newRun(QStringLiteral("r"), dir_.filePath(QStringLiteral("r"))));
        SystemMetricRepository repo(store.database());
        repo.append(QStringLiteral("r"),
                    {{QStringLiteral("n2"), QStringLiteral("cpu_percent"), 10, 0, 1},
                     {QStringLiteral("n1"), QStringLiteral("cpu_percent"), 90, 0, 1},
                     {QStringLiteral("n1"), QStringLiteral("cpu_percent"), 30, 1, 2}});
        repo.append(QStringLiteral("r"),
                    {{QStringLiteral("n1"), QStringLiteral("cpu_percent"), 60, 2, 3}});
        const auto series = repo.series(QStringLiteral("r"));
        QCOMPARE(series.size(), 2);
        QCOMPARE(series[0].node, QStringLiteral("n1"));
        QCOMPARE(series[0].points, 3);
        QCOMPARE(*series[0].last, 60.0);
        QCOMPARE(*series[0].min, 30.0);
        QCOMPARE(*series[0].max, 90.0);
        QCOMPARE(series[1].node, QStringLiteral("n2"));
        std::vector<SystemMetricPoint> tail;
        repo.readFrom(series[0].id, 1, 10, tail);
        QCOMPARE(tail.size(), size_t(2));
        QCOMPARE(tail[0].value, 30.0);
        QCOMPARE(tail[1].step, 2);
        QCOMPARE(store.runs().removeRuns({QStringLiteral("r")}), 1);
        Statement left(store.database(), "SELECT COUNT(*) FROM system_metrics");
        QVERIFY(left.step());
        QCOMPARE(left.int64(0), 0); // the points went with their series and run
    }

    void ingestByOffsetSurvivesARestartAndWaitsForPartialLines() {
        const QString runDir = dir_.filePath(QStringLiteral("run1"));
        Store store(dir_.filePath(QStringLiteral("i.db")));
        store.runs().create(newRun(QStringLiteral("run1"), runDir));
        const QString n1 = runDir + QStringLiteral("/system/n1.jsonl");
        const QString n2 = runDir + QStringLiteral("/system/n2.jsonl");
        append(n1, line("n1", "cpu_percent", 99.5, 0) + line("n1", "memory_rss_bytes", 1e9, 0));
        QByteArray half = line("n1", "cpu_percent", 42, 1);
        append(n1, half.left(20));
        append(n2, line("n2", "memory_rss_bytes", 5e8, 0));
        SystemMetricRepository repo(store.database());
        {
            RunIngester ingester(store, QStringLiteral("run1"), runDir);
            QVERIFY(ingester.ingest());
            QCOMPARE(repo.count(QStringLiteral("run1")), 3);
            QVERIFY(!ingester.ingest()); // nothing new: the partial line waits
        }
        append(n1, half.mid(20));
        QStringList warnings;
        append(n1, "not json\n" + line("n1", "disk_read_bytes", 4096, 1));
        {
            // A new ingester (a restarted supervisor) resumes at the stored offsets.
            RunIngester ingester(store, QStringLiteral("run1"), runDir,
                                 [&](const QString& w) { warnings << w; });
            QVERIFY(ingester.ingest());
        }
        QCOMPARE(repo.count(QStringLiteral("run1")), 5);
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings[0].contains(QLatin1String("system/n1.jsonl")), qPrintable(warnings[0]));
        const auto points = repo.all(QStringLiteral("run1"));
        QCOMPARE(points.front().node, QStringLiteral("n1"));
        QCOMPARE(points.back().node, QStringLiteral("n2"));
        for (const SystemMetricPoint& p : points)
            QCOMPARE(p.time, 1767323045.5); // 2026-01-02T03:04:05.500Z
        const auto offset =
            store.runs().ingestOffset(QStringLiteral("run1"), QStringLiteral("system/n1.jsonl"));
        QCOMPARE(offset.bytes, QFileInfo(n1).size());
    }

    void onlyRegularFilesInsideTheFolderAreRead() {
        const QString runDir = dir_.filePath(QStringLiteral("run2"));
        Store store(dir_.filePath(QStringLiteral("h.db")));
        store.runs().create(newRun(QStringLiteral("run2"), runDir));
        const QString outside = dir_.filePath(QStringLiteral("outside.jsonl"));
        append(outside, line("evil", "cpu_percent", 1, 0));
        QDir().mkpath(runDir + QStringLiteral("/system"));
        QVERIFY(QFile::link(outside, runDir + QStringLiteral("/system/link.jsonl")));
        append(runDir + QStringLiteral("/system/n1.jsonl"), line("n1", "cpu_percent", 1, 0));
        SystemMetricsIngester ingester(store, QStringLiteral("run2"), systemMetricsDir(runDir));
        QVERIFY(ingester.ingest(true));
        const auto points = SystemMetricRepository(store.database()).all(QStringLiteral("run2"));
        QCOMPARE(points.size(), size_t(1));
        QCOMPARE(points[0].node, QStringLiteral("n1"));
    }
};

QTEST_GUILESS_MAIN(SystemMetricsStoreTest)
#include "tst_system_metrics.moc"
