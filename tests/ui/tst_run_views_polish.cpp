// The run views as a demanding user found them (#23), on a real workspace and real windows:
// a failed run's whole reason, wrapped and selectable, and its log opened at the end (item 3);
// values logged once in a table instead of one-point charts, with nice axes (item 5); one
// display name per run in the tree, the tab, the legends and the compare table (item 10); a
// header that wraps between facts, tabs that elide and come back after a restart (item 11);
// and an empty Outputs tab that says why (item 14). Pictures go to test-artifacts/.
#include "core/live/CompareModel.h"
#include "core/live/LogModel.h"
#include "core/live/WorkspaceModel.h"
#include "tests/ui/UiTestSupport.h"
#include "ui/charts/MetricChart.h"
#include "ui/charts/MetricChartsPanel.h"
#include "ui/charts/OnceLoggedTable.h"
#include "ui/common/AppStyle.h"
#include "ui/compare/CompareView.h"
#include "ui/estimator/EstimatorForm.h"
#include "ui/main/MainWindow.h"
#include "ui/run/LogView.h"
#include "ui/run/OutputsPanel.h"
#include "ui/run/RunDashboard.h"

#include <QLabel>
#include <QLineSeries>
#include <QSettings>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QValueAxis>
#include <cmath>

using namespace lb;
using namespace lb::ui;

namespace {

QString artifacts() {
    const QString dir = QStringLiteral(LABBENCH_BIN_DIR "/../test-artifacts");
    QDir().mkpath(dir);
    return dir;
}

QValueAxis* axis(MetricChart* chart, Qt::Orientation o) {
    const auto axes = chart->chart()->axes(o);
    return axes.isEmpty() ? nullptr : qobject_cast<QValueAxis*>(axes.front());
}

void addPoints(Workspace& ws, const QString& runId, const QString& name,
               const QList<double>& values, int firstStep = 0) {
    std::vector<MetricPoint> points;
    for (qsizetype i = 0; i < values.size(); ++i)
        points.push_back(
            {name, values[i], firstStep + static_cast<int>(i), 1700000000.0 + double(i)});
    ws.store().metrics().append(runId, points);
}

} // namespace

class TestRunViewsPolish : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void failedRunShowsWholeReasonAndOpensOnItsLogEnd();
    void headerFactsWrapBetweenFactsOnly();
    void onceLoggedValuesGoToTheTableAndAxesAreNice();
    void emptyOutputsSaysWhyAndWhatToWrite();
    void oneDisplayNameInTreeTabLegendAndCompareTable();
    void tabsElideAndComeBackAfterRestart();
    void formsAndComparisonsComeBackAfterRestart();

private:
    std::unique_ptr<QTemporaryDir> dir_;
    std::unique_ptr<Workspace> ws_;
};

// As app/labbench sets up the application, so that the kept pictures show the window's own look
// (status pills, header) and compare with the pictures of the old build in docs/pictures/issue23.
void TestRunViewsPolish::initTestCase() {
    applyAppStyle(*qApp);
}

void TestRunViewsPolish::init() {
    dir_ = std::make_unique<QTemporaryDir>();
    ws_ = std::make_unique<Workspace>(
        Workspace::create(dir_->filePath(QStringLiteral("ws")), QStringLiteral("polish")));
}

void TestRunViewsPolish::cleanup() {
    ws_.reset();
    dir_.reset();
}

