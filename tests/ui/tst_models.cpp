// The core models behind the workbench's views, over a real workspace: the workspace tree
// (experiments → runs, targets, models → versions, data folders) from a StoreWatcher snapshot,
// same-shape refreshes without reset, the outputs tree and the compare table — each under
// QAbstractItemModelTester.
#include "tests/ui/UiTestSupport.h"
#include "core/util/Error.h"
#include "core/live/CompareModel.h"
#include "core/live/RunDetail.h"
#include "core/live/RunFilesModel.h"
#include "core/live/StoreWatcher.h"
#include "core/live/WorkspaceModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace lb;

class TestModels : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void workspaceTreeFromWatcher();
    void sameShapeRefreshKeepsIndexes();
    void durationsAreLive();
    void brokenWorkspaceReportsInsteadOfCrashing();
    void runDetailAndFilesTree();
    void compareTable();

private:
    WorkspaceSnapshotPtr waitForSnapshot(StoreWatcher& watcher);
    std::unique_ptr<QTemporaryDir> dir_;
    std::unique_ptr<Workspace> ws_;
};

void TestModels::init() {
    dir_ = std::make_unique<QTemporaryDir>();
    ws_ = std::make_unique<Workspace>(Workspace::create(dir_->path(), QStringLiteral("tests")));
}

void TestModels::cleanup() {
    ws_.reset();
    dir_.reset();
}

WorkspaceSnapshotPtr TestModels::waitForSnapshot(StoreWatcher& watcher) {
    QSignalSpy loaded(&watcher, &StoreWatcher::loaded);
    watcher.refreshNow();
    if (!QTest::qWaitFor([&] { return !loaded.isEmpty(); }, 5000))
        return {};
    return loaded.last().at(0).value<WorkspaceSnapshotPtr>();
}

void TestModels::workspaceTreeFromWatcher() {
    test::addRun(*ws_, QStringLiteral("mnist"), RunStatus::Completed);
    test::addRun(*ws_, QStringLiteral("mnist"), RunStatus::Running);
    test::addRun(*ws_, QStringLiteral("cifar"), RunStatus::Queued);
    ModelVersion m;
    m.name = QStringLiteral("mlp");
    m.version = 1;
    m.path = QStringLiteral("models/mlp/1/model.npz");
    m.created = QDateTime::currentDateTimeUtc();
    ws_->store().models().add(m);
    m.version = 2;
    ws_->store().models().add(m);

    StoreWatcher watcher(ws_->root(), [](Workspace& w) {
        return QVariant::fromValue(
            WorkspaceSnapshotPtr(std::make_shared<WorkspaceSnapshot>(WorkspaceSnapshot::load(w))));
    });
    QSignalSpy loaded(&watcher, &StoreWatcher::loaded);
    watcher.start();
    // The spy records on the watcher's thread: wait for the count, not for a later emission.
    QVERIFY(QTest::qWaitFor([&] { return loaded.size() >= 1; }, 5000));
    auto snapshot = loaded.last().at(0).value<WorkspaceSnapshotPtr>();
    QVERIFY(snapshot);
    QCOMPARE(snapshot->running, 1);
    QCOMPARE(snapshot->queued, 1);

    WorkspaceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSnapshot(snapshot);
    QCOMPARE(model.rowCount(), 5); // Experiments, Compute targets, Models, Data folders, Endpoints
    QCOMPARE(model.index(4, 0).data().toString(), QStringLiteral("Endpoints"));
    QCOMPARE(model.rowCount(model.index(4, 0)), 0); // none deployed
    const QModelIndex experiments = model.index(0, 0);
    QCOMPARE(experiments.data().toString(), QStringLiteral("Experiments"));
    QCOMPARE(model.rowCount(experiments), 2);
    const QModelIndex cifar = model.index(0, 0, experiments);
    QCOMPARE(cifar.data().toString(), QStringLiteral("cifar"));
    const QModelIndex mnist = model.index(1, 0, experiments);
    QCOMPARE(model.rowCount(mnist), 2);
    const QModelIndex newest = model.index(0, 0, mnist);
    QCOMPARE(newest.data(WorkspaceModel::StatusRole).toString(), QStringLiteral("Running"));
    QCOMPARE(model.index(0, WorkspaceModel::StatusColumn, mnist).data().toString(),
             QStringLiteral("Running"));
    QCOMPARE(newest.data(WorkspaceModel::KindRole).toInt(),
             static_cast<int>(WorkspaceModel::NodeKind::Run));
    const QModelIndex targets = model.index(1, 0);
    QCOMPARE(model.rowCount(targets), 1);
    QCOMPARE(model.index(0, 0, targets).data().toString(), QStringLiteral("local"));
    const QModelIndex models = model.index(2, 0);
    QCOMPARE(model.rowCount(models), 1);
    QCOMPARE(model.rowCount(model.index(0, 0, models)), 2);
    QCOMPARE(model.index(1, 0, model.index(0, 0, models)).data(WorkspaceModel::VersionRole).toInt(), 2);
    QVERIFY(model.indexOfRun(newest.data(WorkspaceModel::KeyRole).toString()) == newest);

    // A new run from "another process" reaches the model through the watcher.
    Store other(ws_->storePath());
    Q_UNUSED(other);
    const qsizetype before = loaded.size();
    test::addRun(*ws_, QStringLiteral("mnist"), RunStatus::Queued);
    QVERIFY(QTest::qWaitFor([&] { return loaded.size() > before; }, 5000));
    model.setSnapshot(loaded.last().at(0).value<WorkspaceSnapshotPtr>());
    QCOMPARE(model.rowCount(model.index(1, 0, model.index(0, 0))), 3);
}

