// Early termination on scripted metric streams (no processes): each policy stops exactly the
// children it should, at the interval it should, with the policy and the numbers as the reason.

#include "core/sweep/EarlyTermination.h"
#include "core/util/Error.h"

#include <QMap>
#include <QTest>

using namespace lb;
using namespace lb::sweep;

namespace {

struct Event {
    int child;
    double value;
};

struct Outcome {
    QMap<QString, QString> stopped; // child -> reason
    QMap<QString, int> stoppedAt;   // child -> reports it had when stopped
};

// Replays reports in arrival order as the driver sees them: after every report the policy runs;
// a stopped child reports nothing more; a child whose stream ended is no longer active.
Outcome replay(const TerminationPolicy& policy, bool maximize, int children, const std::vector<Event>& events) {
    std::vector<ChildSeries> series(static_cast<size_t>(children));
    std::vector<int> remaining(static_cast<size_t>(children), 0);
    for (int i = 0; i < children; ++i)
        series[size_t(i)].id = QString(QChar('A' + i));
    for (const Event& e : events)
        remaining[size_t(e.child)]++;
    EarlyTermination early(policy, maximize, QStringLiteral("Accuracy"));
    Outcome out;
    for (const Event& e : events) {
        ChildSeries& c = series[size_t(e.child)];
        if (!c.active)
            continue;
        c.values.push_back(e.value);
        for (const auto& stop : early.apply(series)) {
            out.stopped.insert(stop.id, stop.reason);
            for (ChildSeries& s : series)
                if (s.id == stop.id) {
                    s.active = false;
                    out.stoppedAt.insert(s.id, int(s.values.size()));
                }
        }
        if (--remaining[size_t(e.child)] == 0)
            c.active = false; // finished
    }
    return out;
}

// Round robin over per-child streams: A1 B1 C1 … A2 B2 C2 …
std::vector<Event> roundRobin(const std::vector<std::vector<double>>& streams) {
    std::vector<Event> events;
    for (size_t step = 0;; ++step) {
        bool any = false;
        for (size_t c = 0; c < streams.size(); ++c)
            if (step < streams[c].size()) {
                events.push_back({int(c), streams[c][step]});
                any = true;
            }
        if (!any)
            return events;
    }
}

TerminationPolicy parse(const char* json) {
    return TerminationPolicy::fromJson(Json::parse(json), QStringLiteral("spec.json"));
}

} // namespace

