// The runs table model (issue 17) on a real workspace: pages load as the view scrolls, sort()
// reorders in SQL and keeps the selection on its run, and live changes — another process
// appending metrics, a real run writing them — update cells without resetting the model.
#include "core/live/RunsTableModel.h"
#include "core/store/Store.h"
#include "core/workspace/Workspace.h"
#include "tests/runs/RunTestSupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimeZone>

using namespace lb;
using namespace lbtest;

namespace {

RunRecord addRun(Store& store, int i) {
    RunRecord r;
    r.id = QStringLiteral("run-%1").arg(i, 4, 10, QLatin1Char('0'));
    r.experiment = QStringLiteral("exp");
    r.computeTarget = QStringLiteral("local");
    r.runDir = QStringLiteral("/tmp/") + r.id;
    r.estimatorJson = QStringLiteral("{\"script_params\": [\"--lr\", \"%1\"]}").arg(0.001 * (i + 1));
    r.created = QDateTime::fromSecsSinceEpoch(1700000000 + i, Qt::UTC);
    return store.runs().create(r);
}

query::Key key(const char* text) { return query::parseKey(QString::fromLatin1(text)); }

} // namespace

class RunsTableModelTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString root_;

private slots:
    void initTestCase() {
        root_ = tmp_.filePath(QStringLiteral("ws"));
        Workspace ws = Workspace::create(root_, QStringLiteral("table"));
        for (int i = 0; i < 250; ++i) {
            addRun(ws.store(), i);
            ws.store().metrics().append(QStringLiteral("run-%1").arg(i, 4, 10, QLatin1Char('0')),
                                        {{QStringLiteral("acc"), (i * 37 % 250) / 250.0, 0, 1.0}});
        }
    }

    void pagesLoadAsTheViewScrolls() {
        RunsTableModel model; // no model tester here: it calls fetchMore() itself
        model.setColumns({key("id"), key("params.lr"), key("metrics.acc")});
        model.setWorkspace(root_);
        QVERIFY(QTest::qWaitFor([&] { return model.rowCount() == RunsTableModel::kPageSize; }, 10000));
        QCOMPARE(model.totalMatching(), 250);
        QCOMPARE(model.runId(0), QStringLiteral("run-0249")); // newest first
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QVERIFY(QTest::qWaitFor([&] { return model.rowCount() == 250; }, 10000));
        QVERIFY(!model.canFetchMore({}));
        QCOMPARE(model.data(model.index(0, 1)).toString(), QStringLiteral("0.25"));
        qInfo("first page in %lld ms", model.lastLoadMs());
    }

    void sortRunsInTheStoreAndKeepsTheSelection() {
        RunsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setColumns({key("id"), key("metrics.acc")});
        model.setWorkspace(root_);
        QVERIFY(QTest::qWaitFor([&] { return model.rowCount() > 0; }, 10000));
        const QPersistentModelIndex picked = model.index(5, 0);
        const QString pickedId = picked.data(RunsTableModel::RunIdRole).toString();
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.sort(1, Qt::DescendingOrder);
        QVERIFY(QTest::qWaitFor([&] { return model.data(model.index(0, 1), RunsTableModel::ValueRole).toDouble() > 0.99; }, 10000));
        for (int row = 1; row < model.rowCount(); ++row)
            QVERIFY(model.data(model.index(row - 1, 1), RunsTableModel::ValueRole).toDouble() >=
                    model.data(model.index(row, 1), RunsTableModel::ValueRole).toDouble());
        QCOMPARE(resets.count(), 0);
        QVERIFY(picked.isValid());
        QCOMPARE(picked.data(RunsTableModel::RunIdRole).toString(), pickedId);
    }

    void filterIsANewSearch() {
        RunsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setWorkspace(root_);
        RunSearch s;
        s.filter = query::parseQuery(QStringLiteral("params.lr <= 0.01 and metrics.acc >= 0"));
        model.setSearch(s);
        QVERIFY(QTest::qWaitFor([&] { return model.totalMatching() == 10 && model.rowCount() == 10; }, 10000));
    }

    // Another process appends metrics and creates a run: cells change and a row is added, no reset.
    void liveChangesUpdateCellsWithoutAReset() {
        RunsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setColumns({key("id"), key("metrics.acc"), key("status")});
        model.setWorkspace(root_);
        QVERIFY(QTest::qWaitFor([&] { return model.rowCount() == RunsTableModel::kPageSize; }, 10000));
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        {
            Workspace other = Workspace::open(root_); // a connection of its own, like a supervisor's
            other.store().metrics().append(QStringLiteral("run-0249"), {{QStringLiteral("acc"), 0.123, 1, 2.0}});
            addRun(other.store(), 250);
        }
        QVERIFY(QTest::qWaitFor([&] { return model.data(model.index(model.rowOf("run-0249"), 1)).toString() == "0.123"; }, 10000));
        QVERIFY(QTest::qWaitFor([&] { return model.rowOf("run-0250") >= 0; }, 10000));
        QCOMPARE(model.runId(0), QStringLiteral("run-0250"));
        QCOMPARE(resets.count(), 0);
        QVERIFY(changed.count() > 0);
        QVERIFY(inserted.count() > 0);
    }

    // A real run writes metrics through the real CLI and supervisor: its row follows it live.
    // (A workspace of its own: the 250 records above sit Queued on `local`, ahead of it.)
    void aRealRunsRowFollowsItLive() {
        const QString root = tmp_.filePath(QStringLiteral("live-ws"));
        QCOMPARE(runCli(tmp_.path(), {QStringLiteral("workspace"), QStringLiteral("init"), root}).code, 0);
        const QString src = tmp_.filePath(QStringLiteral("src"));
        writeFile(src + QStringLiteral("/slow.py"), R"(import labbench, time
for i in range(30):
    labbench.log("acc", i / 100.0)
    time.sleep(0.1)
)");
        RunsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setColumns({key("id"), key("metrics.acc"), key("status")});
        RunSearch s;
        s.experiment = QStringLiteral("live");
        model.setSearch(s);
        QSignalSpy loaded(&model, &RunsTableModel::loaded);
        model.setWorkspace(root);
        QVERIFY(QTest::qWaitFor([&] { return loaded.count() > 0; }, 10000)); // the empty first page
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        const CliResult r = runCli(root, {QStringLiteral("submit"), QStringLiteral("--experiment"), QStringLiteral("live"),
                                           QStringLiteral("--source"), src, QStringLiteral("--entry"), QStringLiteral("slow.py")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString id = r.firstLine();
        QVERIFY(QTest::qWaitFor([&] { return model.rowOf(id) == 0; }, 20000));
        QVERIFY(QTest::qWaitFor([&] { return model.data(model.index(0, 2)).toString() == "Running"; }, 20000));
        QVERIFY(QTest::qWaitFor([&] { return model.data(model.index(0, 1), RunsTableModel::ValueRole).toDouble() > 0.05; }, 20000));
        QVERIFY(QTest::qWaitFor([&] { return model.data(model.index(0, 2)).toString() == "Completed"; }, 30000));
        QCOMPARE(model.data(model.index(0, 1)).toString(), QStringLiteral("0.29"));
        QCOMPARE(resets.count(), 0);
    }
};

QTEST_MAIN(RunsTableModelTest)
#include "tst_runs_table_model.moc"
