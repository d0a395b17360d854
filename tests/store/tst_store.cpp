// The store: migrations, the run state machine, metrics, models, compute targets.
#include "tests/support/QtTestPrinters.h"
#include "core/store/Migrations.h"
#include "core/store/Store.h"
#include "core/util/Error.h"

#include <QTemporaryDir>
#include <QTest>

using namespace lb;

namespace {
RunRecord newRun(const QString& id, const QString& experiment = QStringLiteral("exp")) {
    RunRecord r;
    r.id = id;
    r.experiment = experiment;
    r.computeTarget = QStringLiteral("local");
    r.runDir = QStringLiteral("/tmp/") + id;
    return r;
}
} // namespace

class StoreTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    int counter_ = 0;
    QString freshPath() { return dir_.filePath(QStringLiteral("s%1.db").arg(++counter_)); }

private slots:
    void newStoreIsInWalModeAtLatestSchema() {
        Store store(freshPath());
        QCOMPARE(store.database().userVersion(), latestSchemaVersion());
        Statement s(store.database(), "PRAGMA journal_mode");
        QVERIFY(s.step());
        QCOMPARE(s.text(0), QStringLiteral("wal"));
    }

    void olderSchemaMigratesForwardKeepingData() {
        const QString path = freshPath();
        {
            Database db(path);
            migrate(db, 1); // a store written by the first release
            QCOMPARE(db.userVersion(), 1);
            db.exec("INSERT INTO experiments(name, created) VALUES('old', '2025-01-01T00:00:00.000Z')");
            db.exec("INSERT INTO runs(id, experiment_id, number, compute_target, status, created, run_dir) "
                    "VALUES('r1', 1, 1, 'local', 'Completed', '2025-01-01T00:00:00.000Z', '/x')");
        }
        Store store(path);
        QCOMPARE(store.database().userVersion(), latestSchemaVersion());
        const auto run = store.runs().find(QStringLiteral("r1"));
        QVERIFY(run);
        QCOMPARE(run->experiment, QStringLiteral("old"));
        QCOMPARE_STATUS(run->status, RunStatus::Completed);
        // Tables of later migrations exist and work.
        store.metrics().append(QStringLiteral("r1"), {{QStringLiteral("acc"), 0.5, 0, 1.0}});
        QCOMPARE(store.metrics().count(QStringLiteral("r1")), 1);
    }

    void newerSchemaIsRefusedWithClearError() {
        const QString path = freshPath();
        {
            Database db(path);
            db.setUserVersion(latestSchemaVersion() + 5);
        }
        try {
            Store store(path);
            QFAIL("a newer store must be refused");
        } catch (const Error& e) {
            QVERIFY2(e.message().contains(QStringLiteral("newer")), qPrintable(e.message()));
            QVERIFY(e.message().contains(path));
        }
    }

    void notADatabaseGivesClearError() {
        const QString path = freshPath();
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        try {
            Store store(path);
            QFAIL("garbage must be refused");
        } catch (const Error& e) {
            QVERIFY2(e.message().contains(path), qPrintable(e.message()));
        }
    }

    void runStateMachineAllowsOnlyForwardMoves() {
        QVERIFY(canTransition(RunStatus::Queued, RunStatus::Preparing));
        QVERIFY(canTransition(RunStatus::Queued, RunStatus::Running)); // a scheduler may skip one
        QVERIFY(canTransition(RunStatus::Running, RunStatus::Canceled));
        QVERIFY(!canTransition(RunStatus::Running, RunStatus::Queued));
        QVERIFY(!canTransition(RunStatus::Queued, RunStatus::Completed));
        QVERIFY(!canTransition(RunStatus::Completed, RunStatus::Failed));
        QVERIFY(!canTransition(RunStatus::Canceled, RunStatus::Running));
        QVERIFY(isTerminal(RunStatus::Failed));
        QVERIFY(!isTerminal(RunStatus::Finalizing));
        QCOMPARE_STATUS(runStatusFromString(QStringLiteral("finalizing")).value(), RunStatus::Finalizing);
        QVERIFY(!runStatusFromString(QStringLiteral("Starting")));
    }

    // #19 item 4: Preempted is not final and goes on to Queued; the table is the whole truth.
    void preemptedRunsMayBeQueuedAgain() {
        QVERIFY(!isTerminal(RunStatus::Preempted));
        QCOMPARE(toString(RunStatus::Preempted), QStringLiteral("Preempted"));
        QCOMPARE_STATUS(runStatusFromString(QStringLiteral("preempted")).value(), RunStatus::Preempted);
        QCOMPARE(allRunStatuses().size(), 8);
        QVERIFY(canTransition(RunStatus::Running, RunStatus::Preempted));
        QVERIFY(canTransition(RunStatus::Preempted, RunStatus::Queued));
        QVERIFY(canTransition(RunStatus::Preempted, RunStatus::Running));
        QVERIFY(canTransition(RunStatus::Preempted, RunStatus::Failed));
        QVERIFY(canTransition(RunStatus::Preempted, RunStatus::Canceled));
        QVERIFY(!canTransition(RunStatus::Preempted, RunStatus::Completed));
        QVERIFY(!canTransition(RunStatus::Queued, RunStatus::Preempted)); // it never ran
        for (RunStatus from : allRunStatuses())
            for (RunStatus to : allRunStatuses()) {
                if (isTerminal(from) || from == to)
                    QVERIFY(!canTransition(from, to));
                else if (to == RunStatus::Failed || to == RunStatus::Canceled)
                    QVERIFY(canTransition(from, to));
            }

        Store store(freshPath());
        store.runs().create(newRun(QStringLiteral("p")));
        QVERIFY(store.runs().transition(QStringLiteral("p"), RunStatus::Running));
        QVERIFY(!store.runs().transition(QStringLiteral("p"), RunStatus::Queued));
        QVERIFY(store.runs().transition(QStringLiteral("p"), RunStatus::Preempted, QStringLiteral("Preempted by Slurm (job 7 on n1, REQUEUED)")));
        QCOMPARE_STATUS(store.runs().find(QStringLiteral("p"))->status, RunStatus::Preempted);
        QVERIFY(!store.runs().find(QStringLiteral("p"))->ended.isValid()); // not final: no end time
        QVERIFY(store.runs().transition(QStringLiteral("p"), RunStatus::Queued));
        QVERIFY(store.runs().transition(QStringLiteral("p"), RunStatus::Running));
        QVERIFY(store.runs().transition(QStringLiteral("p"), RunStatus::Completed));
        QStringList path;
        for (const auto& h : store.runs().history(QStringLiteral("p")))
            path << toString(h.status);
        QCOMPARE(path.join(QLatin1Char(' ')), QStringLiteral("Queued Running Preempted Queued Running Completed"));
        QCOMPARE(store.runs().listByStatus({RunStatus::Preempted}).size(), 0);
    }

    void runHistoryRecordsEveryTransitionWithTime() {
        Store store(freshPath());
        const RunRecord created = store.runs().create(newRun(QStringLiteral("a")));
        QCOMPARE(created.number, 1);
        QCOMPARE(store.runs().create(newRun(QStringLiteral("b"))).number, 2);
        QCOMPARE(store.runs().create(newRun(QStringLiteral("c"), QStringLiteral("other"))).number, 1);
        QVERIFY(store.runs().transition(QStringLiteral("a"), RunStatus::Preparing));
        QVERIFY(store.runs().transition(QStringLiteral("a"), RunStatus::Running));
        QVERIFY(store.runs().transition(QStringLiteral("a"), RunStatus::Failed, QStringLiteral("exit 3")));
        QVERIFY(!store.runs().transition(QStringLiteral("a"), RunStatus::Completed)); // final stays final
        const auto run = store.runs().find(QStringLiteral("a"));
        QCOMPARE_STATUS(run->status, RunStatus::Failed);
        QCOMPARE(run->reason, QStringLiteral("exit 3"));
        QVERIFY(run->started.isValid());
        QVERIFY(run->ended.isValid());
        const auto history = store.runs().history(QStringLiteral("a"));
        QCOMPARE(history.size(), 4);
        QCOMPARE_STATUS(history[0].status, RunStatus::Queued);
        QCOMPARE_STATUS(history[3].status, RunStatus::Failed);
        for (const auto& h : history)
            QVERIFY(h.time.isValid());
        QVERIFY_THROWS_EXCEPTION(NotFoundError, store.runs().transition(QStringLiteral("zz"), RunStatus::Running));
    }

    void runsListNewestFirstAndByExperiment() {
        Store store(freshPath());
        store.runs().create(newRun(QStringLiteral("r1")));
        store.runs().create(newRun(QStringLiteral("r2"), QStringLiteral("b")));
        store.runs().create(newRun(QStringLiteral("r3")));
        const auto all = store.runs().list();
        QCOMPARE(all.size(), 3);
        QCOMPARE(all.first().id, QStringLiteral("r3"));
        QCOMPARE(store.runs().list(QStringLiteral("b")).size(), 1);
        const auto experiments = store.experiments().list();
        QCOMPARE(experiments.size(), 2);
        QCOMPARE(experiments[0].name, QStringLiteral("b"));
        QCOMPARE(experiments[1].runCount, 2);
    }

    void metricsKeepOrderAndNumberMissingSteps() {
        Store store(freshPath());
        store.runs().create(newRun(QStringLiteral("m")));
        store.metrics().append(QStringLiteral("m"), {{QStringLiteral("loss"), 3.0, -1, 1.0},
                                                     {QStringLiteral("acc"), 0.1, 5, 1.0},
                                                     {QStringLiteral("loss"), 2.0, -1, 2.0}});
        store.metrics().append(QStringLiteral("m"), {{QStringLiteral("loss"), 1.0, -1, 3.0}});
        const auto loss = store.metrics().series(QStringLiteral("m"), QStringLiteral("loss"));
        QCOMPARE(loss.size(), size_t(3));
        QCOMPARE(loss[0].step, 0);
        QCOMPARE(loss[2].step, 2);
        QCOMPARE(loss[2].value, 1.0);
        QCOMPARE(store.metrics().names(QStringLiteral("m")), (QStringList{QStringLiteral("loss"), QStringLiteral("acc")}));
        QCOMPARE(store.metrics().last(QStringLiteral("m"), QStringLiteral("acc"))->step, 5);
        QCOMPARE(store.metrics().count(QStringLiteral("m")), 4);
    }

    void metricsAndIngestOffsetCommitTogether() {
        Store store(freshPath());
        store.runs().create(newRun(QStringLiteral("o")));
        store.metrics().append(QStringLiteral("o"), {{QStringLiteral("x"), 1, 0, 0}}, QStringLiteral("metrics.jsonl"), 120, 3);
        const auto offset = store.runs().ingestOffset(QStringLiteral("o"), QStringLiteral("metrics.jsonl"));
        QCOMPARE(offset.bytes, 120);
        QCOMPARE(offset.lines, 3);
        QCOMPARE(store.runs().ingestOffset(QStringLiteral("o"), QStringLiteral("driver.log")).bytes, 0);
    }

    void modelVersionsCountUpPerName() {
        Store store(freshPath());
        for (int i = 0; i < 2; ++i) {
            Transaction tx(store.database());
            ModelVersion m;
            m.name = QStringLiteral("mnist");
            m.version = store.models().nextVersion(m.name);
            m.path = QStringLiteral("models/mnist/%1").arg(m.version);
            m.size = 100 + i;
            m.created = QDateTime::currentDateTimeUtc();
            m.tags.insert(QStringLiteral("stage"), QStringLiteral("dev"));
            store.models().add(m);
            tx.commit();
        }
        QCOMPARE(store.models().find(QStringLiteral("mnist"))->version, 2);
        QCOMPARE(store.models().find(QStringLiteral("mnist"), 1)->size, 100);
        QCOMPARE(store.models().find(QStringLiteral("mnist"), 1)->tags.value(QStringLiteral("stage")), QStringLiteral("dev"));
        QVERIFY(store.models().remove(QStringLiteral("mnist"), 2));
        QCOMPARE(store.models().list().size(), 1);
        QVERIFY(!store.models().find(QStringLiteral("nope")));
    }

    void computeTargetNamesAreUnique() {
        Store store(freshPath());
        store.computeTargets().add({QStringLiteral("gpu"), QStringLiteral("local"), QStringLiteral("{}"), {}});
        QVERIFY_THROWS_EXCEPTION(Error, store.computeTargets().add({QStringLiteral("gpu"), QStringLiteral("ssh"), QStringLiteral("{}"), {}}));
        QCOMPARE(store.computeTargets().list().size(), 1);
        QVERIFY(store.computeTargets().remove(QStringLiteral("gpu")));
        QVERIFY(!store.computeTargets().remove(QStringLiteral("gpu")));
    }

    void failedTransactionLeavesNothingBehind() {
        Store store(freshPath());
        store.runs().create(newRun(QStringLiteral("t")));
        try {
            Transaction tx(store.database());
            store.metrics(); // no-op, keep the transaction open
            store.database().exec("INSERT INTO run_states(run_id, status, time) VALUES('t', 'Running', 'x')");
            throw Error(QStringLiteral("boom"));
        } catch (const Error&) {
        }
        QCOMPARE(store.runs().history(QStringLiteral("t")).size(), 1);
    }
};

QTEST_GUILESS_MAIN(StoreTest)
#include "tst_store.moc"
