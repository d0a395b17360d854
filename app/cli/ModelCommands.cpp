// labbench models register | list | show | download | tag | remove: the model registry.
#include "app/cli/CommandLine.h"
#include "app/cli/JsonOutput.h"
#include "core/models/ModelRegistry.h"
#include "core/util/Error.h"
#include "core/util/Time.h"
#include "core/workspace/Workspace.h"

namespace lb::cli {

namespace {

Json labelsJson(const QMap<QString, QString>& labels) {
    Json j = Json::object();
    for (auto it = labels.begin(); it != labels.end(); ++it)
        j[toStd(it.key())] = toStd(it.value());
    return j;
}

Json modelJson(const ModelVersion& m) {
    Json j;
    j["name"] = toStd(m.name);
    j["version"] = m.version;
    j["run_id"] = toStd(m.runId);
    j["source_path"] = toStd(m.sourcePath);
    j["path"] = toStd(m.path);
    j["size"] = m.size;
    j["description"] = toStd(m.description);
    j["created"] = toStd(isoTime(m.created));
    j["tags"] = labelsJson(m.tags);
    j["properties"] = labelsJson(m.properties);
    return j;
}

QString pairs(const QMap<QString, QString>& labels) {
    QStringList out;
    for (auto it = labels.begin(); it != labels.end(); ++it)
        out.append(it.key() + QLatin1Char('=') + it.value());
    return out.join(QLatin1Char(' '));
}

int registerModel(Invocation& inv) {
    ModelRegistration r;
    r.runId = inv.valueOr(QStringLiteral("run"), {});
    r.name = inv.valueOr(QStringLiteral("name"), {});
    r.path = inv.valueOr(QStringLiteral("path"), {});
    if (r.runId.isEmpty() || r.name.isEmpty() || r.path.isEmpty())
        throw UsageError(QStringLiteral(
            "'labbench models register' needs --run RUN, --name NAME and --path PATH."));
    r.tags = ModelRegistry::parsePairs(inv.values(QStringLiteral("tag")), QStringLiteral("--tag"));
    r.properties = ModelRegistry::parsePairs(inv.values(QStringLiteral("property")),
                                             QStringLiteral("--property"));
    r.description = inv.valueOr(QStringLiteral("description"), {});
    r.force = inv.flag(QStringLiteral("force"));
    ModelRegistry::validateName(r.name);
    const ModelVersion m = ModelRegistry(inv.workspace()).registerModel(r);
    if (inv.flag(QStringLiteral("json")))
        printJson(inv.out, modelJson(m));
    else
        inv.out << "Registered model " << m.name << ':' << m.version << " (" << m.size
                << " bytes) from run " << m.runId << '\n';
    return 0;
}

int list(Invocation& inv) {
    const auto models = ModelRegistry(inv.workspace()).list();
    if (inv.flag(QStringLiteral("json"))) {
        Json out = Json::array();
        for (const auto& m : models)
            out.push_back(modelJson(m));
        printJson(inv.out, out);
        return 0;
    }
    if (models.isEmpty()) {
        inv.out << "No registered models.\n";
        return 0;
    }
    inv.out << QStringLiteral("NAME").leftJustified(24)
            << QStringLiteral("VERSION").leftJustified(9) << QStringLiteral("RUN").leftJustified(28)
            << QStringLiteral("SIZE").leftJustified(12)
            << QStringLiteral("CREATED").leftJustified(26) << "TAGS\n";
    for (const auto& m : models)
        inv.out << m.name.leftJustified(24) << QString::number(m.version).leftJustified(9)
                << m.runId.leftJustified(28) << QString::number(m.size).leftJustified(12)
                << isoTime(m.created).leftJustified(26) << pairs(m.tags) << '\n';
    return 0;
}

int show(Invocation& inv) {
    const ModelVersion m =
        ModelRegistry(inv.workspace()).get(ModelRef::parse(inv.positional(0), false));
    if (inv.flag(QStringLiteral("json"))) {
        printJson(inv.out, modelJson(m));
        return 0;
    }
    inv.out << "Name:        " << m.name << '\n'
            << "Version:     " << m.version << '\n'
            << "Source run:  " << m.runId << '\n'
            << "Source path: " << m.sourcePath << '\n'
            << "Path:        " << m.path << '\n'
            << "Size:        " << m.size << " bytes\n"
            << "Created:     " << isoTime(m.created) << '\n';
    if (!m.description.isEmpty()) inv.out << "Description: " << m.description << '\n';
    inv.out << "Tags:        " << pairs(m.tags) << '\n'
            << "Properties:  " << pairs(m.properties) << '\n';
    return 0;
}

int download(Invocation& inv) {
    const auto to = inv.value(QStringLiteral("to"));
    if (!to) throw UsageError(QStringLiteral("'labbench models download' needs --to DIR."));
    const QString written =
        ModelRegistry(inv.workspace()).download(ModelRef::parse(inv.positional(0), false), *to);
    inv.out << written << '\n';
    return 0;
}

int tag(Invocation& inv) {
    const ModelRef ref = ModelRef::parse(inv.positional(0), true);
    QStringList words;
    for (int i = 1; i < inv.positionalCount(); ++i)
        words.append(inv.positional(i));
    if (words.isEmpty())
        throw UsageError(QStringLiteral("'labbench models tag' needs at least one KEY=VALUE."));
    const ModelVersion m = ModelRegistry(inv.workspace())
                               .tag(ref, ModelRegistry::parsePairs(words, QStringLiteral("tag")));
    inv.out << "Tagged " << m.name << ':' << m.version << ": " << pairs(m.tags) << '\n';
    return 0;
}

int remove(Invocation& inv) {
    const ModelRef ref = ModelRef::parse(inv.positional(0), true);
    ModelRegistry(inv.workspace()).remove(ref);
    inv.out << "Removed model " << ref.toString() << '\n';
    return 0;
}

OptionSpec valueOption(const char* name, const char* value, const char* help,
                       bool repeatable = false) {
    return {QString::fromLatin1(name),
            {},
            QString::fromLatin1(value),
            QString::fromLatin1(help),
            repeatable};
}

} // namespace

void registerModelCommands(CommandLine& cli) {
    cli.add({{QStringLiteral("models"), QStringLiteral("register")},
             QStringLiteral("Register a file or folder a run left (copied into the workspace) as "
                            "the next version of a model."),
             {valueOption("run", "RUN", "the run the model comes from"),
              valueOption("name", "NAME", "the model's name (letters, digits, '.', '_', '-')"),
              valueOption("path", "PATH",
                          "file or folder relative to the run's folder, e.g. outputs/model.npz"),
              valueOption("tag", "K=V", "a tag", true),
              valueOption("property", "K=V", "a property", true),
              valueOption("description", "TEXT", "a description"),
              {QStringLiteral("force"),
               {},
               {},
               QStringLiteral("register from a run that is not Completed")},
              jsonOption()},
             {},
             false,
             registerModel});
    cli.add({{QStringLiteral("models"), QStringLiteral("list")},
             QStringLiteral("List registered models, every version."),
             {jsonOption()},
             {},
             false,
             list});
    cli.add({{QStringLiteral("models"), QStringLiteral("show")},
             QStringLiteral("Show one model version (the latest without :VERSION)."),
             {jsonOption()},
             {{QStringLiteral("NAME[:VERSION]"), QStringLiteral("the model")}},
             false,
             show});
    cli.add({{QStringLiteral("models"), QStringLiteral("download")},
             QStringLiteral("Copy a model's file or folder into DIR."),
             {valueOption("to", "DIR", "the folder to copy it into (created if needed)")},
             {{QStringLiteral("NAME[:VERSION]"),
               QStringLiteral("the model (the latest without :VERSION)")}},
             false,
             download});
    QList<PositionalSpec> tagArgs{
        {QStringLiteral("NAME:VERSION"), QStringLiteral("the model version")}};
    // The parser takes a fixed list of positionals: up to eight tags per call.
    for (int i = 1; i <= 8; ++i)
        tagArgs.append({QStringLiteral("K=V"), QStringLiteral("tag %1 to set").arg(i), true});
    cli.add({{QStringLiteral("models"), QStringLiteral("tag")},
             QStringLiteral("Set tags on a model version."),
             {},
             tagArgs,
             false,
             tag});
    cli.add({{QStringLiteral("models"), QStringLiteral("remove")},
             QStringLiteral("Remove a model version and its files."),
             {},
             {{QStringLiteral("NAME:VERSION"), QStringLiteral("the model version")}},
             false,
             remove});
}

} // namespace lb::cli
