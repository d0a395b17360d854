// Min/max decimation keeps every column's extremes (spikes survive), never draws more than about
// two points per pixel column, and matches a brute-force scan on random data.
#include "core/live/MetricSeriesBuffer.h"
#include "core/live/MinMaxPyramid.h"

#include <QRandomGenerator>
#include <QTest>

using namespace lb;

class TestDecimation : public QObject {
    Q_OBJECT
private slots:
    void rangeMinMaxMatchesBruteForce();
    void everyColumnKeepsItsExtremes();
    void spikeSurvivesAMillionPoints();
    void pointCountIsBoundedByColumns();
    void visibleRangeOnlyAndEdgeNeighbours();
    void logScaleDropsNonPositive();
    void smoothingIsDebiasedEma();
    void timeAxisUsesWallTime();
    void decreasingXIsClamped();
};

void TestDecimation::rangeMinMaxMatchesBruteForce() {
    QRandomGenerator rng(7);
    MinMaxPyramid p;
    std::vector<float> ys;
    for (int i = 0; i < 50'000; ++i) {
        const double y = rng.generateDouble() * 100 - 50;
        p.append(i, y);
        ys.push_back(static_cast<float>(y));
    }
    for (int trial = 0; trial < 2000; ++trial) {
        std::size_t lo = rng.bounded(50'000);
        std::size_t hi = lo + 1 + rng.bounded(static_cast<quint32>(50'000 - lo));
        std::size_t mn, mx;
        p.rangeMinMax(lo, hi, &mn, &mx);
        const auto bmin = std::min_element(ys.begin() + lo, ys.begin() + hi);
        const auto bmax = std::max_element(ys.begin() + lo, ys.begin() + hi);
        QCOMPARE(ys[mn], *bmin);
        QCOMPARE(ys[mx], *bmax);
        QVERIFY(mn >= lo && mn < hi && mx >= lo && mx < hi);
    }
}

void TestDecimation::everyColumnKeepsItsExtremes() {
    QRandomGenerator rng(11);
    MinMaxPyramid p;
    const int n = 200'003; // not a multiple of the fanout: a partial block at the end
    for (int i = 0; i < n; ++i)
        p.append(i, std::sin(i / 500.0) + rng.generateDouble());
    const int columns = 700;
    std::vector<QPointF> out;
    p.decimate(0, n - 1, columns, out);
    // For each column, the brute-force min and max must be among the output points.
    const double width = double(n - 1) / columns;
    for (int c = 0; c < columns; ++c) {
        const std::size_t lo = p.lowerBound(c * width);
        const std::size_t hi = c + 1 < columns ? p.lowerBound((c + 1) * width) : n;
        if (lo >= hi)
            continue;
        float mn = p.y(lo), mx = p.y(lo);
        for (std::size_t i = lo; i < hi; ++i) {
            mn = std::min<float>(mn, p.y(i));
            mx = std::max<float>(mx, p.y(i));
        }
        bool haveMin = false, haveMax = false;
        for (const QPointF& q : out) {
            if (q.x() >= p.x(lo) && q.x() <= p.x(hi - 1)) {
                haveMin = haveMin || float(q.y()) == mn;
                haveMax = haveMax || float(q.y()) == mx;
            }
        }
        QVERIFY2(haveMin && haveMax, qPrintable(QStringLiteral("column %1").arg(c)));
    }
}

void TestDecimation::spikeSurvivesAMillionPoints() {
    MinMaxPyramid p;
    for (int i = 0; i < 1'000'000; ++i)
        p.append(i, i == 612'345 ? 1000.0 : (i == 77'777 ? -1000.0 : 1.0));
    std::vector<QPointF> out;
    p.decimate(0, 999'999, 300, out);
    bool high = false, low = false;
    for (const QPointF& q : out) {
        high = high || (q.y() == 1000.0 && q.x() == 612'345);
        low = low || (q.y() == -1000.0 && q.x() == 77'777);
    }
    QVERIFY(high);
    QVERIFY(low);
    QCOMPARE(p.maxY(), 1000.0);
    QCOMPARE(p.minY(), -1000.0);
}

void TestDecimation::pointCountIsBoundedByColumns() {
    MinMaxPyramid p;
    QRandomGenerator rng(3);
    for (int i = 0; i < 1'000'000; ++i)
        p.append(i, rng.generateDouble());
    for (int columns : {1, 10, 640, 1920}) {
        std::vector<QPointF> out;
        p.decimate(0, 999'999, columns, out);
        QVERIFY(out.size() <= std::size_t(2 * columns + 2));
        QVERIFY(out.size() >= std::size_t(columns)); // every column holds points here
        for (std::size_t i = 1; i < out.size(); ++i)
            QVERIFY(out[i].x() >= out[i - 1].x()); // in logged order
    }
    // Fewer points than columns: every point, exactly once.
    MinMaxPyramid small;
    for (int i = 0; i < 50; ++i)
        small.append(i * 2, i);
    std::vector<QPointF> out;
    small.decimate(0, 98, 1000, out);
    QCOMPARE(out.size(), std::size_t(50));
}

void TestDecimation::visibleRangeOnlyAndEdgeNeighbours() {
    MinMaxPyramid p;
    for (int i = 0; i < 10'000; ++i)
        p.append(i, i);
    std::vector<QPointF> out;
    p.decimate(5000, 5999, 100, out);
    QCOMPARE(out.front().x(), 4999.0); // the point before the view, so the line reaches the edge
    QCOMPARE(out.back().x(), 6000.0);  // and the one after
    for (std::size_t i = 1; i + 1 < out.size(); ++i)
        QVERIFY(out[i].x() >= 5000 && out[i].x() <= 5999);
}

void TestDecimation::logScaleDropsNonPositive() {
    MinMaxPyramid p;
    for (int i = 0; i < 100; ++i)
        p.append(i, i - 50);
    std::vector<QPointF> out;
    p.decimate(0, 99, 100, out, true);
    for (const QPointF& q : out)
        QVERIFY(q.y() > 0);
    QCOMPARE(out.size(), std::size_t(49));
}

void TestDecimation::smoothingIsDebiasedEma() {
    MetricSeriesBuffer b;
    b.append(0, 10, 100);
    b.append(1, 20, 101);
    b.setView(MetricSeriesBuffer::XAxis::Step, 0.5);
    b.append(2, 30, 102);
    // Debiased EMA: first value unchanged; then weighted towards the newest.
    QCOMPARE(b.view().y(0), 10.0f);
    const double e1 = (0.5 * 0.5 * 10 + 0.5 * 20) / (1 - 0.25);
    QVERIFY(std::abs(b.view().y(1) - e1) < 1e-4);
    const double e2 = ((0.5 * (0.5 * 0.5 * 10 + 0.5 * 20)) + 0.5 * 30) / (1 - 0.125);
    QVERIFY(std::abs(b.view().y(2) - e2) < 1e-4);
    // Raw values stay available.
    QCOMPARE(b.value(2), 30.0);
    b.setView(MetricSeriesBuffer::XAxis::Step, 0);
    QCOMPARE(b.view().y(1), 20.0f);
}

void TestDecimation::timeAxisUsesWallTime() {
    MetricSeriesBuffer b;
    for (int i = 0; i < 10; ++i)
        b.append(i, i * i, 1000.0 + i * 0.5);
    b.setView(MetricSeriesBuffer::XAxis::Time, 0);
    QCOMPARE(b.view().x(4), 1002.0);
    QCOMPARE(b.nearest(1002.2), std::size_t(4));
    b.append(10, 100, 1005.0); // appended in the current view too
    QCOMPARE(b.view().lastX(), 1005.0);
}

void TestDecimation::decreasingXIsClamped() {
    MinMaxPyramid p;
    p.append(10, 1);
    p.append(5, 2); // a script that logged a step backwards
    QCOMPARE(p.x(1), 10.0);
    QCOMPARE(p.lowerBound(10), std::size_t(0));
}

QTEST_APPLESS_MAIN(TestDecimation)
#include "tst_decimation.moc"
