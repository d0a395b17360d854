#include "core/store/Database.h"
#include "core/store/Repositories.h"
#include "core/util/Time.h"

namespace lb {

namespace {
constexpr const char* kModelColumns =
    "SELECT name, version, run_id, path, source_path, size, description, created FROM model_versions ";

ModelVersion readModel(const Statement& s) {
    ModelVersion m;
    m.name = s.text(0);
    m.version = static_cast<int>(s.int64(1));
    m.runId = s.text(2);
    m.path = s.text(3);
    m.sourcePath = s.text(4);
    m.size = s.int64(5);
    m.description = s.text(6);
    m.created = parseIsoTime(s.text(7));
    return m;
}
} // namespace

int ModelRepository::nextVersion(const QString& name) {
    Statement s(db_, "SELECT coalesce(max(version), 0) + 1 FROM model_versions WHERE name = ?");
    s.bind(1, name);
    s.step();
    return static_cast<int>(s.int64(0));
}

void ModelRepository::add(const ModelVersion& model) {
    Statement parent(db_, "INSERT INTO models(name, created) VALUES(?, ?) ON CONFLICT(name) DO NOTHING");
    parent.bind(1, model.name).bind(2, isoTime(model.created)).exec();
    Statement s(db_, "INSERT INTO model_versions(name, version, run_id, path, source_path, size, "
                     "description, created) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, model.name).bind(2, model.version).bind(3, model.runId).bind(4, model.path);
    s.bind(5, model.sourcePath).bind(6, model.size).bind(7, model.description).bind(8, isoTime(model.created));
    s.exec();
    for (auto it = model.tags.begin(); it != model.tags.end(); ++it)
        setLabel(model.name, model.version, QStringLiteral("tag"), it.key(), it.value());
    for (auto it = model.properties.begin(); it != model.properties.end(); ++it)
        setLabel(model.name, model.version, QStringLiteral("property"), it.key(), it.value());
    db_.noteChange({RecordKind::ModelVersion, model.name, model.version});
}

void ModelRepository::loadLabels(ModelVersion& model) {
    Statement s(db_, "SELECT kind, key, value FROM model_labels WHERE name = ? AND version = ? ORDER BY key");
    s.bind(1, model.name).bind(2, model.version);
    while (s.step())
        (s.text(0) == QLatin1String("tag") ? model.tags : model.properties).insert(s.text(1), s.text(2));
}

std::optional<ModelVersion> ModelRepository::find(const QString& name, int version) {
    Statement s(db_, std::string(kModelColumns) +
                         (version < 0 ? "WHERE name = ?1 ORDER BY version DESC LIMIT 1"
                                      : "WHERE name = ?1 AND version = ?2"));
    s.bind(1, name);
    if (version >= 0)
        s.bind(2, version);
    if (!s.step())
        return std::nullopt;
    ModelVersion m = readModel(s);
    loadLabels(m);
    return m;
}

QList<ModelVersion> ModelRepository::list(const QString& name) {
    Statement s(db_, std::string(kModelColumns) + (name.isEmpty() ? "" : "WHERE name = ?1 ") +
                         "ORDER BY name, version");
    if (!name.isEmpty())
        s.bind(1, name);
    QList<ModelVersion> result;
    while (s.step())
        result.append(readModel(s));
    for (auto& m : result)
        loadLabels(m);
    return result;
}

void ModelRepository::setLabel(const QString& name, int version, const QString& kind, const QString& key,
                               const QString& value) {
    Statement s(db_, "INSERT INTO model_labels(name, version, kind, key, value) VALUES(?1, ?2, ?3, ?4, ?5) "
                     "ON CONFLICT(name, version, kind, key) DO UPDATE SET value = ?5");
    s.bind(1, name).bind(2, version).bind(3, kind).bind(4, key).bind(5, value).exec();
    db_.noteChange({RecordKind::ModelVersion, name, version});
}

bool ModelRepository::remove(const QString& name, int version) {
    Statement s(db_, "DELETE FROM model_versions WHERE name = ? AND version = ?");
    s.bind(1, name).bind(2, version).exec();
    const bool removed = db_.changes() > 0;
    Statement orphan(db_, "DELETE FROM models WHERE name = ?1 AND NOT EXISTS (SELECT 1 FROM "
                          "model_versions WHERE name = ?1)");
    orphan.bind(1, name).exec();
    if (removed)
        db_.noteChange({RecordKind::ModelVersion, name, version});
    return removed;
}

} // namespace lb
