#pragma once
// What the sweep form holds, and the one path from it to a sweep spec: the form's fields are
// turned into the spec's JSON and checked by the core parsers themselves (Parameter::fromJson
// for each row, TerminationPolicy::fromJson, SweepSpec::fromJson for the whole), so the form
// accepts exactly what `labbench sweep submit` accepts. Errors are sorted to the field they name.

#include "core/estimator/Estimator.h"
#include "core/sweep/SweepSpec.h"

#include <QList>
#include <QMap>
#include <QString>
#include <optional>

namespace lb {

struct SweepFormData {
    struct Row {
        QString name;       // "--lr"
        QString expression; // one of the ten: "choice", "uniform", …
        QString arguments;  // "128, 256" or "-6, -1" or "relu, tanh"
    };
    QList<Row> parameters;
    QString method = QStringLiteral("random"); // grid | random | bayesian
    std::optional<qint64> seed;
    QString metric;
    bool maximize = true;
    QString policy =
        QStringLiteral("none"); // none | bandit | median_stopping | truncation_selection
    int evaluationInterval = 1;
    int delayEvaluation = 0;
    std::optional<double> slackFactor, slackAmount; // bandit
    double truncationPercentage = 20;               // truncation_selection
    int maxTotalRuns = 0;                           // 0: not given
    int maxConcurrentRuns = 0;                      // 0: not given
    double maxDurationMinutes = 0;                  // 0: no limit
    QString experiment; // empty: the estimator's, else "default" as for a run
};

// The form's errors, each with the field it belongs to.
struct SweepFormCheck {
    QMap<int, QString> rows; // parameter row → why its expression is refused
    // parameter row → the cell at fault: "name", "expression" or "arguments" (#23 item 6)
    QMap<int, QString> rowFields;
    QString parameters;      // about the table as a whole (none, a duplicate name, grid)
    QString sampling;
    QString metric;
    QString policy;
    QString limits;
    QString estimator;
    QString other;
    std::optional<sweep::SweepSpec> spec; // set when everything parsed
    bool ok() const { return spec.has_value(); }
    // The first error, for a banner.
    QString first() const;
};

// The ten expression names, in HyperDrive's order.
QStringList parameterExpressionNames();
// "128, 256" → [128, 256]; "relu, 'a,b'" → ["relu", "a,b"]; JSON-like text is read as JSON.
Json parseArgumentsText(const QString& text);
// The inverse, for Load: [128, 256] → "128, 256".
QString argumentsText(const Json& arguments);

// The sweep spec JSON for the form and an estimator.
Json sweepFormJson(const SweepFormData& form, const Estimator& estimator);
// Checks the form through the core parsers (relative source folders resolve against baseDir).
SweepFormCheck checkSweepForm(const SweepFormData& form, const Estimator& estimator,
                              const QString& baseDir = {});
// The form fields of a spec JSON (the estimator is read separately with Estimator::fromJson).
// Throws lb::Error when it is not a sweep spec.
SweepFormData sweepFormFromJson(const Json& spec);

} // namespace lb