void TestModels::sameShapeRefreshKeepsIndexes() {
    const RunRecord run = test::addRun(*ws_, QStringLiteral("e"), RunStatus::Running);
    WorkspaceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSnapshot(std::make_shared<WorkspaceSnapshot>(WorkspaceSnapshot::load(*ws_)));
    QPersistentModelIndex persistent = model.indexOfRun(run.id);
    QVERIFY(persistent.isValid());
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    ws_->store().runs().transition(run.id, RunStatus::Completed);
    model.setSnapshot(std::make_shared<WorkspaceSnapshot>(WorkspaceSnapshot::load(*ws_)));
    QCOMPARE(reset.size(), 0);
    QVERIFY(!changed.isEmpty());
    QVERIFY(persistent.isValid());
    QCOMPARE(persistent.data(WorkspaceModel::StatusRole).toString(), QStringLiteral("Completed"));
}

void TestModels::durationsAreLive() {
    RunRecord r;
    r.started = QDateTime::fromString(QStringLiteral("2026-01-01T10:00:00Z"), Qt::ISODate);
    QCOMPARE(WorkspaceModel::runSeconds(r, r.started.addSecs(125)), 125);
    QCOMPARE(WorkspaceModel::formatDuration(125), QStringLiteral("2 min 05 s"));
    QCOMPARE(WorkspaceModel::formatDuration(3 * 3600 + 120), QStringLiteral("3 h 02 min"));
    r.ended = r.started.addSecs(10);
    QCOMPARE(WorkspaceModel::runSeconds(r, r.started.addSecs(500)), 10);
    QCOMPARE(WorkspaceModel::runSeconds(RunRecord(), QDateTime::currentDateTimeUtc()), -1);

    test::addRun(*ws_, QStringLiteral("live"), RunStatus::Running);
    WorkspaceModel model;
    model.setSnapshot(std::make_shared<WorkspaceSnapshot>(WorkspaceSnapshot::load(*ws_)));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.refreshLiveColumns();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).value<QModelIndex>().column(),
             int(WorkspaceModel::DurationColumn));
}

void TestModels::brokenWorkspaceReportsInsteadOfCrashing() {
    test::writeFile(dir_->filePath(QStringLiteral("config.json")), "{ not json");
    StoreWatcher watcher(dir_->path(), [](Workspace& w) {
        return QVariant::fromValue(
            WorkspaceSnapshotPtr(std::make_shared<WorkspaceSnapshot>(WorkspaceSnapshot::load(w))));
    });
    QSignalSpy failed(&watcher, &StoreWatcher::failed);
    watcher.start();
    QVERIFY(QTest::qWaitFor([&] { return !failed.isEmpty(); }, 5000));
    QVERIFY2(failed.first().at(0).toString().contains(QStringLiteral("config.json")),
             qPrintable(failed.first().at(0).toString()));
    QTest::qWait(300);
    QCOMPARE(failed.size(), 1); // one report per problem, not one per poll
}

