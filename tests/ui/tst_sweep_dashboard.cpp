// The sweep dashboard over a real sweep: a grid of three children of a tiny Python script,
// submitted through core (submitSweep: the detached sweep driver, supervisors, the ingester),
// watched live offscreen. The children model passes QAbstractItemModelTester while rows arrive
// and change; the table sorts best-first by the primary metric with the best child highlighted;
// the chart draws the metric over steps with a line per child; the parallel coordinates put the
// best child on top; the main window routes a sweep's parent to this dashboard.
#include "tests/ui/UiTestSupport.h"
#include "ui/charts/MetricChart.h"
#include "core/live/SweepChildrenModel.h"
#include "core/live/SweepCoordinates.h"
#include "ui/main/MainWindow.h"
#include "ui/run/RunDashboard.h"
#include "ui/sweep/ParallelCoordinatesView.h"
#include "core/sweep/Sweep.h"
#include "ui/sweep/SweepDashboard.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <cmath>

using namespace lb;
using namespace lb::ui;

class TestSweepDashboard : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void liveSweepDashboard();
    void mainWindowOpensSweepDashboard();
    void childrenModelUpdatesInPlace();
    void parallelCoordinatesOfNumbers();
    void cancelSweepFromTheDashboard();

private:
    QTemporaryDir dir_;
    std::unique_ptr<Workspace> ws_;
    QString sweepId_;
};

void TestSweepDashboard::initTestCase() {
    QVERIFY(dir_.isValid());
    ws_ = std::make_unique<Workspace>(
        Workspace::create(dir_.filePath(QStringLiteral("ws")), QStringLiteral("sweeps")));
    const QString src = dir_.filePath(QStringLiteral("src"));
    // score = x * (step + 1), three steps a little apart: x = 3 is the best child.
    test::writeFile(
        src + QStringLiteral("/train.py"),
        "import json, os, sys, time\n"
        "x = float(sys.argv[sys.argv.index('--x') + 1])\n"
        "for step in range(3):\n"
        "    with open(os.environ['LABBENCH_METRICS_FILE'], 'a') as f:\n"
        "        f.write(json.dumps({'name': 'score', 'value': x * (step + 1), 'step': step})"
        " + '\\n')\n"
        "    time.sleep(0.3)\n");
    const Json spec = Json::parse(QStringLiteral(R"({"experiment": "tune",
        "estimator": {"source_directory": "%1", "entry_script": "train.py"},
        "sampling": {"method": "grid"},
        "parameters": {"--x": {"choice": [1, 3, 2]}},
        "primary_metric": {"name": "score", "goal": "maximize"},
        "max_concurrent_runs": 1})")
                                      .arg(src)
                                      .toStdString());
    const RunRecord parent =
        sweep::submitSweep(*ws_, sweep::SweepSpec::fromJson(spec, QStringLiteral("test"), src));
    sweepId_ = parent.id;
}