class TestSweepPolicy : public QObject {
    Q_OBJECT

private slots:
    void evaluationPointsFollowIntervalAndDelay() {
        const TerminationPolicy p = parse(R"({"policy": "bandit", "slack_factor": 0.1, "evaluation_interval": 2,
                                              "delay_evaluation": 3})");
        QList<int> at;
        for (int n = 1; n <= 9; ++n)
            if (p.evaluatesAt(n))
                at.append(n);
        QCOMPARE(at, (QList<int>{4, 6, 8}));
        QVERIFY(!parse("null").evaluatesAt(1));
    }

    void banditSlackFactorStopsRunsBelowBestOverOnePlusSlack() {
        const TerminationPolicy p = parse(R"({"policy": "bandit", "evaluation_interval": 1, "slack_factor": 0.1,
                                              "delay_evaluation": 1})");
        // At interval 1: best 0.6, limit 0.545: C (0.4) stops. At 2: best 0.9, limit 0.818: B (0.7)
        // stops. A leads throughout; D stays within the slack (0.85 > 0.818, 0.9 > 0.864).
        const Outcome o = replay(p, true, 4,
                                 roundRobin({{0.5, 0.9, 0.95}, {0.6, 0.7, 0.99}, {0.4, 0.99, 0.99}, {0.55, 0.85, 0.9}}));
        QCOMPARE(o.stopped.keys(), (QStringList{QStringLiteral("B"), QStringLiteral("C")}));
        QCOMPARE(o.stoppedAt.value(QStringLiteral("C")), 1);
        QCOMPARE(o.stoppedAt.value(QStringLiteral("B")), 2);
        const QString why = o.stopped.value(QStringLiteral("B"));
        QVERIFY2(why.contains(QLatin1String("bandit")) && why.contains(QLatin1String("interval 2")) &&
                     why.contains(QLatin1String("Accuracy 0.7")) && why.contains(QLatin1String("0.818182")) &&
                     why.contains(QLatin1String("best 0.9")) && why.contains(QLatin1String("slack_factor 0.1")),
                 qPrintable(why));
    }

    void banditWaitsForTheDelay() {
        // The same streams with delay_evaluation 3: nothing is looked at before interval 3, and at
        // 3 every run is within 10% of the best (0.99).
        const TerminationPolicy p = parse(R"({"policy": "bandit", "evaluation_interval": 1, "slack_factor": 0.1,
                                              "delay_evaluation": 3})");
        const Outcome o = replay(p, true, 3, roundRobin({{0.5, 0.9, 0.95}, {0.6, 0.7, 0.99}, {0.1, 0.2, 0.91}}));
        QVERIFY2(o.stopped.isEmpty(), qPrintable(o.stopped.keys().join(QLatin1Char(','))));
    }

    void banditSlackAmountWhenMinimizing() {
        // Loss, minimised: stop when loss > best + 0.2, looked at every second report.
        const TerminationPolicy p = parse(R"({"policy": "bandit", "evaluation_interval": 2, "slack_amount": 0.2})");
        // Interval 2: best 0.5 (A); B 0.65 stays (<= 0.7), C 0.8 stops. Interval 4: best 0.2 (A);
        // B's best 0.45 stops (> 0.4). C's interval-1 value 3.0 was never looked at (odd interval).
        const Outcome o = replay(p, false, 3,
                                 roundRobin({{1.0, 0.5, 0.3, 0.2}, {1.2, 0.65, 0.5, 0.45}, {3.0, 0.8, 0.1, 0.1}}));
        QCOMPARE(o.stopped.keys(), (QStringList{QStringLiteral("B"), QStringLiteral("C")}));
        QCOMPARE(o.stoppedAt.value(QStringLiteral("C")), 2);
        QCOMPARE(o.stoppedAt.value(QStringLiteral("B")), 4);
        QVERIFY2(o.stopped.value(QStringLiteral("C")).contains(QLatin1String("slack_amount 0.2")),
                 qPrintable(o.stopped.value(QStringLiteral("C"))));
    }

    void medianStoppingStopsRunsBelowTheMedianOfRunningAverages() {
        const TerminationPolicy p = parse(R"({"policy": "median_stopping", "evaluation_interval": 1,
                                              "delay_evaluation": 2})");
        // Interval 2: C's best 0.4 is below the median 0.77 of the running averages (0.825, 0.77,
        // 0.35) and stops; D (0.9 vs median 0.735) and B (0.84 vs 0.7975) stay. Interval 3: none.
        const Outcome o = replay(p, true, 4,
                                 roundRobin({{0.8, 0.85, 0.9}, {0.7, 0.84, 0.88}, {0.3, 0.4, 0.5}, {0.5, 0.9, 0.95}}));
        QCOMPARE(o.stopped.keys(), (QStringList{QStringLiteral("C")}));
        QCOMPARE(o.stoppedAt.value(QStringLiteral("C")), 2);
        QVERIFY2(o.stopped.value(QStringLiteral("C")).contains(QLatin1String("median 0.77")),
                 qPrintable(o.stopped.value(QStringLiteral("C"))));
    }

    void truncationSelectionStopsTheLowestPercentage() {
        const TerminationPolicy p = parse(R"({"policy": "truncation_selection", "evaluation_interval": 1,
                                              "delay_evaluation": 1, "truncation_percentage": 50})");
        // Interval 1: B (0.5 of A 0.9, B) is the lowest half of 2 and stops; C (0.6 of 3: cut 1,
        // A better only) and D (0.7 of 4: cut 2, one better) stay. Interval 2: C (best 0.6 of A
        // 0.92, C) stops; D (0.71 of 3: cut 1) stays.
        const Outcome o = replay(p, true, 4, roundRobin({{0.9, 0.92}, {0.5, 0.95}, {0.6, 0.3}, {0.7, 0.71}}));
        QCOMPARE(o.stopped.keys(), (QStringList{QStringLiteral("B"), QStringLiteral("C")}));
        QCOMPARE(o.stoppedAt.value(QStringLiteral("B")), 1);
        QCOMPARE(o.stoppedAt.value(QStringLiteral("C")), 2);
        QVERIFY2(o.stopped.value(QStringLiteral("B")).contains(QLatin1String("lowest 50%")),
                 qPrintable(o.stopped.value(QStringLiteral("B"))));
    }

    void noPolicyStopsNothing() {
        const Outcome o = replay(parse("null"), true, 3, roundRobin({{0.9}, {0.1}, {0.0}}));
        QVERIFY(o.stopped.isEmpty());
    }

    void finishedRunsAreComparedButNeverStopped() {
        // A finished run still sets the bar; a finished laggard is not "stopped" after the fact.
        const TerminationPolicy p = parse(R"({"policy": "bandit", "evaluation_interval": 1, "slack_factor": 0.1})");
        std::vector<ChildSeries> series = {{QStringLiteral("A"), {0.9}, false}, {QStringLiteral("B"), {0.1}, false},
                                           {QStringLiteral("C"), {0.5}, true}};
        EarlyTermination early(p, true, QStringLiteral("acc"));
        const auto stops = early.apply(series);
        QCOMPARE(stops.size(), size_t(1));
        QCOMPARE(stops[0].id, QStringLiteral("C"));
        QVERIFY(early.apply(series).empty()); // each interval is looked at once
    }
};

QTEST_GUILESS_MAIN(TestSweepPolicy)
#include "tst_sweep_policy.moc"
