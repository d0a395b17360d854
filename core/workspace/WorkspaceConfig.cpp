#include "core/workspace/WorkspaceConfig.h"

#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/Json.h"

#include <QRegularExpression>
#include <QUuid>

namespace lb {

namespace {

struct Validator {
    const QByteArray& text;
    const QString& fileName;

    [[noreturn]] void fail(const std::string& key, const QString& problem, const QString& fix) const {
        const TextPosition pos = positionOfKey(text, key).value_or(TextPosition{});
        throw Error(QStringLiteral("%1:%2:%3: %4 %5").arg(fileName).arg(pos.line).arg(pos.column).arg(problem, fix));
    }

    void wrongType(const std::string& key, const Json& v, const char* expected, const QString& example) const {
        fail(key,
             QStringLiteral("\"%1\" must be %2, not %3.").arg(fromStd(key), QString::fromLatin1(expected),
                                                                QString::fromLatin1(jsonTypeName(v))),
             QStringLiteral("Write it like %1.").arg(example));
    }
};

} // namespace

bool isValidWorkspaceName(const QString& name) {
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.\\- ]{1,64}$"));
    return re.match(name).hasMatch() && !name.trimmed().isEmpty();
}

WorkspaceConfig WorkspaceConfig::makeNew(const QString& name) {
    WorkspaceConfig c;
    c.name = name;
    c.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    c.created = QDateTime::currentDateTimeUtc();
    return c;
}

WorkspaceConfig WorkspaceConfig::parse(const QByteArray& text, const QString& fileName) {
    const Json doc = parseJson(text, fileName);
    const Validator v{text, fileName};
    if (!doc.is_object())
        throw Error(QStringLiteral("%1:1:1: the workspace configuration must be a JSON object "
                                   "({\"name\": ..., ...}), not %2.")
                        .arg(fileName, QString::fromLatin1(jsonTypeName(doc))));

    static const std::vector<std::string> known = {"name", "id", "created", "schema_version",
                                                   "default_compute_target", "data_folders",
                                                   "compute_aliases"};
    for (const auto& [key, value] : doc.items()) {
        if (std::find(known.begin(), known.end(), key) == known.end())
            v.fail(key, QStringLiteral("unknown key \"%1\".").arg(fromStd(key)),
                   QStringLiteral("Remove it; the keys a workspace config may have are: name, id, "
                                  "created, schema_version, default_compute_target, data_folders, "
                                  "compute_aliases."));
    }
    for (const char* required : {"name", "id", "created", "schema_version"}) {
        if (!doc.contains(required))
            throw Error(QStringLiteral("%1:1:1: the key \"%2\" is missing. Add it (see 'labbench "
                                       "workspace init' for a complete config.json).")
                            .arg(fileName, QString::fromLatin1(required)));
    }

    WorkspaceConfig c;
    const Json& version = doc["schema_version"];
    if (!version.is_number_integer())
        v.wrongType("schema_version", version, "an integer", QStringLiteral("\"schema_version\": 1"));
    c.schemaVersion = version.get<int>();
    if (c.schemaVersion < 1)
        v.fail("schema_version", QStringLiteral("\"schema_version\" must be 1 or more."),
               QStringLiteral("Set it to %1.").arg(kSchemaVersion));
    if (c.schemaVersion > kSchemaVersion)
        v.fail("schema_version",
               QStringLiteral("this workspace was written by a newer Labbench (schema %1; this one "
                              "understands up to %2).")
                   .arg(c.schemaVersion)
                   .arg(kSchemaVersion),
               QStringLiteral("Upgrade Labbench to open it."));

    const Json& name = doc["name"];
    if (!name.is_string())
        v.wrongType("name", name, "a string", QStringLiteral("\"name\": \"my-workspace\""));
    c.name = fromStd(name.get<std::string>());
    if (!isValidWorkspaceName(c.name))
        v.fail("name", QStringLiteral("\"name\" must be 1-64 letters, digits, spaces, '-', '_' or '.'."),
               QStringLiteral("Rename it, e.g. \"name\": \"my-workspace\"."));

    const Json& id = doc["id"];
    if (!id.is_string() || id.get<std::string>().empty())
        v.wrongType("id", id, "a non-empty string", QStringLiteral("\"id\": \"5f0c…\" (any UUID)"));
    c.id = fromStd(id.get<std::string>());

    const Json& created = doc["created"];
    if (!created.is_string())
        v.wrongType("created", created, "a string", QStringLiteral("\"created\": \"2026-01-31T12:00:00Z\""));
    c.created = QDateTime::fromString(fromStd(created.get<std::string>()), Qt::ISODateWithMs);
    if (!c.created.isValid())
        v.fail("created", QStringLiteral("\"created\" is not an ISO 8601 time."),
               QStringLiteral("Write it like \"2026-01-31T12:00:00Z\"."));

    if (doc.contains("default_compute_target")) {
        const Json& t = doc["default_compute_target"];
        if (!t.is_string() || t.get<std::string>().empty())
            v.wrongType("default_compute_target", t, "a non-empty string",
                        QStringLiteral("\"default_compute_target\": \"local\""));
        c.defaultComputeTarget = fromStd(t.get<std::string>());
    }
    if (doc.contains("data_folders")) {
        const Json& folders = doc["data_folders"];
        if (!folders.is_array())
            v.wrongType("data_folders", folders, "a list of folder paths",
                        QStringLiteral("\"data_folders\": [\"/data/mnist\"]"));
        for (const Json& f : folders) {
            if (!f.is_string())
                v.wrongType("data_folders", f, "a list of strings",
                            QStringLiteral("\"data_folders\": [\"/data/mnist\"]"));
            c.dataFolders.append(fromStd(f.get<std::string>()));
        }
    }
    if (doc.contains("compute_aliases")) {
        const Json& aliases = doc["compute_aliases"];
        const QString example = QStringLiteral("\"compute_aliases\": {\"gpu-cluster\": \"hpc\"}");
        if (!aliases.is_object())
            v.wrongType("compute_aliases", aliases, "an object of Azure compute names to Labbench targets", example);
        for (const auto& [alias, target] : aliases.items())
            if (alias.empty() || !target.is_string() || target.get<std::string>().empty())
                v.fail("compute_aliases",
                       QStringLiteral("\"compute_aliases\" entry \"%1\" must name a Labbench compute "
                                      "target (a non-empty string).")
                           .arg(fromStd(alias)),
                       QStringLiteral("Write it like %1.").arg(example));
        // Checked here with the rest of the file; read where it is used (ComputeAliases.h).
    }
    return c;
}

WorkspaceConfig WorkspaceConfig::load(const QString& path) { return parse(readWholeFile(path), path); }

QByteArray WorkspaceConfig::toJson() const {
    Json doc;
    doc["name"] = toStd(name);
    doc["id"] = toStd(id);
    doc["created"] = toStd(created.toUTC().toString(Qt::ISODateWithMs));
    doc["schema_version"] = schemaVersion;
    doc["default_compute_target"] = toStd(defaultComputeTarget);
    doc["data_folders"] = Json::array();
    for (const auto& f : dataFolders)
        doc["data_folders"].push_back(toStd(f));
    return QByteArray::fromStdString(doc.dump(2)) + '\n';
}

void WorkspaceConfig::save(const QString& path) const { writeFileAtomically(path, toJson()); }

} // namespace lb
