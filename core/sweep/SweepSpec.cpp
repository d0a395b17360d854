#include "core/sweep/SweepSpec.h"

#include "core/util/Error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <climits>
#include <cmath>

namespace lb::sweep {

namespace {

const char* const kKnownFields[] = {"experiment",     "estimator",         "sampling",
                                    "parameters",     "primary_metric",    "early_termination",
                                    "max_total_runs", "max_concurrent_runs", "max_duration_minutes"};

} // namespace

QString SweepSpec::methodName() const {
    switch (sampling) {
    case SamplingMethod::Grid: return QStringLiteral("grid");
    case SamplingMethod::Random: return QStringLiteral("random");
    case SamplingMethod::Bayesian: return QStringLiteral("bayesian");
    }
    return {};
}

long long SweepSpec::gridSize() const {
    long long n = 1;
    for (const Parameter& p : parameters) {
        const long long k = p.isChoice() ? static_cast<long long>(p.choices.size()) : 0;
        if (k == 0)
            return 0;
        n = n > INT_MAX / k ? INT_MAX : n * k;
    }
    return n;
}

const Parameter* SweepSpec::parameter(const QString& name) const {
    for (const Parameter& p : parameters)
        if (p.name == name)
            return &p;
    return nullptr;
}

SweepSpec SweepSpec::fromJson(const Json& j, const QString& origin, const QString& baseDir) {
    const auto bad = [&](const QString& what) { return Error(QStringLiteral("%1: %2.").arg(origin, what)); };
    if (!j.is_object())
        throw bad(QStringLiteral("a sweep spec must be a JSON object with estimator, parameters, "
                                 "primary_metric and max_total_runs"));
    for (auto it = j.begin(); it != j.end(); ++it)
        if (std::none_of(std::begin(kKnownFields), std::end(kKnownFields),
                         [&](const char* k) { return it.key() == k; })) {
            QStringList known;
            for (const char* k : kKnownFields)
                known.append(QString::fromLatin1(k));
            throw bad(QStringLiteral("'%1' is not a sweep field; the fields are %2")
                          .arg(fromStd(it.key()), known.join(QStringLiteral(", "))));
        }
    SweepSpec s;
    s.origin = origin;
    if (j.contains("experiment")) {
        if (!j["experiment"].is_string() || j["experiment"].get<std::string>().empty())
            throw bad(QStringLiteral("experiment must be a non-empty name such as \"tune\""));
        s.experiment = fromStd(j["experiment"].get<std::string>());
    }

    if (!j.contains("estimator") || !j["estimator"].is_object())
        throw bad(QStringLiteral("estimator is required: an object like {\"source_directory\": \".\", "
                                 "\"entry_script\": \"train.py\"}"));
    s.estimator = Estimator::fromJson(j["estimator"], origin + QStringLiteral(" (estimator)"));
    if (!s.estimator.sourceDirectory.isEmpty() && QDir::isRelativePath(s.estimator.sourceDirectory))
        s.estimator.sourceDirectory = QDir::cleanPath(QDir(baseDir).absoluteFilePath(s.estimator.sourceDirectory));
    if (s.experiment.isEmpty())
        s.experiment = s.estimator.experiment;
    if (s.experiment.isEmpty())
        s.experiment = QStringLiteral("sweep");

    const Json sampling = j.value("sampling", Json::object());
    if (!sampling.is_object())
        throw bad(QStringLiteral("sampling must be an object like {\"method\": \"random\", \"seed\": 1}"));
    for (auto it = sampling.begin(); it != sampling.end(); ++it)
        if (it.key() != "method" && it.key() != "seed")
            throw bad(QStringLiteral("sampling has an unknown field '%1'; it takes method and seed")
                          .arg(fromStd(it.key())));
    // Checked before value(): nlohmann's value() throws its own type_error for a non-string
    // (#20 item 5: {"method": 5} escaped as that, not as an lb::Error).
    if (sampling.contains("method") && !sampling["method"].is_string())
        throw bad(QStringLiteral("sampling.method must be one of \"grid\", \"random\" or \"bayesian\""));
    const std::string method = sampling.value("method", std::string("random"));
    if (method == "grid")
        s.sampling = SamplingMethod::Grid;
    else if (method == "random")
        s.sampling = SamplingMethod::Random;
    else if (method == "bayesian")
        s.sampling = SamplingMethod::Bayesian;
    else
        throw bad(QStringLiteral("sampling.method '%1' is unknown; use grid, random or bayesian")
                      .arg(fromStd(method)));
    if (sampling.contains("seed") && !sampling["seed"].is_null()) {
        if (!sampling["seed"].is_number_integer() || sampling["seed"].get<long long>() < 0)
            throw bad(QStringLiteral("sampling.seed must be a whole number of at least 0, like 1"));
        s.seed = sampling["seed"].get<std::uint64_t>();
        s.seedGiven = true;
    }

    if (!j.contains("parameters") || !j["parameters"].is_object() || j["parameters"].empty())
        throw bad(QStringLiteral("parameters is required: an object like {\"--lr\": {\"uniform\": [0.001, "
                                 "0.1]}}"));
    for (auto it = j["parameters"].begin(); it != j["parameters"].end(); ++it) {
        const QString name = fromStd(it.key());
        if (name.isEmpty() || name == QLatin1String("--") || name.contains(QChar(0)))
            throw bad(QStringLiteral("parameter names must be script arguments such as \"--lr\""));
        s.parameters.append(Parameter::fromJson(name, it.value(), origin + QStringLiteral(": parameters.") + name));
    }
    if (s.sampling == SamplingMethod::Grid)
        for (const Parameter& p : s.parameters)
            if (!p.isChoice())
                throw bad(QStringLiteral("grid sampling takes choice parameters only, but parameters.%1 is %2; "
                                         "list its values with choice or use random sampling")
                              .arg(p.name, kindName(p.kind)));

    const Json primary = j.value("primary_metric", Json());
    if (!primary.is_object() || !primary.contains("name") || !primary["name"].is_string() ||
        primary["name"].get<std::string>().empty())
        throw bad(QStringLiteral("primary_metric is required: {\"name\": \"Accuracy\", \"goal\": \"maximize\"}"));
    s.primaryMetric = fromStd(primary["name"].get<std::string>());
    if (primary.contains("goal") && !primary["goal"].is_string())
        throw bad(QStringLiteral("primary_metric.goal must be \"maximize\" or \"minimize\""));
    const std::string goal = primary.value("goal", std::string("maximize"));
    if (goal != "maximize" && goal != "minimize")
        throw bad(QStringLiteral("primary_metric.goal must be \"maximize\" or \"minimize\", not \"%1\"")
                      .arg(fromStd(goal)));
    s.maximize = goal == "maximize";

    s.policy = TerminationPolicy::fromJson(j.value("early_termination", Json()), origin);

    const auto count = [&](const char* key) -> int {
        if (!j.contains(key) || j[key].is_null())
            return 0;
        if (!j[key].is_number_integer() || j[key].get<long long>() < 1 || j[key].get<long long>() > 100000)
            throw bad(QStringLiteral("%1 must be a whole number between 1 and 100000").arg(QLatin1String(key)));
        return j[key].get<int>();
    };
    s.maxTotalRuns = count("max_total_runs");
    s.maxConcurrentRuns = count("max_concurrent_runs");
    if (s.sampling == SamplingMethod::Grid) {
        const long long combinations = s.gridSize();
        if (s.maxTotalRuns == 0 || s.maxTotalRuns > combinations)
            s.maxTotalRuns = static_cast<int>(std::min<long long>(combinations, 100000));
    } else if (s.maxTotalRuns == 0) {
        throw bad(QStringLiteral("max_total_runs is required for %1 sampling; add e.g. \"max_total_runs\": 20")
                      .arg(fromStd(method)));
    }
    if (s.maxConcurrentRuns == 0 || s.maxConcurrentRuns > s.maxTotalRuns)
        s.maxConcurrentRuns = s.maxTotalRuns;
    if (j.contains("max_duration_minutes") && !j["max_duration_minutes"].is_null()) {
        const Json& d = j["max_duration_minutes"];
        if (!d.is_number() || !(d.get<double>() > 0) || !std::isfinite(d.get<double>()))
            throw bad(QStringLiteral("max_duration_minutes must be a number of minutes above 0, like 60"));
        s.maxDurationMinutes = d.get<double>();
    }
    return s;
}

SweepSpec SweepSpec::load(const QString& path) {
    const Json j = readJsonFile(path);
    return fromJson(j, path, QFileInfo(path).absolutePath());
}

Json SweepSpec::toJson() const {
    Json j;
    j["experiment"] = toStd(experiment);
    // sweep.json rests in the sweep's folder: secret values are "***" there, and in the
    // sweep's secrets file (#25).
    j["estimator"] = estimator.toJson(Estimator::SecretValues::Masked);
    j["sampling"] = {{"method", toStd(methodName())}, {"seed", seed}};
    j["parameters"] = Json::object();
    for (const Parameter& p : parameters)
        j["parameters"][toStd(p.name)] = p.toJson();
    j["primary_metric"] = {{"name", toStd(primaryMetric)}, {"goal", maximize ? "maximize" : "minimize"}};
    j["early_termination"] = policy.toJson();
    j["max_total_runs"] = maxTotalRuns;
    j["max_concurrent_runs"] = maxConcurrentRuns;
    j["max_duration_minutes"] = maxDurationMinutes ? Json(*maxDurationMinutes) : Json(nullptr);
    return j;
}

} // namespace lb::sweep
