#include "ui/sweep/SweepWords.h"

#include "ui/common/FormWords.h"

#include <QRegularExpression>

namespace lb::ui {

QString sweepFormWords(const QString& parserMessage) {
    QString text = parserMessage;
    // The origin is the form the user is looking at; "parameters.--lr" is the table's --lr.
    static const QRegularExpression origin(QStringLiteral("^the sweep form( \\(estimator\\))?: "));
    text.remove(origin);
    text.replace(QStringLiteral("parameters.--"), QStringLiteral("--"));
    // A JSON example of an expression is the Arguments cell's text.
    static const QRegularExpression expression(
        QStringLiteral("write it like \\{\"\\w+\": \\[([^\\]]*)\\]\\}"));
    text.replace(expression, QStringLiteral("give Arguments like \\1"));
    // The whole-spec examples have a form of their own here.
    if (text.startsWith(QLatin1String("parameters is required")))
        return QStringLiteral("Parameter space: add a parameter to tune, e.g. --lr with uniform "
                              "and Arguments 0.001, 0.1.");
    if (text.startsWith(QLatin1String("primary_metric is required")))
        return QStringLiteral("Primary metric: give the name of a metric your script logs, e.g. "
                              "accuracy.");
    // The policy's fields sit under Early termination already.
    static const QRegularExpression policy(QStringLiteral("^early_termination "));
    text.remove(policy);
    static const QList<FieldLabel> labels = {
        {QStringLiteral("sampling.method"), QStringLiteral("Method")},
        {QStringLiteral("sampling.seed"), QStringLiteral("Seed")},
        {QStringLiteral("primary_metric.goal"), QStringLiteral("Goal")},
        {QStringLiteral("primary_metric"), QStringLiteral("Primary metric")},
        {QStringLiteral("evaluation_interval"), QStringLiteral("Evaluation interval")},
        {QStringLiteral("delay_evaluation"), QStringLiteral("Delay evaluation")},
        {QStringLiteral("slack_factor"), QStringLiteral("Slack factor")},
        {QStringLiteral("slack_amount"), QStringLiteral("Slack amount")},
        {QStringLiteral("truncation_percentage"), QStringLiteral("Truncation")},
        {QStringLiteral("truncation_selection"), QStringLiteral("Truncation selection")},
        {QStringLiteral("median_stopping"), QStringLiteral("Median stopping")},
        {QStringLiteral("max_total_runs"), QStringLiteral("Max total runs")},
        {QStringLiteral("max_concurrent_runs"), QStringLiteral("Max concurrent runs")},
        {QStringLiteral("max_duration_minutes"), QStringLiteral("Max duration")},
        {QStringLiteral("early_termination"), QStringLiteral("Early termination")},
    };
    return inFormWords(text, labels);
}

} // namespace lb::ui
