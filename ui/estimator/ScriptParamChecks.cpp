#include "ui/estimator/ScriptParamChecks.h"

#include <QRegularExpression>

namespace lb::ui {

namespace {

// Python's int(): an optional sign, digits, single underscores between digits.
bool isPythonInt(const QString& word) {
    static const QRegularExpression re(QStringLiteral("^\\s*[+-]?\\d+(_\\d+)*\\s*$"));
    return re.match(word).hasMatch();
}

// Python's float(): what int() takes, decimals, exponents, inf and nan.
bool isPythonFloat(const QString& word) {
    static const QRegularExpression special(QStringLiteral("^\\s*[+-]?(inf|infinity|nan)\\s*$"),
                                            QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression number(
        QStringLiteral("^\\s*[+-]?(\\d+(_\\d+)*(\\.(\\d+(_\\d+)*)?)?|\\.\\d+(_\\d+)*)([eE][+-]?\\d+)?\\s*$"));
    return special.match(word).hasMatch() || number.match(word).hasMatch();
}

bool takesSeveral(const ParamSpec& spec) {
    return !spec.nargs.isEmpty() && spec.nargs != QLatin1String("?");
}

bool mayBeEmpty(const ParamSpec& spec) {
    return spec.nargs == QLatin1String("?") || spec.nargs == QLatin1String("*");
}

// The value argparse compares with the choices: numbers as numbers ("1.0" is choice 1.0).
bool sameChoice(const QString& word, const QString& choice, const QString& type) {
    if (type == QLatin1String("int") || type == QLatin1String("float")) {
        bool a = false, b = false;
        const double x = QString(word).remove(QLatin1Char('_')).toDouble(&a);
        const double y = choice.toDouble(&b);
        if (a && b)
            return x == y;
    }
    return word == choice;
}

} // namespace

QString argumentNameProblem(const QString& name, bool positional) {
    if (name.isEmpty())
        return positional ? QString()
                          : QStringLiteral("Script parameters: a row has a value but no argument "
                                           "name; name it, e.g. --lr.");
    if (name.contains(QRegularExpression(QStringLiteral("\\s"))))
        return QStringLiteral("Script parameters: “%1” is not an argument name: names are one "
                              "word, e.g. --%2.")
            .arg(name, name.trimmed().split(QRegularExpression(QStringLiteral("\\s+")))
                           .join(QLatin1Char('-'))
                           .remove(QRegularExpression(QStringLiteral("^-+"))));
    if (name == QLatin1String("--") || name == QLatin1String("-"))
        return QStringLiteral("Script parameters: give the new argument a name after --, e.g. --lr.");
    if (!name.startsWith(QLatin1Char('-')))
        return QStringLiteral("Script parameters: argument “%1” needs its leading --, e.g. --%1 "
                              "(a positional value goes in a row with no name).")
            .arg(name);
    return {};
}

QStringList valueWords(const QString& value, const ParamSpec& spec) {
    if (takesSeveral(spec))
        return value.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    return {value};
}

QString argumentValueProblem(const QString& name, const QString& value, const ParamSpec& spec) {
    const QString who = name.isEmpty() ? QStringLiteral("the positional value") : name;
    if (value.trimmed().isEmpty()) {
        if (spec.type.isEmpty() || mayBeEmpty(spec) || spec.type == QLatin1String("bool"))
            return {};
        return QStringLiteral("Script parameters: %1 needs a value (or untick Use).").arg(who);
    }
    for (const QString& word : valueWords(value, spec)) {
        if (!spec.choices.isEmpty()) {
            bool found = false;
            for (const QString& c : spec.choices)
                found = found || sameChoice(word.trimmed(), c, spec.type);
            if (!found)
                return QStringLiteral("Script parameters: %1 takes one of %2, not “%3”.")
                    .arg(who, spec.choices.join(QStringLiteral(", ")), word);
            continue;
        }
        if (spec.type == QLatin1String("int") && !isPythonInt(word))
            return QStringLiteral("Script parameters: %1 takes a whole number (int), not “%2”.")
                .arg(who, word);
        if (spec.type == QLatin1String("float") && !isPythonFloat(word))
            return QStringLiteral("Script parameters: %1 takes a number (float), not “%2”.")
                .arg(who, word);
    }
    return {};
}

} // namespace lb::ui