// #23 item 3: the header stopped at "unrecognized argume", on an empty Metrics tab.
void TestRunViewsPolish::failedRunShowsWholeReasonAndOpensOnItsLogEnd() {
    const RunRecord run = test::addRun(*ws_, QStringLiteral("mnist"), RunStatus::Failed);
    const QString reason = QStringLiteral(
        "The script exited with code 2. Last lines of driver.log: usage: train.py [-h] "
        "[--epochs EPOCHS] [--lr LR] [--batch-size BATCH_SIZE] [--hidden HIDDEN] | train.py: "
        "error: unrecognized arguments: --learning rate 0.1 --momentum 0.9 --this-is-the-end");
    ws_->store().runs().setReason(run.id, reason);
    QByteArray log;
    for (int i = 0; i < 300; ++i)
        log += "line " + QByteArray::number(i) + "\n";
    log += "train.py: error: unrecognized arguments: --learning rate 0.1\n";
    test::writeFile(run.runDir + QStringLiteral("/driver.log"), log);

    RunDashboard d(ws_->root(), ws_->storePath(), run.id, nullptr);
    d.resize(900, 600);
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    QVERIFY(QTest::qWaitFor([&] { return d.detail() != nullptr; }, 5000));
    // Opens on the Log tab, at its end.
    QCOMPARE(d.sections()->currentWidget(), static_cast<QWidget*>(d.log()));
    QVERIFY(QTest::qWaitFor([&] { return d.log()->lineCount() == 301; }, 5000));
    QVERIFY(QTest::qWaitFor([&] { return d.log()->atEnd(); }, 5000));
    QCOMPARE(d.log()->tailLines(1),
             QStringList{
                 QStringLiteral("train.py: error: unrecognized arguments: --learning rate 0.1")});
    // The whole reason, on its own wrapped, selectable lines; the facts line stays short.
    QLabel* shown = d.reasonLabel();
    QVERIFY(QTest::qWaitFor([&] { return shown->isVisible(); }, 5000));
    QCOMPARE(shown->text(), reason);
    QVERIFY(shown->wordWrap());
    QVERIFY(shown->textInteractionFlags() & Qt::TextSelectableByMouse);
    QVERIFY(!d.factsLabel()->text().contains(QStringLiteral("unrecognized")));
    QCoreApplication::processEvents();
    QVERIFY2(shown->height() >= shown->heightForWidth(shown->width()),
             qPrintable(QStringLiteral("%1 < %2")
                            .arg(shown->height())
                            .arg(shown->heightForWidth(shown->width()))));
    QVERIFY(shown->heightForWidth(shown->width()) > shown->fontMetrics().height()); // it wrapped
    QWidget* header = d.findChild<QWidget*>(QStringLiteral("runHeader"));
    QVERIFY(header);
    QVERIFY(header->geometry().contains(shown->mapTo(&d, QPoint(0, shown->height() - 1))));
    QVERIFY(header->grab().save(artifacts() + QStringLiteral("/failed_run_header.png"), "PNG"));
    // A completed run still opens on its metrics.
    const RunRecord ok = test::addRun(*ws_, QStringLiteral("mnist"), RunStatus::Completed);
    RunDashboard other(ws_->root(), ws_->storePath(), ok.id, nullptr);
    QVERIFY(QTest::qWaitFor([&] { return other.detail() != nullptr; }, 5000));
    QCOMPARE(other.sections()->currentIndex(), 0);
    QVERIFY(other.reasonLabel()->isHidden());
}

// #23 item 11: "duration 9 / s · exit code 0".
void TestRunViewsPolish::headerFactsWrapBetweenFactsOnly() {
    const RunRecord run =
        test::addRun(*ws_, QStringLiteral("a-long-experiment-name"), RunStatus::Running);
    RunDashboard d(ws_->root(), ws_->storePath(), run.id, nullptr);
    d.resize(560, 600);
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    QVERIFY(QTest::qWaitFor([&] { return d.detail() != nullptr; }, 5000));
    const QString text = d.factsLabel()->text();
    const QStringList facts = text.split(QStringLiteral("   ·   "));
    QVERIFY2(facts.size() >= 4, qPrintable(text));
    for (const QString& fact : facts) {
        // No breakable space inside a fact; each fits the label's width on one line.
        QVERIFY2(!fact.contains(QLatin1Char(' ')), qPrintable(fact));
        QVERIFY(d.factsLabel()->fontMetrics().horizontalAdvance(fact) <= d.factsLabel()->width());
    }
    QVERIFY(text.contains(QStringLiteral("duration") + QChar(QChar::Nbsp)));
}

