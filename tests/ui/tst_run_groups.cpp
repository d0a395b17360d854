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
    if (!lr.isEmpty()) words = QStringLiteral("\"--lr\", \"%1\", ").arg(lr) + words;
    r.estimatorJson =
        QStringLiteral("{\"entry_script\": \"train.py\", \"script_params\": [%1]}").arg(words);
    ws.store().runs().create(r);
}

} // namespace

class RunGroupsTest : public QObject {
    Q_OBJECT
private slots:
    void runsGroupByTheValuesOfTheChosenParameters() {
        QTemporaryDir tmp;
        Workspace ws =
            Workspace::create(tmp.filePath(QStringLiteral("ws")), QStringLiteral("groups"));
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
        const QList<RunGroup> byBoth =
            groupRunsByParams(data.rows, {QStringLiteral("--lr"), QStringLiteral("--seed")});
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

    void bandOverTimeInterpolatesEachRunFromItsOwnStart() {
        // Two seeds started 500 s apart that log at different moments. Run a: 10 at +0 s, 20 at
        // +10 s. Run b: 30 at +0 s, 10 at +4 s, 50 at +8 s (and a NaN, left out).
        const std::vector<StepSeries> runs = {
            {{1000, 10.0}, {1010, 20.0}},
            {{1500, 30.0}, {1502, std::nan("")}, {1504, 10.0}, {1508, 50.0}},
        };
        const GroupBand band = groupBandOverTime(runs);
        // Every x either run logged at, from each run's own first point.
        QVERIFY(band.steps == std::vector<double>({0, 4, 8, 10}));
        // +0: 10 and 30; +4: a interpolated to 14, b 10; +8: a 18, b 50; +10: a alone (b ended at
        // +8).
        QCOMPARE(band.mean.size(), size_t(4));
        QCOMPARE(band.mean[0], 20.0);
        QCOMPARE(band.mean[1], 12.0);
        QCOMPARE(band.mean[2], 34.0);
        QCOMPARE(band.mean[3], 20.0);
        QCOMPARE(band.stddev[0], std::sqrt(200.0)); // (100 + 100) / 1
        QCOMPARE(band.stddev[1], std::sqrt(8.0));   // (4 + 4) / 1
        QCOMPARE(band.stddev[2], std::sqrt(512.0)); // (256 + 256) / 1
        QCOMPARE(band.stddev[3], 0.0);
        QVERIFY(band.runs == std::vector<int>({2, 2, 2, 1}));

        // More distinct moments than asked for: that many even x values over the longest span.
        const GroupBand thinned = groupBandOverTime(runs, 3);
        QVERIFY(thinned.steps == std::vector<double>({0, 5, 10}));
        QCOMPARE(thinned.mean[1], (15.0 + 20.0) / 2); // a at +5: 15; b at +5: 10 + 40 / 4 = 20
        QVERIFY(groupBandOverTime(std::vector<StepSeries>{}).steps.empty());
    }

    void bandOverAMetricFeedsBuffers() {
        MetricBuffers buffers;
        auto add = [&](const char* run, std::initializer_list<std::pair<int, double>> points) {
            MetricBuffers::Entry& e =
                buffers.series[{QString::fromLatin1(run), QStringLiteral("loss")}];
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
        // Over time: b started 100 s after a, with the same pace, so the same band by x = step.
        MetricBuffers::Entry& later = buffers.series[{QStringLiteral("b"), QStringLiteral("loss")}];
        later = {};
        later.buffer.append(0, 6.0, 1100.0);
        later.buffer.append(1, 4.0, 1101.0);
        const GroupBand overTime = groupBand(buffers, QStringLiteral("loss"), {"a", "b"}, true);
        QVERIFY(overTime.steps == std::vector<double>({0, 1}));
        QVERIFY(overTime.mean == std::vector<double>({5.0, 3.0}));
    }
};

QTEST_GUILESS_MAIN(RunGroupsTest)
#include "tst_run_groups.moc"
