#pragma once
// HyperDrive's early termination policies, applied as a sweep's children report their primary
// metric. Pure functions over the reported values: the sweep driver feeds them from the store,
// the tests from scripted streams.
//
// A child's n-th report of the primary metric is "interval n". The policy looks at a running child
// at every interval n that is a multiple of evaluation_interval and at least delay_evaluation,
// and compares the child's best value up to interval n with the other children at interval n:
//   bandit                stop when it is worse than the best child's (best-so-far) value at n
//                         by more than slack: maximize: value < best / (1 + slack_factor) or
//                         value < best - slack_amount (minimize: > best * (1 + f), > best + a)
//   median_stopping       stop when it is worse than the median, over the children that reached
//                         n, of their running averages of the first n reports
//   truncation_selection  stop when it is among the lowest truncation_percentage percent
//                         (floor) of the children that reached n

#include "core/util/Json.h"

#include <QString>

#include <map>
#include <optional>
#include <vector>

namespace lb::sweep {

struct TerminationPolicy {
    enum class Kind { None, Bandit, MedianStopping, TruncationSelection };
    Kind kind = Kind::None;
    int evaluationInterval = 1;
    int delayEvaluation = 0;
    std::optional<double> slackFactor, slackAmount; // bandit: exactly one
    double truncationPercentage = 0;                // truncation_selection: (0, 100)

    // Parses the "early_termination" object (null or absent: no policy); errors name the field.
    static TerminationPolicy fromJson(const Json& json, const QString& origin);
    Json toJson() const;
    QString name() const;

    // True when the policy looks at a child at its n-th report.
    bool evaluatesAt(int n) const;
};

// One child's primary-metric reports, in order.
struct ChildSeries {
    QString id;
    std::vector<double> values;
    bool active = true; // still running: only active children are stopped
};

// Why child `index` should stop at its report n (1-based; it has at least n values), or nullopt.
std::optional<QString> evaluatePolicy(const TerminationPolicy& policy, bool maximize, const QString& metric,
                                      const std::vector<ChildSeries>& children, size_t index, int n);

// Remembers how far each child has been evaluated, so every interval is looked at once.
class EarlyTermination {
public:
    EarlyTermination(TerminationPolicy policy, bool maximize, QString metric)
        : policy_(policy), maximize_(maximize), metric_(std::move(metric)) {}

    struct Stop {
        QString id;
        QString reason;
    };
    // Evaluates every active child at each interval it reached since the last call; returns the
    // children to stop (each at most once).
    std::vector<Stop> apply(const std::vector<ChildSeries>& children);

private:
    TerminationPolicy policy_;
    bool maximize_;
    QString metric_;
    std::map<QString, int> evaluated_;
    std::map<QString, bool> stopped_;
};

} // namespace lb::sweep
