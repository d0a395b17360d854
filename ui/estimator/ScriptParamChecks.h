#pragma once
// What argparse would refuse in the script-parameters table, said before Submit (#23 item 2):
// an argument name with a space or without its leading --, and a value that is not of the
// argument's declared type (int, float) or not one of its choices. Declared means as read from
// the script by the argparse reader; rows typed by hand have no type and only the name checks.

#include <QString>
#include <QStringList>

namespace lb::ui {

// One argument as the script declares it (empty type: not declared, nothing to check).
struct ParamSpec {
    QString type;        // "int", "float", "str", "bool", or a callable's name
    QStringList choices; // as command-line words
    QString nargs;       // "", "?", "*", "+", or a count
    bool positional = false;
};

// Why `name` cannot be an argument name here, or empty. An empty name is a positional value,
// fine where the row is one.
QString argumentNameProblem(const QString& name, bool positional);

// Why argparse would refuse `value` for the argument `name` (shown as given), or empty.
QString argumentValueProblem(const QString& name, const QString& value, const ParamSpec& spec);

// The words a value stands for: several for an argument that takes several (nargs), else one.
QStringList valueWords(const QString& value, const ParamSpec& spec);

} // namespace lb::ui