void TestModels::runDetailAndFilesTree() {
    const RunRecord run = test::addRun(*ws_, QStringLiteral("e"), RunStatus::Completed);
    ws_->store().runs().setFiles(run.id, {{QStringLiteral("outputs/model.npz"), 2048},
                                          {QStringLiteral("outputs/plots/loss.png"), 100},
                                          {QStringLiteral("logs/train.log"), 10}});
    const RunDetail d = RunDetail::load(*ws_, run.id);
    QCOMPARE(d.history.size(), 5); // Queued, Preparing, Running, Finalizing, Completed
    QCOMPARE(d.files.size(), 3);
    QVERIFY_THROWS_EXCEPTION(NotFoundError, RunDetail::load(*ws_, QStringLiteral("nope")));

    RunFilesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFiles(d.files);
    QCOMPARE(model.rowCount(), 2); // logs/, outputs/
    const QModelIndex outputs = model.index(1, 0);
    QCOMPARE(outputs.data().toString(), QStringLiteral("outputs"));
    QCOMPARE(outputs.data(RunFilesModel::SizeRole).toLongLong(), 2148);
    QCOMPARE(model.index(1, 1).data().toString(), QStringLiteral("2.1 KB"));
    QCOMPARE(model.rowCount(outputs), 2);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setFiles(d.files); // unchanged: no reset
    QCOMPARE(reset.size(), 0);
    model.setFiles({});
    QCOMPARE(model.rowCount(), 0);
}

void TestModels::compareTable() {
    const QString e1 = QStringLiteral(
        R"({"source_directory": "/tmp", "entry_script": "t.py", "script_params": ["--lr", "0.1", "--fast"]})");
    const QString e2 = QStringLiteral(
        R"({"source_directory": "/tmp", "entry_script": "t.py", "script_params": ["--lr", "0.01", "--layers", "3"]})");
    const RunRecord a = test::addRun(*ws_, QStringLiteral("cmp"), RunStatus::Completed, e1);
    const RunRecord b = test::addRun(*ws_, QStringLiteral("cmp"), RunStatus::Completed, e2);
    ws_->store().metrics().append(a.id, {{QStringLiteral("loss"), 0.9, 0, 1}, {QStringLiteral("loss"), 0.5, 1, 2}});
    ws_->store().metrics().append(b.id, {{QStringLiteral("loss"), 0.3, 0, 1}, {QStringLiteral("acc"), 0.97, 0, 1}});
    auto data = std::make_shared<CompareData>(CompareData::load(*ws_, {a.id, b.id, QStringLiteral("gone")}));
    QCOMPARE(data->rows.size(), 2);
    CompareModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setData(data);
    QCOMPARE(model.paramColumns(), (QStringList{"--lr", "--fast", "--layers"}));
    QCOMPARE(model.metricColumns(), (QStringList{"loss", "acc"}));
    // run, status, 3 parameters, then last/min/max of each metric (issue 17)
    QCOMPARE(model.columnCount(), 2 + 3 + 2 * CompareModel::kColumnsPerMetric);
    QCOMPARE(model.index(0, 2).data(CompareModel::SortRole).toDouble(), 0.1);
    QCOMPARE(model.index(1, 5).data().toString(), QStringLiteral("0.3"));
    QCOMPARE(model.index(0, 5).data(CompareModel::SortRole).toDouble(), 0.5);
    QCOMPARE(model.index(0, 6).data().toString(), QStringLiteral("0.5 @ 1")); // min of loss, at step 1
    QCOMPARE(model.index(0, 7).data().toString(), QStringLiteral("0.9 @ 0")); // max of loss, at step 0
    QVERIFY(!model.index(0, 8).data().isValid()); // run a logged no acc
    QCOMPARE(model.headerData(5, Qt::Horizontal).toString(), QStringLiteral("loss · last"));
    QCOMPARE(model.headerData(7, Qt::Horizontal).toString(), QStringLiteral("loss · max"));
    // --lr differs (0.1, 0.01) and so do --fast and --layers (each missing from one run)
    QVERIFY(model.index(0, 2).data(CompareModel::DiffersRole).toBool());
    QVERIFY(!model.index(0, 0).data(CompareModel::DiffersRole).toBool());
    QCOMPARE(CompareData::pairParams({"--x=1", "pos", "--y", "-3", "--z"}),
             (QList<QPair<QString, QString>>{{"--x", "1"}, {"#1", "pos"}, {"--y", "-3"}, {"--z", ""}}));
}

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
