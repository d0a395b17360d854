// The workbench window and its panels, offscreen: drops through real QDragEnterEvent and
// QDropEvent (script → prefilled form, folder → likeliest entry, estimator JSON → that
// estimator, several files → several forms, anything else → refused in the status bar); the
// estimator form marks invalid fields and holds Submit back; Save/Load JSON round-trips; a run
// dashboard shows live metric points and log lines from the store and the run folder, with
// decimated series; the browser passes QAbstractItemModelTester through its icon proxy.
#include "tests/ui/UiTestSupport.h"
#include "core/util/Error.h"
#include "ui/browser/WorkspaceBrowser.h"
#include "ui/charts/MetricChart.h"
#include "ui/charts/MetricChartsPanel.h"
#include "ui/estimator/EstimatorForm.h"
#include "ui/estimator/ScriptParamsTable.h"
#include "core/live/DropPlan.h"
#include "core/live/LogModel.h"
#include "core/live/WorkspaceModel.h"
#include "ui/main/MainWindow.h"
#include "ui/run/LogView.h"
#include "ui/run/RunDashboard.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QLabel>
#include <QMimeData>
#include <QXYSeries>

#include <cmath>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QTreeView>

using namespace lb;
using namespace lb::ui;

namespace {

// Drops `paths` on `target` the way a desktop does: enter, then drop, both through sendEvent.
bool drop(QWidget* target, const QList<QUrl>& urls) {
    QMimeData mime;
    mime.setUrls(urls);
    const QPointF at(target->width() / 2.0, target->height() / 2.0);
    QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent dropEvent(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &dropEvent);
    return dropEvent.isAccepted();
}

QList<EstimatorForm*> forms(MainWindow& w) {
    QList<EstimatorForm*> result;
    for (int i = 0; i < w.tabs()->count(); ++i)
        if (auto* f = qobject_cast<EstimatorForm*>(w.tabs()->widget(i)))
            result.append(f);
    return result;
}

const QByteArray kScript = R"py(import argparse
p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, default=0.05, help="learning rate")
p.add_argument("--epochs", type=int, default=2)
p.add_argument("--verbose", action="store_true")
args = p.parse_args()
print("hello")
)py";

} // namespace

class TestWorkbench : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void dropPlanDecides();
    void dropScriptOpensPrefilledForm();
    void dropFolderAndEstimatorAndSeveral();
    void dropOfOtherFilesIsRefused();
    void formMarksInvalidFieldsAndHoldsSubmit();
    void formSavesAndLoadsJson();
    void paramsTableReorders();
    void dashboardShowsLiveMetricsAndLog();
    void chartKeepsAboutTwoPointsPerPixel();
    void browserModelThroughProxy();
    void submitFromFormAndCancelFromDashboard();

private:
    std::unique_ptr<QTemporaryDir> dir_;
    std::unique_ptr<Workspace> ws_;
    QString project_;
};

void TestWorkbench::init() {
    dir_ = std::make_unique<QTemporaryDir>();
    ws_ = std::make_unique<Workspace>(
        Workspace::create(dir_->filePath(QStringLiteral("ws")), QStringLiteral("ui")));
    project_ = dir_->filePath(QStringLiteral("project"));
    test::writeFile(project_ + QStringLiteral("/train.py"), kScript);
    test::writeFile(project_ + QStringLiteral("/util.py"), "X = 1\n");
    test::writeFile(project_ + QStringLiteral("/notes.txt"), "hi\n");
}

void TestWorkbench::cleanup() {
    ws_.reset();
    dir_.reset();
}