// #23 item 5: Batch size logged once drew a one-point chart with a y axis of 99.99–100.
void TestRunViewsPolish::onceLoggedValuesGoToTheTableAndAxesAreNice() {
    const RunRecord run = test::addRun(*ws_, QStringLiteral("mnist"), RunStatus::Completed);
    addPoints(*ws_, run.id, QStringLiteral("Batch size"), {128});
    addPoints(*ws_, run.id, QStringLiteral("learning rate"), {0.1});
    QList<double> loss;
    for (int i = 0; i < 12; ++i)
        loss << 2.3 / (i + 1) + 0.001;
    addPoints(*ws_, run.id, QStringLiteral("loss"), loss);
    addPoints(*ws_, run.id, QStringLiteral("big"), {120000, 126000, 131000});

    RunDashboard d(ws_->root(), ws_->storePath(), run.id, nullptr);
    d.resize(1100, 760);
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    OnceLoggedTable* table = d.charts()->onceLogged();
    QVERIFY(QTest::qWaitFor(
        [&] { return d.charts()->charts().size() == 2 && table->rowCount() == 2; }, 5000));
    QStringList names = table->metricNames();
    names.sort();
    QCOMPARE(names, (QStringList{QStringLiteral("Batch size"), QStringLiteral("learning rate")}));
    QVERIFY(table->isVisible());
    const int batch = static_cast<int>(table->metricNames().indexOf(QStringLiteral("Batch size")));
    const int lr = 1 - batch;
    QCOMPARE(table->item(batch, 1)->text(), QStringLiteral("128"));
    QCOMPARE(table->item(lr, 1)->text(), QStringLiteral("0.1"));
    QCOMPARE(table->item(batch, 2)->text(), QStringLiteral("0"));
    QVERIFY(!table->item(batch, 3)->text().isEmpty()); // when it was logged
    // The table sits above the charts.
    MetricChart* lossChart = nullptr;
    MetricChart* bigChart = nullptr;
    for (MetricChart* c : d.charts()->charts()) {
        QVERIFY(c->metric() != QLatin1String("Batch size"));
        (c->metric() == QLatin1String("loss") ? lossChart : bigChart) = c;
        QVERIFY(QTest::qWaitFor(
            [&] { // once the layout has taken the table's new height
                return table->mapTo(&d, QPoint(0, table->height())).y() <=
                       c->mapTo(&d, QPoint(0, 0)).y();
            },
            5000));
    }
    QVERIFY(lossChart && bigChart);
    QVERIFY(
        QTest::qWaitFor([&] { return lossChart->seriesPointCounts() == QList<int>{12}; }, 5000));
    // Steps: whole-number ticks. A loss: no negative range. Big numbers: plain labels.
    QValueAxis* x = axis(lossChart, Qt::Horizontal);
    QValueAxis* y = axis(lossChart, Qt::Vertical);
    QVERIFY(x && y);
    QCOMPARE(x->labelFormat(), QStringLiteral("%.0f"));
    const double xStep = (x->max() - x->min()) / (x->tickCount() - 1);
    QVERIFY2(xStep >= 1 && std::abs(xStep - std::round(xStep)) < 1e-9,
             qPrintable(QString::number(xStep)));
    QVERIFY2(y->min() >= 0, qPrintable(QString::number(y->min())));
    QVERIFY(y->max() >= 2.3);
    QValueAxis* bigY = axis(bigChart, Qt::Vertical);
    QVERIFY(QTest::qWaitFor([&] { return bigY->max() >= 131000; }, 5000));
    QCOMPARE(bigY->labelFormat(), QStringLiteral("%.0f"));
    QVERIFY(d.grab().save(artifacts() + QStringLiteral("/dashboard_once_logged.png"), "PNG"));

    // Logged a second time, a value gets its chart and leaves the table.
    addPoints(*ws_, run.id, QStringLiteral("Batch size"), {256}, 1);
    QVERIFY(QTest::qWaitFor([&] { return d.charts()->charts().size() == 3; }, 5000));
    QCOMPARE(table->metricNames(), QStringList{QStringLiteral("learning rate")});
}

