// Attempts in the store (#20 item 2): the markers of metrics.jsonl ingested in stream order on
// a real SQLite file. Points after the last checkpoint are superseded when the next attempt
// starts (kept, hidden from reads, counts and summaries), auto-assigned steps continue from the
// kept points, live reads skip them, the attempts say where each resumed from, a store of the
// schema before keeps its points as attempt 1, and only resume moves a final run to Queued.
#include "core/lifecycle/MetricLine.h"
#include "core/lifecycle/RunIngester.h"
#include "core/store/MetricStream.h"
#include "core/store/Migrations.h"
#include "core/store/RunAttempts.h"
#include "core/store/Store.h"
#include "tests/store/IngestTestSupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace lb;
using lbtest::append;
using lbtest::newRun;

namespace {

std::vector<std::pair<std::int64_t, double>> stepsAndValues(const std::vector<MetricPoint>& points) {
    std::vector<std::pair<std::int64_t, double>> out;
    for (const MetricPoint& p : points)
        out.emplace_back(p.step, p.value);
    return out;
}

} // namespace

class TestRunAttempts : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void markersParse() {
        MetricLine m;
        parseMetricLine(R"({"type":"checkpoint","path":"/r/ck-2","step":240,"time":5.5})", m);
        QVERIFY(m.kind == MetricLine::Kind::Checkpoint);
        QCOMPARE(m.name, std::string("/r/ck-2"));
        QCOMPARE(m.step, std::int64_t(240));
        QCOMPARE(m.time, 5.5);
        parseMetricLine(R"({"type":"checkpoint","path":"ck"})", m);
        QVERIFY(m.kind == MetricLine::Kind::Checkpoint);
        QCOMPARE(m.step, std::int64_t(-1));
        parseMetricLine(R"({"type":"attempt","reason":"requeue","time":7})", m);
        QVERIFY(m.kind == MetricLine::Kind::Attempt);
        QCOMPARE(m.name, std::string("requeue"));
        parseMetricLine(R"({"type":"checkpoint","step":3})", m);
        QVERIFY(m.kind == MetricLine::Kind::Invalid);
        QVERIFY(m.error.contains(QStringLiteral("\"path\"")));
        parseMetricLine(R"({"type":"checkpoint","path":"p","step":-4})", m);
        QVERIFY(m.kind == MetricLine::Kind::Invalid);
    }

    void ingestSupersedesWhatCameAfterTheLastCheckpoint() {
        const QString runDir = dir_.filePath(QStringLiteral("run1"));
        Store store(dir_.filePath(QStringLiteral("a.db")));
        store.runs().create(newRun(QStringLiteral("run1"), runDir));
        store.runs().transition(QStringLiteral("run1"), RunStatus::Running);
        const QString file = runDir + QStringLiteral("/metrics.jsonl");
        // Attempt 1: loss at auto steps 0..2, a checkpoint, loss 3..4 and a series begun late.
        append(file, "{\"name\":\"loss\",\"value\":1}\n{\"name\":\"loss\",\"value\":2}\n{\"name\":\"loss\",\"value\":3}\n"
                     "{\"name\":\"acc\",\"value\":0.5,\"step\":7}\n"
                     "{\"type\":\"checkpoint\",\"path\":\"ck/a\",\"step\":30,\"time\":100}\n"
                     "{\"name\":\"loss\",\"value\":40}\n{\"name\":\"loss\",\"value\":50}\n"
                     "{\"name\":\"acc\",\"value\":0.9,\"step\":8}\n{\"name\":\"late\",\"value\":1}\n");
        RunIngester(store, QStringLiteral("run1"), runDir).ingest();
        store.runs().transition(QStringLiteral("run1"), RunStatus::Failed, QStringLiteral("node died"));
        auto metrics = store.metrics();
        QCOMPARE(metrics.count(QStringLiteral("run1")), 8);

        // Attempt 2 in a later poll, its first points in the same chunk as its marker.
        append(file, "{\"type\":\"attempt\",\"reason\":\"resume\",\"time\":4102444800}\n"
                     "{\"name\":\"loss\",\"value\":4}\n{\"name\":\"acc\",\"value\":0.8,\"step\":8}\n");
        RunAttemptRepository attempts(store.database());
        QCOMPARE(attempts.currentAttempt(QStringLiteral("run1")), 1);
        RunIngester(store, QStringLiteral("run1"), runDir).ingest();
        QCOMPARE(attempts.currentAttempt(QStringLiteral("run1")), 2);

        const auto loss = metrics.series(QStringLiteral("run1"), QStringLiteral("loss"));
        QCOMPARE(stepsAndValues(loss), (std::vector<std::pair<std::int64_t, double>>{{0, 1}, {1, 2}, {2, 3}, {3, 4}}));
        QCOMPARE(loss.back().attempt, 2);
        QCOMPARE(loss.front().attempt, 1);
        const auto all = metrics.series(QStringLiteral("run1"), QStringLiteral("loss"), true);
        QCOMPARE(all.size(), size_t(6));
        QVERIFY(all[3].superseded && all[4].superseded && !all[5].superseded);
        QCOMPARE(all[3].value, 40.0);
        QVERIFY(metrics.series(QStringLiteral("run1"), QStringLiteral("late")).empty());
        QCOMPARE(metrics.series(QStringLiteral("run1"), QStringLiteral("late"), true).size(), size_t(1));
        QCOMPARE(metrics.count(QStringLiteral("run1")), 6); // loss 4, acc 2
        QCOMPARE(metrics.last(QStringLiteral("run1"), QStringLiteral("acc"))->value, 0.8);

        // The summaries the runs table sorts on leave superseded points out.
        for (const MetricSummary& m : metrics.summaries(QStringLiteral("run1"))) {
            if (m.name == QLatin1String("loss")) {
                QCOMPARE(m.points, 4);
                QCOMPARE(m.max, 4.0);
                QCOMPARE(m.last, 4.0);
                QCOMPARE(m.lastStep, 3);
            }
            if (m.name == QLatin1String("acc")) {
                QCOMPARE(m.max, 0.8);
                QCOMPARE(m.maxStep, 8);
            }
        }

        // Live reads skip what is superseded and know where to read next.
        MetricStreamReader reader(store.database());
        std::int64_t lossSeries = 0, length = 0, superseded = 0;
        for (const MetricSeriesInfo& info : reader.seriesOf(QStringLiteral("run1")))
            if (info.name == QLatin1String("loss")) {
                lossSeries = info.seriesId;
                length = info.points;
                superseded = info.superseded;
            }
        QCOMPARE(length, 6);
        QCOMPARE(superseded, 2);
        std::vector<MetricPoint> read;
        QCOMPARE(reader.readFrom(lossSeries, 0, 3, read, length), 3);
        QCOMPARE(reader.readFrom(lossSeries, 3, 100, read, length), 6);
        QCOMPARE(stepsAndValues(read), stepsAndValues(loss));

        const QList<RunAttempt> list = attempts.attempts(QStringLiteral("run1"));
        QCOMPARE(list.size(), 2);
        QCOMPARE(list[0].number, 1);
        QVERIFY(list[0].endStatus == RunStatus::Failed);
        QCOMPARE(list[0].endReason, QStringLiteral("node died"));
        QVERIFY(list[0].resumedFrom.isEmpty());
        QCOMPARE(list[1].reason, QStringLiteral("resume"));
        QCOMPARE(list[1].resumedFrom, QStringLiteral("ck/a"));
        QCOMPARE(*list[1].resumeStep, std::int64_t(30));
        QCOMPARE(list[1].started, QDateTime::fromSecsSinceEpoch(4102444800, QTimeZone::utc()));
        QVERIFY(!list[1].endStatus); // the run is Failed from attempt 1's end only
    }

    // A third attempt after a second that reported no checkpoint: the second's points go too,
    // the first's up to its checkpoint stay.
    void aSecondDeathGoesBackToTheSameCheckpoint() {
        const QString runDir = dir_.filePath(QStringLiteral("run2"));
        Store store(dir_.filePath(QStringLiteral("b.db")));
        store.runs().create(newRun(QStringLiteral("run2"), runDir));
        append(runDir + QStringLiteral("/metrics.jsonl"),
               "{\"name\":\"x\",\"value\":0}\n{\"type\":\"checkpoint\",\"path\":\"c1\"}\n{\"name\":\"x\",\"value\":1}\n"
               "{\"type\":\"attempt\",\"reason\":\"requeue\"}\n{\"name\":\"x\",\"value\":11}\n{\"name\":\"x\",\"value\":12}\n"
               "{\"type\":\"attempt\",\"reason\":\"requeue\"}\n{\"name\":\"x\",\"value\":21}\n");
        RunIngester ingester(store, QStringLiteral("run2"), runDir);
        ingester.setChunkBytes(64); // markers and points across many transactions
        ingester.ingest();
        QCOMPARE(stepsAndValues(store.metrics().series(QStringLiteral("run2"), QStringLiteral("x"))),
                 (std::vector<std::pair<std::int64_t, double>>{{0, 0}, {1, 21}}));
        const auto all = store.metrics().series(QStringLiteral("run2"), QStringLiteral("x"), true);
        QCOMPARE(all.size(), size_t(5));
        QCOMPARE(all[2].attempt, 2);
        QVERIFY(all[1].superseded && all[2].superseded && all[3].superseded);
        const QList<RunAttempt> list = RunAttemptRepository(store.database()).attempts(QStringLiteral("run2"));
        QCOMPARE(list.size(), 3);
        QCOMPARE(list[2].resumedFrom, QStringLiteral("c1"));
        QVERIFY(!list[2].resumeStep);
    }

    void onlyResumeMovesAFinalRunBackToQueued() {
        Store store(dir_.filePath(QStringLiteral("c.db")));
        store.runs().create(newRun(QStringLiteral("r"), dir_.filePath(QStringLiteral("r"))));
        RunAttemptRepository attempts(store.database());
        QVERIFY(!attempts.reopen(QStringLiteral("r"), QStringLiteral("x"))); // Queued
        store.runs().transition(QStringLiteral("r"), RunStatus::Running);
        QVERIFY(!attempts.reopen(QStringLiteral("r"), QStringLiteral("x"))); // Running
        store.runs().transition(QStringLiteral("r"), RunStatus::Canceled, QStringLiteral("by user"));
        store.runs().setExitCode(QStringLiteral("r"), 143);
        QVERIFY(!store.runs().transition(QStringLiteral("r"), RunStatus::Queued)); // not the table's
        QVERIFY(attempts.reopen(QStringLiteral("r"), QStringLiteral("Resumed as attempt 2")));
        const RunRecord run = *store.runs().find(QStringLiteral("r"));
        QVERIFY(run.status == RunStatus::Queued);
        QVERIFY(!run.exitCode && !run.ended.isValid() && run.reason.isEmpty());
        QVERIFY(run.started.isValid()); // the first start stays
        const auto history = store.runs().history(QStringLiteral("r"));
        QCOMPARE(history.size(), 4);
        QVERIFY(history[2].status == RunStatus::Canceled && history[3].status == RunStatus::Queued);
        QCOMPARE(history[3].reason, QStringLiteral("Resumed as attempt 2"));
        store.runs().transition(QStringLiteral("r"), RunStatus::Completed);
        QVERIFY(!attempts.reopen(QStringLiteral("r"), QStringLiteral("x"))); // Completed
        QVERIFY(!attempts.reopen(QStringLiteral("nope"), QStringLiteral("x")));
    }

    void aStoreOfTheSchemaBeforeKeepsItsPointsAsAttemptOne() {
        const QString path = dir_.filePath(QStringLiteral("old.db"));
        {
            Database db(path);
            migrate(db, 9);
            db.exec("INSERT INTO experiments(name, created) VALUES('e', '2025-01-01T00:00:00.000Z')");
            db.exec("INSERT INTO runs(id, experiment_id, number, compute_target, status, created, run_dir) "
                    "VALUES('r1', 1, 1, 'local', 'Completed', '2025-01-01T00:00:00.000Z', '/x')");
            db.exec("INSERT INTO run_states(run_id, status, time) VALUES('r1', 'Completed', "
                    "'2025-01-01T00:00:01.000Z')");
            db.exec("INSERT INTO metric_series(id, run_id, name, points, last_step) VALUES(1, 'r1', 'm', 2, 1)");
            db.exec("INSERT INTO metrics(series_id, seq, step, value, time) VALUES(1, 0, 0, 1.5, 1), (1, 1, 1, 2.5, 2)");
        }
        Store store(path);
        QCOMPARE(store.database().userVersion(), latestSchemaVersion());
        const auto points = store.metrics().series(QStringLiteral("r1"), QStringLiteral("m"), true);
        QCOMPARE(points.size(), size_t(2));
        QVERIFY(points[0].attempt == 1 && !points[0].superseded && points[1].attempt == 1 && !points[1].superseded);
        QCOMPARE(store.metrics().count(QStringLiteral("r1")), 2);
        const QList<RunAttempt> list = RunAttemptRepository(store.database()).attempts(QStringLiteral("r1"));
        QCOMPARE(list.size(), 1);
        QVERIFY(list[0].endStatus == RunStatus::Completed);
    }
};

QTEST_GUILESS_MAIN(TestRunAttempts)
#include "tst_run_attempts.moc"
