#include "core/sweep/EarlyTermination.h"

#include "core/util/Error.h"

#include <algorithm>
#include <cmath>

namespace lb::sweep {

namespace {

QString num(double v) { return QString::number(v, 'g', 6); }

// The child's best value among its first n reports.
double bestUpTo(const std::vector<double>& values, int n, bool maximize) {
    double best = values[0];
    for (int i = 1; i < n; ++i)
        best = maximize ? std::max(best, values[size_t(i)]) : std::min(best, values[size_t(i)]);
    return best;
}

bool worse(double a, double b, bool maximize) { return maximize ? a < b : a > b; }

} // namespace

TerminationPolicy TerminationPolicy::fromJson(const Json& j, const QString& origin) {
    TerminationPolicy p;
    if (j.is_null())
        return p;
    const auto bad = [&](const QString& what) {
        return Error(QStringLiteral("%1: early_termination %2.").arg(origin, what));
    };
    if (!j.is_object())
        throw bad(QStringLiteral("must be an object like {\"policy\": \"bandit\", \"evaluation_interval\": 1, "
                                 "\"slack_factor\": 0.1}, or null for none"));
    for (auto it = j.begin(); it != j.end(); ++it) {
        static const char* known[] = {"policy", "evaluation_interval", "delay_evaluation", "slack_factor",
                                      "slack_amount", "truncation_percentage"};
        if (std::none_of(std::begin(known), std::end(known), [&](const char* k) { return it.key() == k; }))
            throw bad(QStringLiteral("has an unknown field '%1'; the fields are policy, evaluation_interval, "
                                     "delay_evaluation, slack_factor, slack_amount, truncation_percentage")
                          .arg(fromStd(it.key())));
    }
    // value() would throw nlohmann's type_error for a non-string (#20 item 5).
    if (j.contains("policy") && !j["policy"].is_string())
        throw bad(QStringLiteral("policy must be one of \"bandit\", \"median_stopping\", "
                                 "\"truncation_selection\" or \"none\""));
    const std::string policy = j.value("policy", std::string());
    if (policy == "bandit")
        p.kind = Kind::Bandit;
    else if (policy == "median_stopping")
        p.kind = Kind::MedianStopping;
    else if (policy == "truncation_selection")
        p.kind = Kind::TruncationSelection;
    else if (policy == "none" || policy.empty())
        p.kind = Kind::None;
    else
        throw bad(QStringLiteral("policy '%1' is unknown; use bandit, median_stopping, truncation_selection "
                                 "or none")
                      .arg(fromStd(policy)));
    const auto integer = [&](const char* key, int minimum, int fallback) {
        if (!j.contains(key))
            return fallback;
        if (!j[key].is_number_integer() || j[key].get<long long>() < minimum || j[key].get<long long>() > 1000000)
            throw bad(QStringLiteral("%1 must be a whole number of at least %2").arg(QLatin1String(key)).arg(minimum));
        return j[key].get<int>();
    };
    const auto number = [&](const char* key) -> std::optional<double> {
        if (!j.contains(key) || j[key].is_null())
            return std::nullopt;
        if (!j[key].is_number() || !(j[key].get<double>() >= 0) || !std::isfinite(j[key].get<double>()))
            throw bad(QStringLiteral("%1 must be a number of at least 0").arg(QLatin1String(key)));
        return j[key].get<double>();
    };
    p.evaluationInterval = integer("evaluation_interval", 1, 1);
    p.delayEvaluation = integer("delay_evaluation", 0, 0);
    p.slackFactor = number("slack_factor");
    p.slackAmount = number("slack_amount");
    const auto truncation = number("truncation_percentage");
    if (p.kind == Kind::Bandit && p.slackFactor.has_value() == p.slackAmount.has_value())
        throw bad(QStringLiteral("bandit needs exactly one of slack_factor (e.g. 0.1) or slack_amount "
                                 "(e.g. 0.2)"));
    if (p.kind != Kind::Bandit && (p.slackFactor || p.slackAmount))
        throw bad(QStringLiteral("slack_factor and slack_amount belong to the bandit policy; remove them"));
    if (p.kind == Kind::TruncationSelection) {
        if (!truncation || *truncation <= 0 || *truncation >= 100)
            throw bad(QStringLiteral("truncation_selection needs truncation_percentage between 1 and 99 "
                                     "(e.g. 20)"));
        p.truncationPercentage = *truncation;
    } else if (truncation) {
        throw bad(QStringLiteral("truncation_percentage belongs to truncation_selection; remove it"));
    }
    return p;
}

Json TerminationPolicy::toJson() const {
    if (kind == Kind::None)
        return nullptr;
    Json j;
    j["policy"] = toStd(name());
    j["evaluation_interval"] = evaluationInterval;
    j["delay_evaluation"] = delayEvaluation;
    if (slackFactor)
        j["slack_factor"] = *slackFactor;
    if (slackAmount)
        j["slack_amount"] = *slackAmount;
    if (kind == Kind::TruncationSelection)
        j["truncation_percentage"] = truncationPercentage;
    return j;
}

QString TerminationPolicy::name() const {
    switch (kind) {
    case Kind::Bandit: return QStringLiteral("bandit");
    case Kind::MedianStopping: return QStringLiteral("median_stopping");
    case Kind::TruncationSelection: return QStringLiteral("truncation_selection");
    case Kind::None: break;
    }
    return QStringLiteral("none");
}

bool TerminationPolicy::evaluatesAt(int n) const {
    return kind != Kind::None && n >= 1 && n >= delayEvaluation && n % evaluationInterval == 0;
}

std::optional<QString> evaluatePolicy(const TerminationPolicy& policy, bool maximize, const QString& metric,
                                      const std::vector<ChildSeries>& children, size_t index, int n) {
    const ChildSeries& self = children[index];
    if (!policy.evaluatesAt(n) || int(self.values.size()) < n)
        return std::nullopt;
    const double mine = bestUpTo(self.values, n, maximize);
    std::vector<double> peers; // every child's best up to n, self included
    std::vector<double> averages;
    for (const ChildSeries& c : children) {
        if (int(c.values.size()) < n)
            continue;
        peers.push_back(bestUpTo(c.values, n, maximize));
        double sum = 0;
        for (int i = 0; i < n; ++i)
            sum += c.values[size_t(i)];
        averages.push_back(sum / n);
    }
    const QString head = QStringLiteral("Stopped early by the %1 policy at interval %2: %3 %4")
                             .arg(policy.name())
                             .arg(n)
                             .arg(metric, num(mine));
    switch (policy.kind) {
    case TerminationPolicy::Kind::Bandit: {
        double best = peers[0];
        for (double v : peers)
            best = maximize ? std::max(best, v) : std::min(best, v);
        double limit;
        QString how;
        if (policy.slackFactor) {
            limit = maximize ? best / (1 + *policy.slackFactor) : best * (1 + *policy.slackFactor);
            how = QStringLiteral("%1 (best %2 %3 (1 + slack_factor %4))")
                      .arg(num(limit), num(best), maximize ? QStringLiteral("/") : QStringLiteral("*"),
                           num(*policy.slackFactor));
        } else {
            limit = maximize ? best - *policy.slackAmount : best + *policy.slackAmount;
            how = QStringLiteral("%1 (best %2 %3 slack_amount %4)")
                      .arg(num(limit), num(best), maximize ? QStringLiteral("-") : QStringLiteral("+"),
                           num(*policy.slackAmount));
        }
        if (worse(mine, limit, maximize))
            return head + QStringLiteral(" is %1 the bandit limit %2.")
                              .arg(maximize ? QStringLiteral("below") : QStringLiteral("above"), how);
        return std::nullopt;
    }
    case TerminationPolicy::Kind::MedianStopping: {
        std::sort(averages.begin(), averages.end());
        const size_t m = averages.size();
        const double median = m % 2 ? averages[m / 2] : (averages[m / 2 - 1] + averages[m / 2]) / 2;
        if (worse(mine, median, maximize))
            return head + QStringLiteral(" is worse than the median %1 of the running averages of %2 runs.")
                              .arg(num(median))
                              .arg(m);
        return std::nullopt;
    }
    case TerminationPolicy::Kind::TruncationSelection: {
        const int count = int(peers.size());
        const int cut = int(std::floor(count * policy.truncationPercentage / 100.0 + 1e-9));
        int better = 0;
        for (double v : peers)
            if (worse(mine, v, maximize))
                ++better;
        if (cut > 0 && better >= count - cut)
            return head + QStringLiteral(" is in the lowest %1% (%2 of %3 runs).")
                              .arg(num(policy.truncationPercentage))
                              .arg(cut)
                              .arg(count);
        return std::nullopt;
    }
    case TerminationPolicy::Kind::None: break;
    }
    return std::nullopt;
}

std::vector<EarlyTermination::Stop> EarlyTermination::apply(const std::vector<ChildSeries>& children) {
    std::vector<Stop> stops;
    for (size_t i = 0; i < children.size(); ++i) {
        const ChildSeries& c = children[i];
        int& done = evaluated_[c.id];
        const int reached = int(c.values.size());
        if (!c.active || stopped_[c.id]) {
            done = std::max(done, reached);
            continue;
        }
        for (int n = done + 1; n <= reached; ++n) {
            if (auto reason = evaluatePolicy(policy_, maximize_, metric_, children, i, n)) {
                stops.push_back({c.id, *reason});
                stopped_[c.id] = true;
                break;
            }
        }
        done = reached;
    }
    return stops;
}

} // namespace lb::sweep
