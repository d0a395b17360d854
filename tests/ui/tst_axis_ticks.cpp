// The charts' tick maths (core/live/AxisTicks, no Qt), for #23 item 5: a value logged once drew
// a y axis of 99.99–100 and an x axis up to 1e-09; steps got ticks at 1.24, 1.48; a loss axis
// went to −2; big numbers read 1.26e+05.
#include "core/live/AxisTicks.h"

#include <QTest>

#include <cmath>

using namespace lb;

namespace {

// Every tick from min to max, as the axis labels them.
QStringList labels(const AxisTicks& t) {
    QStringList out;
    for (int i = 0; i < t.count; ++i)
        out << QString::fromStdString(formatTick(t.min + i * t.step, t));
    return out;
}

bool isNiceStep(double step) {
    const double p = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    const double m = step / p;
    return std::abs(m - 1) < 1e-9 || std::abs(m - 2) < 1e-9 || std::abs(m - 5) < 1e-9;
}

} // namespace

class TestAxisTicks : public QObject {
    Q_OBJECT
private slots:
    void integerAxisGetsWholeTicks() {
        // Three epochs: 0, 1, 2, never 0.4, 0.8.
        const AxisTicks t = niceTicks(0, 2, {.maxTicks = 6, .integer = true, .nonNegative = true});
        QCOMPARE(t.step, 1.0);
        QCOMPARE(labels(t), (QStringList{"0", "1", "2"}));
        const AxisTicks few = niceTicks(1, 1.5, {.maxTicks = 6, .integer = true, .nonNegative = true});
        QVERIFY(few.step >= 1);
        QCOMPARE(few.decimals, 0);
        for (const QString& l : labels(few))
            QVERIFY2(!l.contains('.'), qPrintable(l));
    }

    void rangeEndsOnTicksAndHoldsTheData() {
        for (auto [lo, hi] : {std::pair{0.13, 0.97}, std::pair{-3.2, 17.5}, std::pair{1e-4, 3e-4}, std::pair{990.0, 1010.0}}) {
            const AxisTicks t = niceTicks(lo, hi, {.maxTicks = 6, .integer = false, .nonNegative = false});
            QVERIFY(t.min <= lo && t.max >= hi);
            QVERIFY(t.count >= 2 && t.count <= 6);
            QVERIFY2(isNiceStep(t.step), qPrintable(QString::number(t.step)));
            QCOMPARE(std::lround((t.max - t.min) / t.step) + 1, long(t.count));
            QCOMPARE(labels(t).removeDuplicates(), qsizetype(0)); // every label distinct
        }
    }

    void neverNegativeSeriesHasNoNegativeRange() {
        // A loss from 2.3 down to 0.01, with the chart's 8% padding below.
        const AxisTicks t = niceTicks(0.01 - 0.18, 2.3 + 0.18, {.maxTicks = 6, .integer = false, .nonNegative = true});
        QCOMPARE(t.min, 0.0);
        QVERIFY(t.max >= 2.3);
        QVERIFY(!labels(t).front().startsWith('-'));
        // A series that does go negative keeps its negative range.
        QVERIFY(niceTicks(-2, 3, {.maxTicks = 6, .integer = false, .nonNegative = false}).min <= -2);
    }

    void plainNumbersWhereTheyFit() {
        const AxisTicks t = niceTicks(120000, 131000, {.maxTicks = 6, .integer = false, .nonNegative = false});
        QVERIFY(t.plain);
        for (const QString& l : labels(t))
            QVERIFY2(!l.contains('e'), qPrintable(l));
        QVERIFY(labels(t).contains("125000"));
        QCOMPARE(QString::fromStdString(tickLabelFormat(t)), QStringLiteral("%.0f"));
        const AxisTicks small = niceTicks(0.25, 0.75, {.maxTicks = 6, .integer = false, .nonNegative = false});
        QCOMPARE(QString::fromStdString(tickLabelFormat(small)), QStringLiteral("%.1f"));
        QCOMPARE(labels(small), (QStringList{"0.2", "0.4", "0.6", "0.8"}));
        // Only past a billion do labels take an exponent.
        QVERIFY(!niceTicks(0, 3e12, {.maxTicks = 6, .integer = false, .nonNegative = false}).plain);
    }

    void oneValueGetsRoomAroundIt() {
        // run.log('Batch size', 128) drawn once: not 127.99–128.01.
        const AxisTicks y = niceTicks(128, 128, {.maxTicks = 6, .integer = false, .nonNegative = true});
        QVERIFY(y.min <= 128 && y.max >= 128);
        QVERIFY(y.max - y.min >= 12.8);
        QCOMPARE(y.decimals, 0);
        // One step: not an axis up to 1e-09.
        const AxisTicks x = niceTicks(0, 0, {.maxTicks = 6, .integer = true, .nonNegative = true});
        QCOMPARE(x.min, 0.0);
        QCOMPARE(x.max, 1.0);
        QCOMPARE(labels(x), (QStringList{"0", "1"}));
        const AxisTicks zero = niceTicks(0, 0, {.maxTicks = 6, .integer = false, .nonNegative = false});
        QVERIFY(zero.min < 0 && zero.max > 0);
        QVERIFY(!labels(zero).contains("-0"));
    }

    void notFiniteGivesTheDefault() {
        const AxisTicks t = niceTicks(NAN, 1, {});
        QCOMPARE(t.min, 0.0);
        QCOMPARE(t.max, 1.0);
    }
};

QTEST_APPLESS_MAIN(TestAxisTicks)
#include "tst_axis_ticks.moc"
