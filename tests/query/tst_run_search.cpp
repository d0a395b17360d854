// The runs search on a real store (issue 17): filters and sorts run as SQL over run_params,
// run_tags and the metric summaries, with MLflow's rules (numeric when both sides are numbers,
// LIKE case-sensitive), and older stores get their parameters and summaries on migration.
#include "core/query/RunQuery.h"
#include "core/store/Migrations.h"
#include "core/store/Store.h"

#include <QTemporaryDir>
#include <QTest>

using namespace lb;

namespace {

QString estimatorWith(const QStringList& words) {
    QStringList quoted;
    for (const QString& w : words)
        quoted << QStringLiteral("\"%1\"").arg(w);
    return QStringLiteral("{\"script_params\": [%1]}").arg(quoted.join(QLatin1Char(',')));
}

RunRecord addRun(Store& store, const QString& id, const QStringList& words, const QString& experiment = QStringLiteral("exp")) {
    RunRecord r;
    r.id = id;
    r.experiment = experiment;
    r.computeTarget = QStringLiteral("local");
    r.runDir = QStringLiteral("/tmp/") + id;
    r.estimatorJson = estimatorWith(words);
    return store.runs().create(r);
}

QStringList ids(const QList<RunRecord>& runs) {
    QStringList out;
    for (const auto& r : runs)
        out << r.id;
    return out;
}

} // namespace

class RunSearchTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<Store> store_;

    QStringList find(const QString& filter, const QString& sort = {}, bool desc = false) {
        RunSearch s;
        s.filter = query::parseQuery(filter);
        if (!sort.isEmpty())
            s.sortKey = query::parseKey(sort);
        s.descending = desc;
        QStringList found = ids(store_->runs().search(s));
        if (sort.isEmpty())
            found.sort();
        return found;
    }