void TestSweepDashboard::liveSweepDashboard() {
    SweepDashboard d(ws_->root(), ws_->storePath(), sweepId_);
    d.resize(1200, 800);
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    SweepChildrenModel* model = d.children();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(d.sortedChildren(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
    int sawActive = 0;
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     const SweepSummaryPtr& s = d.summary();
                     if (!s) return false;
                     for (const sweep::SweepChild& c : s->children)
                         sawActive += isTerminal(c.run.status) ? 0 : 1;
                     return s->parent.status == RunStatus::Completed && s->children.size() == 3;
                 },
                 120000),
             d.summary() ? qPrintable(d.summary()->parent.reason) : "no summary");
    // Children arrived one by one (one at a time on `local`), and were seen running.
    QVERIFY2(inserted.size() >= 2, qPrintable(QString::number(inserted.size())));
    QVERIFY(sawActive > 0);

    // The header shows the final status whole.
    auto* pill = d.findChild<QLabel*>(QStringLiteral("pill"));
    QVERIFY(pill);
    QCOMPARE(pill->text(), QStringLiteral("Completed"));
    QVERIFY(QTest::qWaitFor([&] { return pill->width() >= pill->sizeHint().width(); }, 2000));

    // Columns: child, status, --x, score.
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->columnCount(), 4);
    QCOMPARE(model->headerData(2, Qt::Horizontal).toString(), QStringLiteral("--x"));
    QCOMPARE(model->headerData(3, Qt::Horizontal).toString(), QStringLiteral("score"));
    QCOMPARE(model->metricColumn(), 3);
    // The grid's order is the spec's: 1, 3, 2; the final scores are 3, 9, 6.
    QVERIFY(QTest::qWaitFor(
        [&] { return model->index(2, 3).data(SweepChildrenModel::MetricRole).toDouble() == 6.0; },
        10000));
    QCOMPARE(model->index(0, 2).data().toString(), QStringLiteral("1"));
    QCOMPARE(model->index(1, 2).data().toString(), QStringLiteral("3"));
    QCOMPARE(model->index(1, 3).data().toString(), QStringLiteral("9"));
    QCOMPARE(model->bestRow(), 1);
    const QString best = model->index(1, 0).data(SweepChildrenModel::RunIdRole).toString();
    QCOMPARE(d.summary()->bestId, best);
    for (int r = 0; r < 3; ++r)
        QCOMPARE(model->index(r, 0).data(SweepChildrenModel::IsBestRole).toBool(), r == 1);

    // Best first by default (maximize: descending), highlighted.
    QSortFilterProxyModel* sorted = d.sortedChildren();
    QCOMPARE(sorted->sortColumn(), 3);
    QCOMPARE(sorted->sortOrder(), Qt::DescendingOrder);
    QCOMPARE(sorted->index(0, 0).data(SweepChildrenModel::RunIdRole).toString(), best);
    QCOMPARE(sorted->index(1, 3).data().toString(), QStringLiteral("6"));
    QCOMPARE(sorted->index(2, 3).data().toString(), QStringLiteral("3"));
    QVERIFY(sorted->index(0, 2).data(Qt::BackgroundRole).isValid());
    QVERIFY(sorted->index(0, 2).data(Qt::FontRole).value<QFont>().bold());
    QVERIFY(!sorted->index(1, 2).data(Qt::BackgroundRole).isValid());
    // Clicking headers sorts: the parameter numerically, the metric the other way round.
    d.table()->sortByColumn(2, Qt::AscendingOrder);
    QCOMPARE(sorted->index(0, 2).data().toString(), QStringLiteral("1"));
    QCOMPARE(sorted->index(2, 2).data().toString(), QStringLiteral("3"));
    d.table()->sortByColumn(3, Qt::AscendingOrder);
    QCOMPARE(sorted->index(2, 0).data(SweepChildrenModel::RunIdRole).toString(), best);

    // One chart of the primary metric, a line per child up to step 2; the best one thick.
    MetricChart* chart = d.chart();
    QVERIFY(chart);
    QCOMPARE(chart->metric(), QStringLiteral("score"));
    QVERIFY(QTest::qWaitFor(
        [&] {
            const QList<QPointF> last = chart->lastPoints();
            return last.size() == 3 && last[0].x() == 2 && last[1].x() == 2 && last[2].x() == 2;
        },
        10000));
    QCOMPARE(chart->lastPoints()[1].y(), 9.0);
    const QList<QAbstractSeries*> series = chart->chart()->series();
    QCOMPARE(series.size(), 3);
    QCOMPARE(qobject_cast<QLineSeries*>(series[1])->pen().widthF(), 3.0);
    QCOMPARE(qobject_cast<QLineSeries*>(series[0])->pen().widthF(), 1.0);

    // Parallel coordinates: --x (three categories) and score; the best child drawn last.
    const ParallelData& pc = d.coordinates()->data();
    QCOMPARE(pc.axes.size(), 2);
    QVERIFY(pc.axes[0].categorical);
    QCOMPARE(pc.axes[0].categories,
             (QStringList{QStringLiteral("1"), QStringLiteral("3"), QStringLiteral("2")}));
    QVERIFY(pc.axes[1].metric);
    QCOMPARE(pc.axes[1].min, 3.0);
    QCOMPARE(pc.axes[1].max, 9.0);
    QCOMPARE(pc.lines.size(), 3);
    QVERIFY(pc.lines.back().best);
    QCOMPARE(pc.lines.back().runId, best);
    QCOMPARE(pc.lines.back().quality, 1.0);
    QCOMPARE(pc.lines.back().positions, (QList<double>{0.5, 1.0}));
    // A click on the best line's metric end selects its row.
    const QList<QPointF> pts = d.coordinates()->linePoints(pc.lines.back());
    QTest::mouseClick(d.coordinates(), Qt::LeftButton, {}, pts.back().toPoint());
    QCOMPARE(d.table()->currentIndex().data(SweepChildrenModel::RunIdRole).toString(), best);
    // The picture is kept for a look (test-artifacts/sweep_dashboard.png).
    QDir().mkpath(QStringLiteral("test-artifacts"));
    d.grab().save(QStringLiteral("test-artifacts/sweep_dashboard.png"));
}