// #23 item 14: an empty Outputs tab gave no explanation.
void TestRunViewsPolish::emptyOutputsSaysWhyAndWhatToWrite() {
    const RunRecord running = test::addRun(*ws_, QStringLiteral("mnist"), RunStatus::Running);
    RunDashboard live(ws_->root(), ws_->storePath(), running.id, nullptr);
    live.show();
    QVERIFY(QTest::qWaitFor([&] { return live.detail() != nullptr; }, 5000));
    OutputsPanel* panel = live.outputsPanel();
    QVERIFY(panel->emptyText().contains(QStringLiteral("yet")));
    QVERIFY(panel->emptyText().contains(QStringLiteral("./outputs")));
    QVERIFY(panel->emptyText().contains(QStringLiteral("outputs/model.pt")));

    const RunRecord done = test::addRun(*ws_, QStringLiteral("mnist"), RunStatus::Completed);
    RunDashboard ended(ws_->root(), ws_->storePath(), done.id, nullptr);
    ended.show();
    QVERIFY(QTest::qWaitFor([&] { return ended.detail() != nullptr; }, 5000));
    QVERIFY(QTest::qWaitFor(
        [&] {
            return ended.outputsPanel()->emptyText().contains(QStringLiteral("wrote no files"));
        },
        5000));
    // Files, once there, replace the explanation.
    ws_->store().runs().setFiles(done.id, {{QStringLiteral("outputs/model.pt"), 10}});
    QVERIFY(QTest::qWaitFor([&] { return ended.outputsPanel()->emptyText().isEmpty(); }, 5000));
}

// #23 item 10: "Run 3" in the tree, "default · run 3" on the tab, "default #3" in the legend,
// the raw id in the compare table.
void TestRunViewsPolish::oneDisplayNameInTreeTabLegendAndCompareTable() {
    const QString estimator = QStringLiteral(
        R"({"source_directory": "/tmp", "entry_script": "t.py", "script_params": ["--lr", "0.1"]})");
    const RunRecord a =
        test::addRun(*ws_, QStringLiteral("alpha"), RunStatus::Completed, estimator);
    const RunRecord b = test::addRun(*ws_, QStringLiteral("beta"), RunStatus::Completed, estimator);
    const RunRecord named =
        test::addRun(*ws_, QStringLiteral("beta"), RunStatus::Completed, estimator);
    ws_->store().runs().setName(named.id, QStringLiteral("baseline"));
    for (const RunRecord& r : {a, b, named})
        addPoints(*ws_, r.id, QStringLiteral("loss"), {1.0, 0.5, 0.25});

    MainWindow w;
    w.openWorkspace(ws_->root());
    QVERIFY(QTest::qWaitFor([&] { return w.snapshot() != nullptr; }, 5000));
    WorkspaceModel* model = w.workspaceModel();
    QCOMPARE(model->indexOfRun(a.id).data().toString(), QStringLiteral("run 1"));
    QCOMPARE(model->indexOfRun(named.id).data().toString(), QStringLiteral("baseline"));
    QVERIFY(model->indexOfRun(a.id).data(Qt::ToolTipRole).toString().contains(a.id));
    QVERIFY(model->indexOfRun(a.id)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("--lr 0.1")));

    RunDashboard* d = w.openRun(named.id);
    QVERIFY(d);
    QVERIFY(QTest::qWaitFor(
        [&] { return w.tabs()->tabText(w.tabs()->indexOf(d)) == QLatin1String("baseline"); },
        5000));
    QVERIFY(w.tabs()->tabToolTip(w.tabs()->indexOf(d)).contains(named.id));

    // Two runs both called "run 1" (of alpha and beta) get their experiments added.
    w.compareRuns({a.id, b.id, named.id});
    auto* view = qobject_cast<CompareView*>(w.tabs()->currentWidget());
    QVERIFY(view);
    QVERIFY(QTest::qWaitFor(
        [&] { return view->model()->rowCount() == 3 && !view->charts()->charts().isEmpty(); },
        10000));
    QStringList rows;
    for (int r = 0; r < 3; ++r)
        rows << view->model()->index(r, 0).data().toString();
    rows.sort();
    QCOMPARE(rows, (QStringList{QStringLiteral("baseline"), QStringLiteral("run 1 · alpha"),
                                QStringLiteral("run 1 · beta")}));
    QVERIFY(view->model()
                ->index(0, 0)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("id ")));
    QStringList legend;
    for (QAbstractSeries* s : view->charts()->charts().front()->chart()->series())
        legend << s->name();
    legend.sort();
    QCOMPARE(legend, rows);
}

