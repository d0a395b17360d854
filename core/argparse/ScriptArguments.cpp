#include "core/argparse/ScriptArguments.h"

#include "core/util/Error.h"
#include "core/util/Json.h"

namespace lb {

namespace {

QString wordOf(const Json& value) {
    if (value.is_null())
        return {};
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    if (value.is_boolean())
        return value.get<bool>() ? QStringLiteral("True") : QStringLiteral("False");
    if (value.is_array()) {
        QStringList words;
        for (const Json& v : value)
            words.append(wordOf(v));
        return words.join(QLatin1Char(' '));
    }
    if (value.is_number_float()) {
        // Shortest text that reads back as the same double (0.01, not 0.01000000000000000021).
        return QString::number(value.get<double>(), 'g', 17).length() > 12
                   ? QString::number(value.get<double>(), 'g', 15)
                   : QString::number(value.get<double>(), 'g', 17);
    }
    return QString::fromStdString(value.dump());
}

QString text(const Json& object, const char* key) {
    auto it = object.find(key);
    return it == object.end() || it->is_null() ? QString() : wordOf(*it);
}

} // namespace

ScriptArguments ScriptArguments::fromJson(const QByteArray& json, const QString& script) {
    Json doc;
    try {
        doc = Json::parse(json.toStdString());
    } catch (const std::exception&) {
        throw Error(QStringLiteral("The argparse reader gave no readable answer for %1; check "
                                   "that python3 runs.")
                        .arg(script));
    }
    if (!doc.is_object())
        throw Error(QStringLiteral("The argparse reader gave no readable answer for %1.")
                        .arg(script));
    if (doc.contains("error"))
        throw Error(QStringLiteral("Cannot read the arguments of %1: %2; fix the script or fill "
                                   "the parameters by hand.")
                        .arg(script, text(doc, "error")));
    ScriptArguments result;
    for (const Json& a : doc.value("arguments", Json::array())) {
        ScriptArgument arg;
        arg.flag = text(a, "flag");
        for (const Json& f : a.value("flags", Json::array()))
            arg.flags.append(wordOf(f));
        arg.dest = text(a, "dest");
        arg.positional = a.value("positional", false);
        arg.type = text(a, "type");
        arg.action = text(a, "action");
        arg.hasDefault = a.value("has_default", false);
        arg.defaultText = text(a, "default");
        arg.required = a.value("required", false);
        if (a.contains("choices") && a["choices"].is_array())
            for (const Json& c : a["choices"])
                arg.choices.append(wordOf(c));
        arg.nargs = text(a, "nargs");
        arg.help = text(a, "help");
        arg.subcommand = text(a, "subcommand");
        arg.line = a.value("line", 0);
        result.arguments.append(arg);
    }
    for (const Json& s : doc.value("subcommands", Json::array()))
        result.subcommands.append(wordOf(s));
    for (const Json& w : doc.value("warnings", Json::array()))
        result.warnings.append(wordOf(w));
    return result;
}

QStringList ScriptArguments::defaultParams() const {
    QStringList words;
    for (const ScriptArgument& a : arguments) {
        if (!a.subcommand.isEmpty() || a.positional || a.isFlag())
            continue;
        if (!a.hasDefault && !a.required)
            continue;
        words.append(a.flag);
        words.append(a.defaultText);
    }
    return words;
}

} // namespace lb
