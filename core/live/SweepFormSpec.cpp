#include "core/live/SweepFormSpec.h"

#include "core/util/Error.h"

#include <QRegularExpression>

namespace lb {

namespace {

const QString kOrigin = QStringLiteral("the sweep form");

SweepFormData sweepFormFields(const Json& j);

Json policyJson(const SweepFormData& f) {
    if (f.policy.isEmpty() || f.policy == QLatin1String("none")) return nullptr;
    Json j;
    j["policy"] = toStd(f.policy);
    j["evaluation_interval"] = f.evaluationInterval;
    j["delay_evaluation"] = f.delayEvaluation;
    if (f.policy == QLatin1String("bandit")) {
        if (f.slackFactor) j["slack_factor"] = *f.slackFactor;
        if (f.slackAmount) j["slack_amount"] = *f.slackAmount;
    }
    if (f.policy == QLatin1String("truncation_selection"))
        j["truncation_percentage"] = f.truncationPercentage;
    return j;
}

Json rowExpression(const SweepFormData::Row& row) {
    Json e = Json::object();
    e[toStd(row.expression.trimmed())] = parseArgumentsText(row.arguments);
    return e;
}

} // namespace

QStringList parameterExpressionNames() {
    return {QStringLiteral("choice"),     QStringLiteral("randint"),
            QStringLiteral("uniform"),    QStringLiteral("quniform"),
            QStringLiteral("loguniform"), QStringLiteral("qloguniform"),
            QStringLiteral("normal"),     QStringLiteral("qnormal"),
            QStringLiteral("lognormal"),  QStringLiteral("qlognormal")};
}

Json parseArgumentsText(const QString& text) {
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) return Json::array();
    // Text that is JSON already ("[1, 2]", "1, 2", "\"a\", \"b\"") is taken as written.
    const QString wrapped = trimmed.startsWith(QLatin1Char('['))
                                ? trimmed
                                : QLatin1Char('[') + trimmed + QLatin1Char(']');
    const Json j = Json::parse(wrapped.toStdString(), nullptr, false);
    if (j.is_array()) return j;
    // Otherwise comma-separated words: numbers and booleans as such, anything else a string.
    Json out = Json::array();
    // Split on commas outside quotes: "'a,b', c" is two words.
    QStringList words;
    QString word;
    QChar quote;
    for (const QChar c : trimmed) {
        if (!quote.isNull()) {
            quote = c == quote ? QChar() : quote;
        } else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            quote = c;
        } else if (c == QLatin1Char(',')) {
            words.append(word);
            word.clear();
            continue;
        }
        word.append(c);
    }
    words.append(word);
    for (QString word : words) {
        word = word.trimmed();
        if (word.size() >= 2 &&
            (word.startsWith(QLatin1Char('"')) || word.startsWith(QLatin1Char('\''))) &&
            word.endsWith(word.front())) {
            out.push_back(toStd(word.mid(1, word.size() - 2))); // quoted: a string as written
            continue;
        }
        const Json asJson = Json::parse(word.toStdString(), nullptr, false);
        if (asJson.is_number() || asJson.is_boolean())
            out.push_back(asJson);
        else
            out.push_back(toStd(word));
    }
    return out;
}

QString argumentsText(const Json& arguments) {
    const Json list = arguments.is_array() ? arguments : Json::array({arguments});
    QStringList words;
    for (const Json& v : list) {
        if (v.is_string()) {
            const QString s = fromStd(v.get<std::string>());
            // Bare unless it would read back as something else.
            const Json again = Json::parse(s.toStdString(), nullptr, false);
            const bool ambiguous = s.contains(QLatin1Char(',')) || s.trimmed() != s ||
                                   s.isEmpty() || again.is_number() || again.is_boolean() ||
                                   again.is_null() || s.startsWith(QLatin1Char('"')) ||
                                   s.startsWith(QLatin1Char('[')) ||
                                   s.startsWith(QLatin1Char('\''));
            words.append(ambiguous ? fromStd(v.dump()) : s);
        } else {
            words.append(fromStd(v.dump()));
        }
    }
    return words.join(QStringLiteral(", "));
}

Json sweepFormJson(const SweepFormData& f, const Estimator& estimator) {
    Json j;
    // The experiment a run of this estimator would land in (submitRun's "default"), not the
    // spec parser's fallback "sweep": the sweep belongs beside the estimator's runs (#23 item 12).
    QString experiment = f.experiment.trimmed();
    if (experiment.isEmpty()) experiment = estimator.experiment.trimmed();
    if (experiment.isEmpty()) experiment = QStringLiteral("default");
    j["experiment"] = toStd(experiment);
    j["estimator"] = estimator.toJson();
    j["sampling"] = {{"method", toStd(f.method)}};
    if (f.seed) j["sampling"]["seed"] = *f.seed;
    j["parameters"] = Json::object();
    for (const SweepFormData::Row& row : f.parameters)
        j["parameters"][toStd(row.name.trimmed())] = rowExpression(row);
    j["primary_metric"] = {{"name", toStd(f.metric.trimmed())},
                           {"goal", f.maximize ? "maximize" : "minimize"}};
    j["early_termination"] = policyJson(f);
    if (f.maxTotalRuns > 0) j["max_total_runs"] = f.maxTotalRuns;
    if (f.maxConcurrentRuns > 0) j["max_concurrent_runs"] = f.maxConcurrentRuns;
    if (f.maxDurationMinutes > 0) j["max_duration_minutes"] = f.maxDurationMinutes;
    return j;
}

QString SweepFormCheck::first() const {
    if (!rows.isEmpty()) return rows.first();
    for (const QString* s : {&parameters, &sampling, &metric, &policy, &limits, &estimator, &other})
        if (!s->isEmpty()) return *s;
    return {};
}