// #23 item 11: the tab bar clipped Start to "rt"; open tabs were lost on restart.
void TestRunViewsPolish::tabsElideAndComeBackAfterRestart() {
    QList<RunRecord> runs;
    for (int i = 0; i < 14; ++i)
        runs << test::addRun(*ws_, QStringLiteral("experiment-with-a-long-name"),
                             RunStatus::Completed);
    {
        MainWindow w;
        w.resize(700, 500);
        w.show();
        w.openWorkspace(ws_->root());
        QVERIFY(QTest::qWaitFor([&] { return w.snapshot() != nullptr; }, 5000));
        for (const RunRecord& r : runs)
            QVERIFY(w.openRun(r.id));
        QCOMPARE(w.tabs()->count(), 15);
        QCOMPARE(w.tabs()->elideMode(), Qt::ElideRight);
        QVERIFY(w.tabs()->usesScrollButtons());
        // Start in front: its tab lies wholly inside the bar, not cut at the left edge.
        w.tabs()->setCurrentIndex(0);
        QCoreApplication::processEvents();
        const QRect start = w.tabs()->tabBar()->tabRect(0);
        QVERIFY2(start.left() >= 0 && start.right() < w.tabs()->tabBar()->width(),
                 qPrintable(QStringLiteral("%1..%2 of %3")
                                .arg(start.left())
                                .arg(start.right())
                                .arg(w.tabs()->tabBar()->width())));
        QVERIFY(w.grab().save(artifacts() + QStringLiteral("/many_tabs.png"), "PNG"));
        // Keep three, the second in front, and quit.
        while (w.tabs()->count() > 4)
            w.tabs()->tabCloseRequested(w.tabs()->count() - 1);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        w.tabs()->setCurrentIndex(2);
        w.close();
    }
    MainWindow again;
    again.openWorkspace(ws_->root());
    QVERIFY(QTest::qWaitFor([&] { return again.tabs()->count() == 4; }, 5000));
    QStringList ids;
    for (int i = 1; i < 4; ++i) {
        auto* d = qobject_cast<RunDashboard*>(again.tabs()->widget(i));
        QVERIFY(d);
        ids << d->runId();
    }
    QCOMPARE(ids, (QStringList{runs[0].id, runs[1].id, runs[2].id}));
    QCOMPARE(again.tabs()->currentIndex(), 2);
}

