#pragma once
// The command-line arguments a Python script declares with argparse, as read statically by
// resources/python/labbench_argparse_reader.py (ast only; the script never runs).

#include <QList>
#include <QString>
#include <QMetaType>
#include <QStringList>

namespace lb {

// One add_argument() call.
struct ScriptArgument {
    QString flag;        // the long option ("--lr"), else the first name; positionals: the name
    QStringList flags;   // every name given ("-v", "--verbose")
    QString dest;
    bool positional = false;
    QString type;        // "float", "int", "str", "bool" (store_true/false), or the callable's name
    QString action;      // "store", "store_true", "append", …
    QString defaultText; // the default as a command-line word (lists joined by spaces)
    bool hasDefault = false;
    bool required = false;
    QStringList choices;
    QString nargs;
    QString help;
    QString subcommand;  // empty for the main parser
    int line = 0;

    bool isFlag() const { return action == QLatin1String("store_true") ||
                                 action == QLatin1String("store_false") ||
                                 action == QLatin1String("store_const") ||
                                 action == QLatin1String("count"); }
};

struct ScriptArguments {
    QList<ScriptArgument> arguments;
    QStringList subcommands;
    QStringList warnings;

    // Parses the reader's JSON output; throws lb::Error when it is not what the reader prints
    // (or carries the reader's own "error").
    static ScriptArguments fromJson(const QByteArray& json, const QString& script);

    // The arguments as a first script_params list: each non-flag option with a default as
    // "--name value", positionals and required options with their default or empty values.
    // Boolean flags are left out (they are off by default) — the form shows them to tick.
    QStringList defaultParams() const;
};

} // namespace lb
Q_DECLARE_METATYPE(lb::ScriptArguments)