void TestWorkbench::dropPlanDecides() {
    const QString only = dir_->filePath(QStringLiteral("only"));
    test::writeFile(only + QStringLiteral("/experiment.py"), "print(1)\n");
    const QString several = dir_->filePath(QStringLiteral("several"));
    test::writeFile(several + QStringLiteral("/a.py"), "x = 1\n");
    test::writeFile(several + QStringLiteral("/b.py"), "if __name__ == '__main__':\n  pass\n");
    QCOMPARE(guessEntryScript(project_), QStringLiteral("train.py"));
    QCOMPARE(guessEntryScript(only), QStringLiteral("experiment.py"));
    QCOMPARE(guessEntryScript(several), QStringLiteral("b.py"));
    QCOMPARE(guessEntryScript(dir_->filePath(QStringLiteral("ws/runs"))), QString());
    const auto plan = planDrop({project_ + QStringLiteral("/notes.txt"), project_,
                                dir_->filePath(QStringLiteral("missing.py"))});
    QCOMPARE(plan.size(), 3);
    QCOMPARE(plan[0].kind, DropAction::Kind::Refused);
    QVERIFY(plan[0].reason.contains(QStringLiteral("notes.txt")));
    QCOMPARE(plan[1].kind, DropAction::Kind::Folder);
    QCOMPARE(plan[2].kind, DropAction::Kind::Refused);
}

void TestWorkbench::dropScriptOpensPrefilledForm() {
    MainWindow w;
    w.openWorkspace(ws_->root());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(drop(&w, {QUrl::fromLocalFile(project_ + QStringLiteral("/train.py"))}));
    const auto opened = forms(w);
    QCOMPARE(opened.size(), 1);
    EstimatorForm* form = opened.front();
    QCOMPARE(w.tabs()->currentWidget(), form);
    QCOMPARE(form->estimator().entryScript, QStringLiteral("train.py"));
    QCOMPARE(form->estimator().sourceDirectory, project_);
    // The argparse flags arrive from the real reader (python3 + ast).
    QVERIFY(QTest::qWaitFor([&] { return form->argumentsRead(); }, 10000));
    QCOMPARE(form->paramsTable()->rowCount(), 3);
    QCOMPARE(form->estimator().scriptParams, (QStringList{"--lr", "0.05", "--epochs", "2"}));
    QVERIFY(QTest::qWaitFor([&] { return form->submitButton()->isEnabled(); }, 5000));
    QVERIFY(form->validationError().isEmpty());
}

void TestWorkbench::dropFolderAndEstimatorAndSeveral() {
    MainWindow w;
    w.openWorkspace(ws_->root());
    QVERIFY(drop(&w, {QUrl::fromLocalFile(project_)}));
    QCOMPARE(forms(w).size(), 1);
    QCOMPARE(forms(w)[0]->estimator().entryScript, QStringLiteral("train.py"));

    const QString json = dir_->filePath(QStringLiteral("est.json"));
    Estimator e;
    e.sourceDirectory = project_;
    e.entryScript = QStringLiteral("util.py");
    e.scriptParams = {QStringLiteral("--seed"), QStringLiteral("7")};
    e.experiment = QStringLiteral("from-json");
    writeJsonFile(json, e.toJson());
    QVERIFY(drop(&w, {QUrl::fromLocalFile(json)}));
    QCOMPARE(forms(w).size(), 2);
    const Estimator got = forms(w)[1]->estimator();
    QCOMPARE(got.entryScript, QStringLiteral("util.py"));
    QCOMPARE(got.scriptParams, e.scriptParams);
    QCOMPARE(got.experiment, QStringLiteral("from-json"));

    QVERIFY(drop(&w, {QUrl::fromLocalFile(project_ + QStringLiteral("/train.py")),
                      QUrl::fromLocalFile(project_ + QStringLiteral("/util.py"))}));
    QCOMPARE(forms(w).size(), 4);
}