// #23 item 11: estimator forms and comparisons were not among the tabs that came back.
void TestRunViewsPolish::formsAndComparisonsComeBackAfterRestart() {
    const RunRecord a = test::addRun(*ws_, QStringLiteral("mnist"), RunStatus::Completed);
    const RunRecord b = test::addRun(*ws_, QStringLiteral("mnist"), RunStatus::Completed);
    const RunRecord c = test::addRun(*ws_, QStringLiteral("mnist"), RunStatus::Failed);
    const QString project = dir_->filePath(QStringLiteral("project"));
    test::writeFile(project + QStringLiteral("/train.py"),
                    "import argparse\np = argparse.ArgumentParser()\n"
                    "p.add_argument('--epochs', type=int, default=2)\np.parse_args()\n");
    Estimator e;
    e.sourceDirectory = project;
    e.entryScript = QStringLiteral("train.py");
    e.scriptParams = {QStringLiteral("--epochs"), QStringLiteral("7")};
    e.experiment = QStringLiteral("tuned");
    e.environmentVariables = {{QStringLiteral("API_TOKEN"), QStringLiteral("s3cret-value")},
                              {QStringLiteral("MODE"), QStringLiteral("fast")}};
    {
        MainWindow w;
        w.openWorkspace(ws_->root());
        QVERIFY(QTest::qWaitFor([&] { return w.snapshot() != nullptr; }, 5000));
        QVERIFY(w.openEstimatorForm(e, false));
        w.compareRuns({a.id, b.id});
        QWidget* compare = w.tabs()->currentWidget();
        QVERIFY(qobject_cast<CompareView*>(compare));
        QVERIFY(w.openRun(c.id));
        w.tabs()->setCurrentWidget(compare);
        QCOMPARE(w.tabs()->count(), 4);
        w.close();
    }
    // The secret's value never reaches the settings file (a plain file): the form asks again.
    QFile settings(QSettings().fileName());
    QVERIFY2(settings.open(QIODevice::ReadOnly), qPrintable(settings.fileName()));
    const QByteArray kept = settings.readAll();
    QVERIFY(kept.contains("tuned"));
    QVERIFY(!kept.contains("s3cret-value"));

    MainWindow again;
    again.openWorkspace(ws_->root());
    QVERIFY(QTest::qWaitFor([&] { return again.tabs()->count() == 4; }, 5000));
    auto* form = qobject_cast<EstimatorForm*>(again.tabs()->widget(1));
    QVERIFY(form);
    const Estimator back = form->estimator();
    QCOMPARE(back.sourceDirectory, e.sourceDirectory);
    QCOMPARE(back.entryScript, e.entryScript);
    QCOMPARE(back.scriptParams, e.scriptParams); // its own values, not the script's defaults
    QCOMPARE(back.experiment, e.experiment);
    QCOMPARE(back.environmentVariables.value(QStringLiteral("MODE")), QStringLiteral("fast"));
    QCOMPARE(back.environmentVariables.value(QStringLiteral("API_TOKEN")), QStringLiteral("***"));
    form->validateNow(); // the secret is asked for again, by name
    QVERIFY2(form->validationError().contains(QStringLiteral("API_TOKEN")),
             qPrintable(form->validationError()));
    auto* compare = qobject_cast<CompareView*>(again.tabs()->widget(2));
    QVERIFY(compare);
    QCOMPARE(compare->runIds(), (QStringList{a.id, b.id}));
    auto* run = qobject_cast<RunDashboard*>(again.tabs()->widget(3));
    QVERIFY(run);
    QCOMPARE(run->runId(), c.id);
    QCOMPARE(again.tabs()->currentIndex(), 2);

    // Opening the workspace again in the same window: forms stay open, so the kept one is not
    // opened a second time; the comparison and the dashboard come back.
    again.openWorkspace(ws_->root());
    QVERIFY(QTest::qWaitFor([&] { return again.tabs()->count() == 4; }, 5000));
    QTest::qWait(200);
    QCOMPARE(again.tabs()->count(), 4);
    QCOMPARE(again.tabs()->widget(1), static_cast<QWidget*>(form));
    QVERIFY(qobject_cast<CompareView*>(again.tabs()->widget(2)));
    QVERIFY(qobject_cast<RunDashboard*>(again.tabs()->widget(3)));
}

QTEST_MAIN(TestRunViewsPolish)
#include "tst_run_views_polish.moc"