SweepFormCheck checkSweepForm(const SweepFormData& f, const Estimator& estimator,
                              const QString& baseDir) {
    SweepFormCheck check;
    // Each row on its own, so every bad row is marked at once.
    QStringList seen;
    for (qsizetype i = 0; i < f.parameters.size(); ++i) {
        const SweepFormData::Row& row = f.parameters[i];
        const QString name = row.name.trimmed();
        const int r = static_cast<int>(i);
        if (name.isEmpty() || name == QLatin1String("--")) {
            check.rows.insert(
                r, QStringLiteral("Row %1 needs a parameter name such as --lr.").arg(r + 1));
            check.rowFields.insert(r, QStringLiteral("name"));
            continue;
        }
        if (seen.contains(name)) {
            check.rows.insert(
                r, QStringLiteral("%1 appears twice; give each parameter one row.").arg(name));
            check.rowFields.insert(r, QStringLiteral("name"));
            continue;
        }
        seen.append(name);
        try {
            sweep::Parameter::fromJson(name, rowExpression(row),
                                       QStringLiteral("parameters.") + name);
        } catch (const Error& e) {
            check.rows.insert(r, e.message());
            // An unknown expression is the Expression cell's fault; the rest, its Arguments'.
            check.rowFields.insert(r, parameterExpressionNames().contains(row.expression.trimmed())
                                          ? QStringLiteral("arguments")
                                          : QStringLiteral("expression"));
        }
    }
    try {
        sweep::TerminationPolicy::fromJson(policyJson(f), kOrigin);
    } catch (const Error& e) {
        check.policy = e.message();
    }
    if (!check.rows.isEmpty() || !check.policy.isEmpty()) return check;
    // The whole spec, through the same parser `labbench sweep submit` uses.
    try {
        check.spec = sweep::SweepSpec::fromJson(sweepFormJson(f, estimator), kOrigin, baseDir);
    } catch (const Error& e) {
        const QString m = e.message();
        const QString at = m.section(QStringLiteral(": "), 1); // after "the sweep form: "
        if (m.contains(QLatin1String("(estimator)")))
            check.estimator = m;
        else if (at.startsWith(QLatin1String("parameter")) ||
                 at.startsWith(QLatin1String("grid sampling")))
            check.parameters = m;
        else if (at.startsWith(QLatin1String("sampling")))
            check.sampling = m;
        else if (at.startsWith(QLatin1String("primary_metric")))
            check.metric = m;
        else if (at.startsWith(QLatin1String("early_termination")))
            check.policy = m;
        else if (at.startsWith(QLatin1String("max_")))
            check.limits = m;
        else if (at.startsWith(QLatin1String("estimator")))
            check.estimator = m;
        else
            check.other = m;
    }
    return check;
}

SweepFormData sweepFormFromJson(const Json& j) {
    try {
        return sweepFormFields(j);
    } catch (const Json::exception& e) {
        throw Error(QStringLiteral("This sweep spec has a field of the wrong type (%1); fix the "
                                   "file or check it with 'labbench sweep submit'.")
                        .arg(QString::fromUtf8(e.what())));
    }
}

namespace {

SweepFormData sweepFormFields(const Json& j) {
    if (!j.is_object() || !j.contains("parameters"))
        throw Error(QStringLiteral("This file is not a sweep spec (it has no \"parameters\"); "
                                   "load an estimator into the Estimator tab instead."));
    SweepFormData f;
    if (j.contains("experiment") && j["experiment"].is_string())
        f.experiment = fromStd(j["experiment"].get<std::string>());
    const Json sampling = j.value("sampling", Json::object());
    if (sampling.is_object()) {
        f.method = fromStd(sampling.value("method", std::string("random")));
        if (sampling.contains("seed") && sampling["seed"].is_number_integer())
            f.seed = sampling["seed"].get<qint64>();
    }
    if (j["parameters"].is_object())
        for (auto it = j["parameters"].begin(); it != j["parameters"].end(); ++it) {
            SweepFormData::Row row;
            row.name = fromStd(it.key());
            if (it.value().is_object() && it.value().size() == 1) {
                row.expression = fromStd(it.value().begin().key());
                row.arguments = argumentsText(it.value().begin().value());
            }
            f.parameters.append(row);
        }
    const Json metric = j.value("primary_metric", Json::object());
    if (metric.is_object()) {
        f.metric = fromStd(metric.value("name", std::string()));
        f.maximize = metric.value("goal", std::string("maximize")) != "minimize";
    }
    const Json policy = j.value("early_termination", Json());
    if (policy.is_object()) {
        f.policy = fromStd(policy.value("policy", std::string("none")));
        f.evaluationInterval = policy.value("evaluation_interval", 1);
        f.delayEvaluation = policy.value("delay_evaluation", 0);
        if (policy.contains("slack_factor") && policy["slack_factor"].is_number())
            f.slackFactor = policy["slack_factor"].get<double>();
        if (policy.contains("slack_amount") && policy["slack_amount"].is_number())
            f.slackAmount = policy["slack_amount"].get<double>();
        if (policy.contains("truncation_percentage") && policy["truncation_percentage"].is_number())
            f.truncationPercentage = policy["truncation_percentage"].get<double>();
    }
    const auto count = [&](const char* key) {
        return j.contains(key) && j[key].is_number_integer() ? j[key].get<int>() : 0;
    };
    f.maxTotalRuns = count("max_total_runs");
    f.maxConcurrentRuns = count("max_concurrent_runs");
    if (j.contains("max_duration_minutes") && j["max_duration_minutes"].is_number())
        f.maxDurationMinutes = j["max_duration_minutes"].get<double>();
    return f;
}

} // namespace

} // namespace lb