void TestWorkbench::dropOfOtherFilesIsRefused() {
    MainWindow w;
    w.openWorkspace(ws_->root());
    const int tabsBefore = w.tabs()->count();
    QVERIFY(drop(&w, {QUrl::fromLocalFile(project_ + QStringLiteral("/notes.txt"))}));
    QCOMPARE(w.tabs()->count(), tabsBefore);
    QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("notes.txt")),
             qPrintable(w.statusBar()->currentMessage()));
    // A drag without URLs is not even accepted.
    QMimeData text;
    text.setText(QStringLiteral("hello"));
    QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w, &enter);
    QVERIFY(!enter.isAccepted());
    // A JSON that is not an estimator is refused with the reason.
    test::writeFile(dir_->filePath(QStringLiteral("other.json")), R"({"name": 1})");
    QVERIFY(drop(&w, {QUrl::fromLocalFile(dir_->filePath(QStringLiteral("other.json")))}));
    QVERIFY(w.statusBar()->currentMessage().contains(QStringLiteral("not an estimator")));
    QCOMPARE(w.tabs()->count(), tabsBefore);
}

void TestWorkbench::formMarksInvalidFieldsAndHoldsSubmit() {
    MainWindow w;
    w.openWorkspace(ws_->root());
    EstimatorForm* form = w.openEstimatorForm(Estimator(), false);
    QVERIFY(!form->submitButton()->isEnabled());
    QVERIFY2(form->validationError().contains(QStringLiteral("source_directory")),
             qPrintable(form->validationError()));
    Estimator e;
    e.sourceDirectory = project_;
    e.entryScript = QStringLiteral("missing.py");
    form->setEstimator(e);
    QVERIFY(!form->submitButton()->isEnabled());
    QVERIFY(form->validationError().contains(QStringLiteral("entry_script")));
    // The field holding the problem is marked, with the reason as its tooltip.
    bool marked = false;
    for (QWidget* child : form->findChildren<QWidget*>())
        marked = marked || (child->property("invalid").toBool() &&
                            child->toolTip().contains(QStringLiteral("entry_script")));
    QVERIFY(marked);
    e.entryScript = QStringLiteral("train.py");
    e.nodeCount = 2; // more than one process and no backend: invalid for generic
    form->setEstimator(e);
    QVERIFY(form->validationError().contains(QStringLiteral("distributed_backend")) ||
            form->validationError().contains(QStringLiteral("node_count")));
    QVERIFY(!form->submitButton()->isEnabled());
    e.nodeCount = 1;
    e.environmentVariables.insert(QStringLiteral("LABBENCH_RUN_ID"), QStringLiteral("x"));
    form->setEstimator(e);
    QVERIFY(form->validationError().contains(QStringLiteral("environment_variables")));
    e.environmentVariables.clear();
    form->setEstimator(e);
    QVERIFY(form->validationError().isEmpty());
    QVERIFY(form->submitButton()->isEnabled());
    // A required script argument left empty blocks Submit too.
    form->paramsTable()->addRow(QStringLiteral("--data"), {}, QStringLiteral("str"), {}, true,
                                false, true);
    QTest::qWait(200);
    QVERIFY(form->validationError().contains(QStringLiteral("--data")));
    QVERIFY(!form->submitButton()->isEnabled());
}

void TestWorkbench::formSavesAndLoadsJson() {
    EstimatorForm form(nullptr);
    Estimator e;
    e.sourceDirectory = project_;
    e.entryScript = QStringLiteral("train.py");
    e.framework = QStringLiteral("pytorch");
    e.scriptParams = {QStringLiteral("--lr"), QStringLiteral("0.3"), QStringLiteral("--verbose")};
    e.pipPackages = {QStringLiteral("numpy"), QStringLiteral("tqdm")};
    e.useGpu = true;
    e.environmentVariables.insert(QStringLiteral("OMP_NUM_THREADS"), QStringLiteral("2"));
    e.maxRunDurationSeconds = 600;
    e.experiment = QStringLiteral("saved");
    form.setEstimator(e);
    QVERIFY(form.validationError().isEmpty());
    QVERIFY(!form.submitButton()->isEnabled()); // no workspace: nowhere to submit
    const QString path = dir_->filePath(QStringLiteral("saved.json"));
    form.saveJson(path);
    const Estimator loaded = Estimator::load(path);
    QCOMPARE(loaded.scriptParams, e.scriptParams);
    QCOMPARE(loaded.pipPackages, e.pipPackages);
    QCOMPARE(loaded.framework, e.framework);
    QCOMPARE(loaded.environmentVariables, e.environmentVariables);
    QCOMPARE(loaded.maxRunDurationSeconds, e.maxRunDurationSeconds);
    EstimatorForm other(nullptr);
    other.loadJson(path);
    QCOMPARE(other.estimator().scriptParams, e.scriptParams);
    QCOMPARE(other.estimator().useGpu, true);
    QCOMPARE(other.estimator().experiment, QStringLiteral("saved"));
}

