#include "core/workspace/ComputeAliases.h"

#include "core/util/AtomicFile.h"
#include "core/util/Json.h"
#include "core/workspace/WorkspaceConfig.h"

namespace lb {

namespace {

// config.json checked as a workspace config (so a broken file is refused with its line and
// column) and as JSON, whose other keys are kept as they are.
Json readConfig(const QString& configPath) {
    const QByteArray text = readWholeFile(configPath);
    WorkspaceConfig::parse(text, configPath);
    return parseJson(text, configPath);
}

} // namespace

QMap<QString, QString> loadComputeAliases(const QString& configPath) {
    const Json doc = readConfig(configPath);
    QMap<QString, QString> aliases;
    if (!doc.contains("compute_aliases"))
        return aliases;
    for (const auto& [name, target] : doc["compute_aliases"].items())
        aliases.insert(fromStd(name), fromStd(target.get<std::string>()));
    return aliases;
}

void saveComputeAlias(const QString& configPath, const QString& name, const QString& target) {
    Json doc = readConfig(configPath);
    doc["compute_aliases"][toStd(name)] = toStd(target);
    writeFileAtomically(configPath, QByteArray::fromStdString(doc.dump(2)) + '\n');
}

} // namespace lb
