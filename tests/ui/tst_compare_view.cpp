// The compare view (issue 17) offscreen over a real workspace: grouping by a parameter draws each
// group's mean ± std band from the store's points, and the exports write files that parse back:
// the table CSV equal to what the real `labbench runs compare --csv` prints, every metric point
// as CSV, the charts as a PNG.
#include "core/live/CompareModel.h"
#include "core/workspace/Workspace.h"
#include "tests/support/CliRunner.h"
#include "ui/charts/GroupBandSeries.h"
#include "ui/charts/MetricChart.h"
#include "ui/charts/MetricChartsPanel.h"
#include "ui/compare/CompareView.h"

#include <QAreaSeries>
#include <QFile>
#include <QImage>
#include <QLineSeries>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>
#include <cmath>

using namespace lb;

namespace {

const QStringList kRuns = {"ra", "rb", "rc"};

QList<QPointF> pointsOf(const QLineSeries* s) {
    return s->points();
}

QStringList csvLines(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.last().isEmpty()) lines.removeLast();
    return lines;
}

} // namespace

class CompareViewTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString root_;

private slots:
    void initTestCase() {
        root_ = tmp_.filePath(QStringLiteral("ws"));
        Workspace ws = Workspace::create(root_, QStringLiteral("compare"));
        // ra and rb: two seeds of lr 0.1; rc: lr 0.01. loss at steps 0..2.
        const QStringList lrs = {"0.1", "0.1", "0.01"};
        const QList<QList<double>> losses = {{4.0, 2.0, 1.0}, {6.0, 4.0, 3.0}, {5.0, 5.0, 5.0}};
        for (int i = 0; i < 3; ++i) {
            RunRecord r;
            r.id = kRuns[i];
            r.experiment = QStringLiteral("compare");
            r.computeTarget = QStringLiteral("local");
            r.runDir = ws.runsDir() + QLatin1Char('/') + r.id;
            r.estimatorJson = QStringLiteral("{\"entry_script\": \"train.py\", \"script_params\": "
                                             "[\"--lr\", \"%1\", \"--seed\", \"%2\"]}")
                                  .arg(lrs[i])
                                  .arg(i + 1);
            ws.store().runs().create(r);
            std::vector<MetricPoint> points;
            for (int step = 0; step < 3; ++step)
                points.push_back({QStringLiteral("loss"), losses[i][step], step, 1000.0 + step});
            ws.store().metrics().append(r.id, points);
        }
    }

    void groupingDrawsMeanAndStdBands() {
        Workspace ws = Workspace::open(root_);
        ui::CompareView view(root_, ws.storePath(), kRuns, kRuns);
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitFor(
            [&] { return view.model()->rowCount() == 3 && !view.charts()->charts().isEmpty(); },
            10000));
        ui::MetricChart* chart = view.charts()->charts().first();
        QVERIFY(QTest::qWaitFor(
            [&] {
                return chart->seriesPointCounts() == QList<int>({3, 3, 3});
            },
            10000));
        QVERIFY(chart->groupBands().empty());

        view.setGroupBy({QStringLiteral("--lr")});
        QCOMPARE(view.groupBy(), QStringList({"--lr"}));
        QCOMPARE(chart->groupBands().size(), size_t(2));
        const ui::GroupBandSeries& tenth = *chart->groupBands()[0];
        QCOMPARE(tenth.meanLine()->name(), QStringLiteral("--lr=0.1"));
        QVERIFY(tenth.meanLine()->isVisible());
        // ra and rb: means 5, 3, 2; sample std sqrt(2) at every step.
        QCOMPARE(pointsOf(tenth.meanLine()), QList<QPointF>({{0, 5}, {1, 3}, {2, 2}}));
        const double s = std::sqrt(2.0);
        QCOMPARE(pointsOf(tenth.area()->upperSeries()),
                 QList<QPointF>({{0, 5 + s}, {1, 3 + s}, {2, 2 + s}}));
        QCOMPARE(pointsOf(tenth.area()->lowerSeries()),
                 QList<QPointF>({{0, 5 - s}, {1, 3 - s}, {2, 2 - s}}));
        // rc alone: no spread.
        const ui::GroupBandSeries& hundredth = *chart->groupBands()[1];
        QCOMPARE(hundredth.meanLine()->name(), QStringLiteral("--lr=0.01"));
        QCOMPARE(pointsOf(hundredth.area()->upperSeries()), pointsOf(hundredth.meanLine()));
        // The runs' own lines give way to the bands, and come back without groups.
        for (QAbstractSeries* series : chart->chart()->series())
            if (auto* line = qobject_cast<QLineSeries*>(series);
                line && line != tenth.meanLine() && line != hundredth.meanLine())
                QVERIFY(!line->isVisible());

        // On the time axis the bands stay, by seconds since each run's first point (every run
        // here logs step k at 1000 + k s), and the axis says so.
        view.charts()->setTimeAxis(true);
        QCOMPARE(chart->groupBands().size(), size_t(2));
        QVERIFY(chart->groupBands()[0]->meanLine()->isVisible());
        QCOMPARE(pointsOf(chart->groupBands()[0]->meanLine()),
                 QList<QPointF>({{0, 5}, {1, 3}, {2, 2}}));
        QCOMPARE(pointsOf(chart->groupBands()[0]->area()->upperSeries()),
                 QList<QPointF>({{0, 5 + s}, {1, 3 + s}, {2, 2 + s}}));
        auto* timeAxis = qobject_cast<QValueAxis*>(chart->chart()->axes(Qt::Horizontal).value(0));
        QVERIFY(timeAxis);
        QCOMPARE(timeAxis->titleText(), QStringLiteral("time since each run's first point (s)"));
        QVERIFY(timeAxis->min() <= 0 && timeAxis->max() >= 2);
        view.charts()->setTimeAxis(false);

        view.setGroupBy({});
        QVERIFY(chart->groupBands().empty());
        QCOMPARE(chart->seriesPointCounts(), QList<int>({3, 3, 3}));
    }

    void exportsWriteFilesThatParseBack() {
        Workspace ws = Workspace::open(root_);
        ui::CompareView view(root_, ws.storePath(), kRuns, kRuns);
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitFor(
            [&] {
                return view.model()->rowCount() == 3 && !view.charts()->charts().isEmpty() &&
                       view.charts()->charts().first()->seriesPointCounts() ==
                           QList<int>({3, 3, 3});
            },
            10000));
        QTemporaryDir out;

        const QString table = out.filePath(QStringLiteral("compare.csv"));
        view.exportTableCsv(table);
        const QStringList rows = csvLines(table);
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[0], QStringLiteral("run,name,--lr,--seed,loss.last,loss.min,loss.max"));
        QCOMPARE(rows[1], QStringLiteral("ra,,0.1,1,1,1 @2,4 @0"));
        // The same bytes as the command line's CSV.
        const CliResult cli =
            runLabbench({QStringLiteral("--workspace"), root_, QStringLiteral("runs"),
                         QStringLiteral("compare"), QStringLiteral("ra"), QStringLiteral("rb"),
                         QStringLiteral("rc"), QStringLiteral("--csv")});
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        QFile f(table);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(cli.out), QString::fromUtf8(f.readAll()));

        const QString series = out.filePath(QStringLiteral("metrics.csv"));
        view.exportSeriesCsv(series);
        const QStringList points = csvLines(series);
        QCOMPARE(points.size(), 1 + 3 * 3);
        QCOMPARE(points[0], QStringLiteral("run,metric,step,time,value"));
        QCOMPARE(points[1], QStringLiteral("ra,loss,0,1000.000,4"));
        QCOMPARE(points[9], QStringLiteral("rc,loss,2,1002.000,5"));

        const QString png = out.filePath(QStringLiteral("charts.png"));
        view.exportChartsPng(png);
        QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), view.charts()->size() * view.charts()->devicePixelRatioF());
    }
};

QTEST_MAIN(CompareViewTest)
#include "tst_compare_view.moc"