private slots:
    void initTestCase() {
        store_ = std::make_unique<Store>(dir_.filePath(QStringLiteral("s.db")));
        auto& s = *store_;
        addRun(s, "a", {"--lr", "0.1", "--optimizer", "adam", "--batch-size=128"});
        addRun(s, "b", {"--lr", "0.01", "--optimizer", "sgd", "--batch-size=64"});
        addRun(s, "c", {"--lr=0.001", "--optimizer", "SGD", "--name", "bs128-base"});
        addRun(s, "d", {"--lr", "1e-4", "--optimizer", "adam", "--note", "9"}, QStringLiteral("other"));
        addRun(s, "e", {"--lr", "abc"}); // a learning rate that is not a number
        s.metrics().append("a", {{"accuracy", 0.91, 0, 1}, {"accuracy", 0.98, 1, 2}, {"loss", 0.5, 0, 1}});
        s.metrics().append("b", {{"accuracy", 0.95, 0, 1}, {"accuracy", 0.93, 1, 2}});
        s.metrics().append("c", {{"accuracy", 0.99, 0, 1}});
        s.metrics().append("d", {{"accuracy", 0.97, 0, 1}});
        s.runs().setTag("a", "stage", "tuned");
        s.runs().setTag("b", "stage", "baseline");
        s.runs().setTag("c", "stage", "tuned");
        s.runs().setTag("c", "seed", "10");
        s.runs().setTag("d", "seed", "9");
        s.runs().setName("a", "bs128 adam");
        s.runs().transition("a", RunStatus::Running);
        s.runs().transition("a", RunStatus::Completed);
        s.runs().transition("b", RunStatus::Running);
        s.runs().transition("b", RunStatus::Failed, "boom");
        s.runs().transition("e", RunStatus::Running);
        s.runs().transition("e", RunStatus::Preempted, "Preempted by Slurm (job 5 on n1, REQUEUED)");
    }

    void metricsCompareTheirLastValueUnlessAsked() {
        QCOMPARE(find("metrics.accuracy > 0.96"), QStringList({"a", "c", "d"}));
        QCOMPARE(find("max(metrics.accuracy) >= 0.95"), QStringList({"a", "b", "c", "d"}));
        QCOMPARE(find("min(metrics.accuracy) < 0.92"), QStringList({"a"}));
        QCOMPARE(find("metrics.loss is null"), QStringList({"b", "c", "d", "e"}));
    }

    void paramsMatchTheScriptFlagNumericallyWhenBothAreNumbers() {
        // 1e-4, 0.001 and 0.01 are <= 0.01 as numbers (as text "1e-4" > "0.01")
        QCOMPARE(find("params.lr <= 0.01"), QStringList({"b", "c", "d"}));
        QCOMPARE(find("params.--lr = 0.1"), QStringList({"a"}));
        QCOMPARE(find("params.batch-size = 128"), QStringList({"a"}));
        // "abc" is not a number: compared as text, so only = 'abc' finds it
        QCOMPARE(find("params.lr = abc"), QStringList({"e"}));
        QCOMPARE(find("params.optimizer in (adam, 'sgd')"), QStringList({"a", "b", "d"}));
        QCOMPARE(find("params.optimizer not in (adam)"), QStringList({"b", "c"})); // e has no optimizer at all
    }

    void tagsAttributesAndBooleanStructure() {
        QCOMPARE(find("tags.stage = 'tuned' and metrics.accuracy > 0.985"), QStringList({"c"}));
        QCOMPARE(find("tags.stage = tuned or status = 'Failed'"), QStringList({"a", "b", "c"}));
        QCOMPARE(find("not tags.stage = tuned"), QStringList({"b", "d", "e"}));
        QCOMPARE(find("status = 'completed'"), QStringList({"a"})); // status ignores case
        QCOMPARE(find("status = 'Preempted'"), QStringList({"e"})); // #19 item 4
        QCOMPARE(find("status in ('Preempted', 'Failed')"), QStringList({"b", "e"}));
        QCOMPARE(find("experiment = other"), QStringList({"d"}));
        QCOMPARE(find("tags.seed > 9"), QStringList({"c"})); // 10 > 9 as numbers, not as text
        QCOMPARE(find("exit_code is null and number >= 4"), QStringList({"e"}));
    }

    void likeIsCaseSensitiveAndIlikeIsNot() {
        QCOMPARE(find("name LIKE '%bs128%'"), QStringList({"a"}));
        QCOMPARE(find("params.optimizer like 'sg%'"), QStringList({"b"}));
        QCOMPARE(find("params.optimizer ilike 'sg%'"), QStringList({"b", "c"}));
        QCOMPARE(find("params.name like 'bs1_8%'"), QStringList({"c"}));
    }

    void sortsByMetricsParamsAndAttributesWithMissingValuesLast() {
        QCOMPARE(find("", "metrics.accuracy", true), QStringList({"c", "a", "d", "b", "e"}));
        QCOMPARE(find("", "metrics.accuracy", false), QStringList({"b", "d", "a", "c", "e"}));
        // numbers in numeric order, text after them
        QCOMPARE(find("", "params.lr", false), QStringList({"d", "c", "b", "a", "e"}));
        QCOMPARE(find("experiment = exp", "number", true), QStringList({"e", "c", "b", "a"}));
    }

    void archivedRunsAreLeftOutUnlessAsked() {
        store_->runs().setArchived("e", true);
        RunSearch all;
        QCOMPARE(store_->runs().countMatching(all), 4);
        all.includeArchived = true;
        QCOMPARE(store_->runs().countMatching(all), 5);
        store_->runs().setArchived("e", false);
    }

    void pagesAreLimitedAndOffset() {
        RunSearch s;
        s.sortKey = query::parseKey("number");
        s.experiment = "exp";
        s.limit = 2;
        s.offset = 1;
        QCOMPARE(ids(store_->runs().search(s)), QStringList({"b", "c"}));
    }

    // A store written before the runs table existed gets its parameters and metric summaries
    // when it is opened (migration 5 and its backfill).
    void olderStoreGetsParamsAndSummariesOnMigration() {
        const QString path = dir_.filePath(QStringLiteral("old.db"));
        {
            Database db(path);
            migrate(db, 4);
            db.exec("INSERT INTO experiments(name, created) VALUES('old', '2025-01-01T00:00:00.000Z')");
            db.exec("INSERT INTO runs(id, experiment_id, number, compute_target, status, created, run_dir, estimator) "
                    "VALUES('r1', 1, 1, 'local', 'Completed', '2025-01-01T00:00:00.000Z', '/x', "
                    "'{\"script_params\": [\"--lr\", \"0.5\"]}')");
            db.exec("INSERT INTO metric_series(id, run_id, name, points, last_step) VALUES(1, 'r1', 'acc', 3, 2)");
            db.exec("INSERT INTO metrics VALUES(1, 0, 0, 0.2, 1), (1, 1, 1, 0.9, 2), (1, 2, 2, 0.7, 3)");
        }
        Store store(path);
        QCOMPARE(store.runs().params("r1").value(0), qMakePair(QStringLiteral("lr"), QStringLiteral("0.5")));
        RunSearch s;
        s.filter = query::parseQuery("metrics.acc = 0.7 and max(metrics.acc) = 0.9 and min(metrics.acc) = 0.2 and params.lr > 0.4");
        QCOMPARE(ids(store.runs().search(s)), QStringList({"r1"}));
    }

    // One column for the asked runs only (a page of the table), whatever else the store holds.
    void keyValuesGiveOneColumnForTheAskedRuns() {
        const auto acc = store_->runs().keyValues(query::parseKey("metrics.accuracy"), {"a", "c", "e"});
        QCOMPARE(acc.value("a").toDouble(), 0.98);
        QVERIFY(!acc.contains("e")); // asked, but it logged no accuracy
        QVERIFY(!acc.contains("b")); // has one, but was not asked
        const auto lr = store_->runs().keyValues(query::parseKey("params.lr"), {"c"});
        QCOMPARE(lr.value("c").toString(), QStringLiteral("0.001"));
        QCOMPARE(lr.size(), 1);
        QVERIFY(store_->runs().keyValues(query::parseKey("params.lr"), {}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(RunSearchTest)
#include "tst_run_search.moc"