void TestSweepDashboard::mainWindowOpensSweepDashboard() {
    MainWindow w;
    w.openWorkspace(ws_->root());
    QVERIFY(QTest::qWaitFor([&] { return w.snapshot() != nullptr; }, 5000));
    QVERIFY(w.openRun(sweepId_) == nullptr);
    auto* d = qobject_cast<SweepDashboard*>(w.tabs()->currentWidget());
    QVERIFY(d);
    QCOMPARE(d->sweepId(), sweepId_);
    QVERIFY(QTest::qWaitFor([&] { return d->summary() != nullptr; }, 5000));
    QCOMPARE(w.tabs()->tabText(w.tabs()->currentIndex()), QStringLiteral("tune · sweep 1"));
    // A child opens as a run.
    const int tabs = w.tabs()->count();
    emit d->runRequested(d->summary()->children.front().run.id);
    QCOMPARE(w.tabs()->count(), tabs + 1);
    QVERIFY(qobject_cast<RunDashboard*>(w.tabs()->currentWidget()));
    // Opening it again reuses the tab.
    QCOMPARE(w.openSweep(sweepId_), d);
    QCOMPARE(w.tabs()->count(), tabs + 1);
}

void TestSweepDashboard::childrenModelUpdatesInPlace() {
    // Summaries as the watcher hands them: the same children with new values change cells
    // (no reset), a new child is inserted, the best moving is a change on both rows.
    Workspace& w = *ws_;
    const sweep::SweepSummary real = sweep::loadSweep(w, sweepId_);
    auto first = std::make_shared<sweep::SweepSummary>(real);
    first->children = real.children.mid(0, 2);
    first->children[0].primaryMetric.reset();
    first->bestId = first->children[1].run.id;
    SweepChildrenModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSummary(first);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, 3).data().toString(), QStringLiteral("—"));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    auto second = std::make_shared<sweep::SweepSummary>(real);
    model.setSummary(second);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(changed.size(), 1); // row 0 got its metric; the best stayed on row 1
    QCOMPARE(model.index(0, 3).data().toString(), QStringLiteral("3"));
    // A minimize sweep sorts missing metrics last in ascending (best-first) order.
    auto minimize = std::make_shared<sweep::SweepSummary>(real);
    minimize->spec.maximize = false;
    minimize->children[1].primaryMetric.reset();
    model.setSummary(minimize);
    QCOMPARE(model.bestFirstOrder(), Qt::AscendingOrder);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(SweepChildrenModel::SortRole);
    proxy.sort(3, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, 3).data().toString(), QStringLiteral("3"));
    QCOMPARE(proxy.index(2, 3).data().toString(), QStringLiteral("—"));
}