void TestWorkbench::paramsTableReorders() {
    ScriptParamsTable t;
    t.setWords({QStringLiteral("--a"), QStringLiteral("1"), QStringLiteral("--b"),
                QStringLiteral("pos")});
    QCOMPARE(t.rowCount(), 2);
    t.table()->setCurrentCell(1, ScriptParamsTable::NameColumn);
    t.moveSelected(-1);
    QCOMPARE(t.words(), (QStringList{"--b", "pos", "--a", "1"}));
    t.table()->setCurrentCell(0, ScriptParamsTable::NameColumn);
    t.table()->selectRow(0);
    t.removeSelected();
    QCOMPARE(t.words(), (QStringList{"--a", "1"}));
    t.table()->item(0, ScriptParamsTable::UseColumn)->setCheckState(Qt::Unchecked);
    QCOMPARE(t.words(), QStringList());
}

void TestWorkbench::dashboardShowsLiveMetricsAndLog() {
    const QString estimator = QStringLiteral(R"({"source_directory": "/tmp", "entry_script": "t.py"})");
    const RunRecord run = test::addRun(*ws_, QStringLiteral("live"), RunStatus::Running, estimator);
    test::writeFile(run.runDir + QStringLiteral("/driver.log"), "starting\n");
    RunDashboard d(ws_->root(), ws_->storePath(), run.id, nullptr);
    d.resize(1100, 700);
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    QVERIFY(QTest::qWaitFor([&] { return d.detail() != nullptr; }, 5000));
    QVERIFY(QTest::qWaitFor([&] { return d.log()->model()->rowCount() == 1; }, 5000));
    // Points written by "the ingester" (another connection) appear on the chart.
    {
        Store other(ws_->storePath());
        std::vector<MetricPoint> points;
        for (int i = 0; i < 100; ++i)
            points.push_back({QStringLiteral("loss"), 1.0 / (i + 1), i, 1000.0 + i});
        other.metrics().append(run.id, points);
    }
    test::appendFile(run.runDir + QStringLiteral("/driver.log"), "epoch 1 loss 0.5\n");
    QVERIFY(QTest::qWaitFor([&] { return d.charts()->charts().size() == 1; }, 5000));
    MetricChart* chart = d.charts()->charts().front();
    QVERIFY(QTest::qWaitFor([&] { return !chart->lastPoints().isEmpty(); }, 5000));
    QCOMPARE(chart->lastPoints().front().x(), 99.0);
    QVERIFY(qFuzzyCompare(float(chart->lastPoints().front().y()), 0.01f)); // charts hold floats
    QVERIFY(QTest::qWaitFor([&] { return d.log()->model()->rowCount() == 2; }, 5000));
    QCOMPARE(d.log()->tailLines(1), QStringList{QStringLiteral("epoch 1 loss 0.5")});
    // More points: one redraw, not one per point.
    const int framesBefore = d.charts()->framesDrawn();
    {
        Store other(ws_->storePath());
        std::vector<MetricPoint> points;
        for (int i = 100; i < 5000; ++i)
            points.push_back({QStringLiteral("loss"), 1.0 / (i + 1), i, 1000.0 + i});
        other.metrics().append(run.id, points);
    }
    QVERIFY(QTest::qWaitFor([&] { return chart->lastPoints().front().x() == 4999; }, 5000));
    QVERIFY(d.charts()->framesDrawn() - framesBefore <= 3);
    // State changes reach the header; Cancel is off once final.
    ws_->store().runs().transition(run.id, RunStatus::Failed, QStringLiteral("exit code 3"));
    QVERIFY(QTest::qWaitFor([&] { return d.detail()->run.status == RunStatus::Failed; }, 5000));
    // A CSV export holds every point.
    QCOMPARE(chart->toCsv().count('\n'), 5001);
    // The log model passes the tester too.
    QAbstractItemModelTester tester(d.log()->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    // A deleted run shows the reason inside the panel instead of crashing.
    ws_->store().database().exec("PRAGMA foreign_keys = ON");
    ws_->store().database().exec(
        QStringLiteral("DELETE FROM runs WHERE id = '%1'").arg(run.id).toStdString());
    QVERIFY(QTest::qWaitFor(
        [&] {
            for (QLabel* l : d.findChildren<QLabel*>())
                if (l->objectName() == QLatin1String("errorBanner") && l->isVisible() &&
                    l->text().contains(QStringLiteral("not in this workspace")))
                    return true;
            return false;
        },
        5000));
}

void TestWorkbench::chartKeepsAboutTwoPointsPerPixel() {
    const RunRecord run = test::addRun(*ws_, QStringLiteral("big"), RunStatus::Running);
    std::vector<MetricPoint> points;
    for (int i = 0; i < 200'000; ++i)
        points.push_back({QStringLiteral("acc"), (i % 1000 == 0) ? 5.0 : std::sin(i / 100.0), i, 1.0 * i});
    ws_->store().metrics().append(run.id, points);
    MetricChartsPanel panel(ws_->storePath(), {run.id}, {run.id});
    panel.resize(1000, 600);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY(QTest::qWaitFor([&] {
        return !panel.charts().isEmpty() && panel.charts().front()->lastPoints().size() == 1 &&
               panel.charts().front()->lastPoints().front().x() == 199'999;
    }, 10000));
    MetricChart* chart = panel.charts().front();
    chart->redraw();
    const int width = static_cast<int>(chart->chart()->plotArea().width());
    QVERIFY(width > 100);
    QVERIFY2(chart->drawnPoints() <= 2 * width + 2,
             qPrintable(QStringLiteral("%1 points for %2 px").arg(chart->drawnPoints()).arg(width)));
    // Spikes survive: the series' maximum is the 5.0 spikes.
    const auto* series = static_cast<QXYSeries*>(chart->chart()->series().front());
    double top = -1e9;
    for (const QPointF& p : series->points())
        top = std::max(top, p.y());
    QCOMPARE(top, 5.0);
    // Smoothing and log scale redraw from the same buffers.
    panel.setSmoothing(0.9);
    panel.setLogScale(true);
    chart->redraw();
    for (const QPointF& p : series->points())
        QVERIFY(p.y() > 0);
    QVERIFY(chart->drawnPoints() <= 2 * width + 2);
}

void TestWorkbench::browserModelThroughProxy() {
    const RunRecord r1 = test::addRun(*ws_, QStringLiteral("b"), RunStatus::Running,
        QStringLiteral(R"({"source_directory": "/tmp", "entry_script": "t.py", "script_params": ["--lr", "0.1"]})"));
    const RunRecord r2 = test::addRun(*ws_, QStringLiteral("b"), RunStatus::Completed,
        QStringLiteral(R"({"source_directory": "/tmp", "entry_script": "t.py", "script_params": ["--lr", "0.03"]})"));
    for (const RunRecord& r : {r1, r2}) {
        std::vector<MetricPoint> points;
        const double rate = r.id == r1.id ? 0.05 : 0.02;
        for (int i = 0; i < 200; ++i) {
            points.push_back({QStringLiteral("loss"), 2.0 * std::exp(-rate * i) + 0.02 * std::sin(i), i, 1000.0 + i});
            points.push_back({QStringLiteral("accuracy"), 1 - std::exp(-rate * i), i, 1000.0 + i});
        }
        ws_->store().metrics().append(r.id, points);
    }
    MainWindow w;
    w.openWorkspace(ws_->root());
    QVERIFY(QTest::qWaitFor([&] { return w.snapshot() != nullptr; }, 5000));
    QAbstractItemModelTester tester(w.browser()->view()->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    // (The "Running" run here has no supervisor, so the window's reconcile may finish it as
    // Failed at any moment: check the counts' form, not the number.)
    QVERIFY(w.countsText().contains(QStringLiteral("running")) &&
            w.countsText().contains(QStringLiteral("queued")));
    const QModelIndex experiments = w.browser()->view()->model()->index(0, 0);
    const QModelIndex b = w.browser()->view()->model()->index(0, 0, experiments);
    const QModelIndex run = w.browser()->view()->model()->index(0, 0, b);
    QVERIFY(!run.data(Qt::DecorationRole).value<QIcon>().isNull());
    // Two runs selected → compare opens a tab with a chart panel and table.
    w.browser()->view()->selectionModel()->select(
        QItemSelection(run, w.browser()->view()->model()->index(1, 0, b)),
        QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QCOMPARE(w.browser()->selectedRuns().size(), 2);
    const int before = w.tabs()->count();
    w.compareRuns(w.browser()->selectedRuns());
    QCOMPARE(w.tabs()->count(), before + 1);
    // Keep a picture of the compare view (offscreen rendering is real) for review.
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTest::qWait(1500);
    const QString artifacts = QStringLiteral(LABBENCH_BIN_DIR "/../test-artifacts");
    QDir().mkpath(artifacts);
    QVERIFY(w.grab().save(artifacts + QStringLiteral("/compare_view.png"), "PNG"));
    // Activating a run opens its dashboard once.
    const QString id = run.data(WorkspaceModel::KeyRole).toString();
    RunDashboard* d1 = w.openRun(id);
    RunDashboard* d2 = w.openRun(id);
    QVERIFY(d1 && d1 == d2);
}

void TestWorkbench::submitFromFormAndCancelFromDashboard() {
    // A real run on `local` through the form's Submit and the dashboard's Cancel buttons: both
    // work on RunActions' threads (the runs API), never on the UI thread.
    test::writeFile(project_ + QStringLiteral("/slow.py"),
                    "import time\nprint('started', flush=True)\ntime.sleep(120)\n");
    MainWindow w;
    w.openWorkspace(ws_->root());
    QVERIFY(QTest::qWaitFor([&] { return w.snapshot() != nullptr; }, 5000));
    Estimator e;
    e.sourceDirectory = project_;
    e.entryScript = QStringLiteral("slow.py");
    e.experiment = QStringLiteral("cancel-me");
    EstimatorForm* form = w.openEstimatorForm(e, false);
    QVERIFY(QTest::qWaitFor([&] { return form->submitButton()->isEnabled(); }, 5000));
    form->submitButton()->click();
    RunDashboard* d = nullptr;
    QVERIFY(QTest::qWaitFor([&] {
        d = qobject_cast<RunDashboard*>(w.tabs()->currentWidget());
        return d != nullptr;
    }, 20000));
    QVERIFY(QTest::qWaitFor([&] {
        return d->detail() && d->detail()->run.status == RunStatus::Running &&
               d->log()->model()->rowCount() >= 1;
    }, 20000));
    QCOMPARE(d->log()->tailLines(1), QStringList{QStringLiteral("started")});
    // The run's Cancel by its name: the note panel has a "Cancel" of its own.
    QPushButton* cancel = d->findChild<QPushButton*>(QStringLiteral("cancelRun"));
    QVERIFY(cancel && cancel->isEnabled());
    QElapsedTimer t;
    t.start();
    cancel->click();
    QVERIFY(QTest::qWaitFor([&] { return d->detail()->run.status == RunStatus::Canceled; }, 15000));
    QVERIFY2(t.elapsed() < 12000, qPrintable(QString::number(t.elapsed())));
    QVERIFY(!cancel->isEnabled());
}

QTEST_MAIN(TestWorkbench)
#include "tst_workbench.moc"
