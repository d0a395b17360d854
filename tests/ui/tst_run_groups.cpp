// Compare grouping (issue 17): runs grouped by the values of chosen parameters, read from a real
// store through CompareData, and each group's mean ± standard deviation by step, checked against
// numbers worked out by hand.
#include "core/live/MetricFeed.h"
#include "core/live/RunGroups.h"
#include "core/workspace/Workspace.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace lb;

namespace {

void addRun(Workspace& ws, const QString& id, const QString& lr, const QString& seed) {
    RunRecord r;
    r.id = id;
    r.experiment = QStringLiteral("groups");
    r.computeTarget = QStringLiteral("local");
    r.runDir = ws.runsDir() + QLatin1Char('/') + id;
    QString words = QStringLiteral("\"--seed\", \"%1\"").arg(seed);
    if (!lr.isEmpty())
        words = QStringLiteral("\"--lr\", \"%1\", ").arg(lr) + words;
    r.estimatorJson = QStringLiteral("{\"entry_script\": \"train.py\", \"script_params\": [%1]}").arg(words);
    ws.store().runs().create(r);
}

} // namespace

class RunGroupsTest : public QObject {
    Q_OBJECT
private slots:
    void runsGroupByTheValuesOfTheChosenParameters() {
        QTemporaryDir tmp;
        Workspace ws = Workspace::create(tmp.filePath(QStringLiteral("ws")), QStringLiteral("groups"));
        addRun(ws, QStringLiteral("a"), QStringLiteral("0.1"), QStringLiteral("1"));
        addRun(ws, QStringLiteral("b"), QStringLiteral("0.01"), QStringLiteral("1"));
        addRun(ws, QStringLiteral("c"), QStringLiteral("0.1"), QStringLiteral("2"));
        addRun(ws, QStringLiteral("d"), QString(), QStringLiteral("3"));
        const CompareData data = CompareData::load(ws, {"a", "b", "c", "d"});
        QCOMPARE(data.rows.size(), 4);

        const QList<RunGroup> byLr = groupRunsByParams(data.rows, {QStringLiteral("--lr")});
        QCOMPARE(byLr.size(), 3);
        QCOMPARE(byLr[0].label, QStringLiteral("--lr=0.1"));
        QCOMPARE(byLr[0].runIds, QStringList({"a", "c"}));
        QCOMPARE(byLr[1].label, QStringLiteral("--lr=0.01"));
        QCOMPARE(byLr[1].runIds, QStringList({"b"}));
        QCOMPARE(byLr[2].label, QStringLiteral("--lr=(none)")); // d has no --lr
        QCOMPARE(byLr[2].runIds, QStringList({"d"}));

        // Two parameters: every run is its own configuration here.
        const QList<RunGroup> byBoth = groupRunsByParams(data.rows, {QStringLiteral("--lr"), QStringLiteral("--seed")});
        QCOMPARE(byBoth.size(), 4);
        QCOMPARE(byBoth[2].label, QStringLiteral("--lr=0.1, --seed=2"));
        QVERIFY(groupRunsByParams(data.rows, {}).isEmpty());
    }

    void meanAndSampleStandardDeviationByStep() {
        // Three seeds of one configuration. Run 1 logs step 0 twice (its last value counts);
        // run 3's NaN at step 1 is left out; only run 2 reaches step 2.
        const std::vector<StepSeries> runs = {
            {{0, 7.0}, {0, 1.0}, {1, 0.5}},
            {{0, 3.0}, {1, 0.75}, {2, 0.25}},
            {{0, 2.0}, {1, std::nan("")}},
        };
        const GroupBand band = groupBand(runs);
        QVERIFY(band.steps == std::vector<double>({0, 1, 2}));
        // step 0: 1, 3, 2 -> mean 2, sample variance ((1)+(1)+(0))/2 = 1
        QCOMPARE(band.mean[0], 2.0);
        QCOMPARE(band.stddev[0], 1.0);
        QCOMPARE(band.runs[0], 3);
        // step 1: 0.5, 0.75 -> mean 0.625, variance (0.015625 * 2) / 1 -> std 0.1767766952966369
        QCOMPARE(band.mean[1], 0.625);
        QCOMPARE(band.stddev[1], std::sqrt(0.03125));
        QCOMPARE(band.runs[1], 2);
        // step 2: one run, no spread
        QCOMPARE(band.mean[2], 0.25);
        QCOMPARE(band.stddev[2], 0.0);
        QCOMPARE(band.runs[2], 1);
        QVERIFY(groupBand(std::vector<StepSeries>{}).steps.empty());
    }

    void bandOverAMetricFeedsBuffers() {
        MetricBuffers buffers;
        auto add = [&](const char* run, std::initializer_list<std::pair<int, double>> points) {
            MetricBuffers::Entry& e = buffers.series[{QString::fromLatin1(run), QStringLiteral("loss")}];
            for (const auto& [step, value] : points)
                e.buffer.append(step, value, 1000.0 + step);
        };
        add("a", {{0, 4.0}, {1, 2.0}});
        add("b", {{0, 6.0}, {1, 4.0}});
        add("other", {{0, 100.0}}); // not in the group
        std::lock_guard lock(buffers.mutex);
        const GroupBand band = groupBand(buffers, QStringLiteral("loss"), {"a", "b", "missing"});
        QVERIFY(band.steps == std::vector<double>({0, 1}));
        QVERIFY(band.mean == std::vector<double>({5.0, 3.0}));
        QCOMPARE(band.stddev[0], std::sqrt(2.0)); // (1 + 1) / 1
        QCOMPARE(band.stddev[1], std::sqrt(2.0));
    }
};

QTEST_GUILESS_MAIN(RunGroupsTest)
#include "tst_run_groups.moc"