void TestSweepDashboard::parallelCoordinatesOfNumbers() {
    // A log-distributed parameter gets a log axis; minimize flips the colour scale; a child
    // without a metric yet has no metric position and no quality.
    sweep::SweepSummary s;
    s.spec.primaryMetric = QStringLiteral("loss");
    s.spec.maximize = false;
    s.spec.parameters = {sweep::Parameter::fromJson(QStringLiteral("--lr"),
                                                    Json::parse(R"({"loguniform": [-7, -1]})"),
                                                    QStringLiteral("test")),
                         sweep::Parameter::fromJson(QStringLiteral("--units"),
                                                    Json::parse(R"({"quniform": [16, 256, 16]})"),
                                                    QStringLiteral("test"))};
    const auto child = [&](const char* id, double lr, int units, std::optional<double> loss) {
        sweep::SweepChild c;
        c.run.id = QString::fromLatin1(id);
        c.params = {{"--lr", lr}, {"--units", units}};
        c.primaryMetric = loss;
        return c;
    };
    s.children = {child("a", 0.001, 32, 0.5), child("b", 0.1, 256, 0.1),
                  child("c", 0.01, 128, std::nullopt)};
    s.bestId = QStringLiteral("b");
    const ParallelData pc = parallelCoordinates(s);
    QCOMPARE(pc.axes.size(), 3);
    QVERIFY(pc.axes[0].logScale);
    QVERIFY(!pc.axes[1].logScale);
    QCOMPARE(pc.axes[0].position(0.01), 0.5); // halfway between 1e-3 and 1e-1 on a log axis
    QCOMPARE(pc.axes[1].min, 32.0);
    QCOMPARE(pc.axes[1].max, 256.0);
    QCOMPARE(pc.axes[0].label(1), QStringLiteral("0.1"));
    QCOMPARE(pc.lines.size(), 3);
    QCOMPARE(pc.lines.back().runId, QStringLiteral("b"));
    QCOMPARE(pc.lines.back().quality, 1.0); // lowest loss is best
    QCOMPARE(pc.lines[0].runId, QStringLiteral("a"));
    QCOMPARE(pc.lines[0].quality, 0.0);
    QCOMPARE(pc.lines[1].runId, QStringLiteral("c"));
    QCOMPARE(pc.lines[1].quality, -1.0);
    QVERIFY(std::isnan(pc.lines[1].positions[2]));
    QCOMPARE(pc.lines[1].positions[1], 96.0 / 224.0);
    // The view paints it (and a click off every line selects nothing).
    ParallelCoordinatesView view;
    view.resize(500, 300);
    view.setData(pc);
    QSignalSpy clicked(&view, &ParallelCoordinatesView::childClicked);
    QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(5, 5));
    QCOMPARE(clicked.size(), 0);
    QVERIFY(!view.grab().isNull());
}

void TestSweepDashboard::cancelSweepFromTheDashboard() {
    const QString src = dir_.filePath(QStringLiteral("slow"));
    test::writeFile(src + QStringLiteral("/train.py"),
                    "import time\nprint('sleeping', flush=True)\ntime.sleep(120)\n");
    const Json spec = Json::parse(QStringLiteral(R"({"experiment": "slow",
        "estimator": {"source_directory": "%1", "entry_script": "train.py"},
        "sampling": {"method": "random", "seed": 3},
        "parameters": {"--x": {"uniform": [0, 1]}},
        "primary_metric": {"name": "loss", "goal": "minimize"},
        "max_total_runs": 3, "max_concurrent_runs": 1})")
                                      .arg(src)
                                      .toStdString());
    const RunRecord parent =
        sweep::submitSweep(*ws_, sweep::SweepSpec::fromJson(spec, QStringLiteral("test"), src));
    SweepDashboard d(ws_->root(), ws_->storePath(), parent.id);
    d.show();
    auto* cancel = d.findChild<QPushButton*>(QStringLiteral("cancelSweep"));
    QVERIFY(cancel);
    QVERIFY(QTest::qWaitFor(
        [&] {
            return d.summary() && !d.summary()->children.isEmpty() &&
                   d.summary()->children.front().run.status == RunStatus::Running;
        },
        30000));
    QVERIFY(cancel->isEnabled());
    cancel->click();
    QVERIFY(QTest::qWaitFor(
        [&] {
            const SweepSummaryPtr& s = d.summary();
            if (!s || s->parent.status != RunStatus::Canceled) return false;
            for (const sweep::SweepChild& c : s->children)
                if (!isTerminal(c.run.status)) return false;
            return true;
        },
        30000));
    QCOMPARE(d.summary()->children.size(), 1); // nothing more was started
    QCOMPARE(toString(d.summary()->children.front().run.status), toString(RunStatus::Canceled));
    QVERIFY(!cancel->isEnabled());
}

QTEST_MAIN(TestSweepDashboard)
#include "tst_sweep_dashboard.moc"
