#include "core/workspace/mirror/ModelVersionFile.h"

#include "core/store/Store.h"
#include "core/util/Time.h"
#include "core/workspace/mirror/RecordFile.h"

#include <QDir>
#include <QFileInfo>

namespace lb {

namespace {
Json labels(const QMap<QString, QString>& map) {
    Json j = Json::object();
    for (auto it = map.begin(); it != map.end(); ++it)
        j[toStd(it.key())] = toStd(it.value());
    return j;
}
} // namespace

QString modelVersionFilePath(const QString& root, const QString& name, int version) {
    return root + QStringLiteral("/models/") + name + QLatin1Char('/') + QString::number(version) +
           QStringLiteral(".json");
}

void syncModelVersionFile(const QString& root, Store& store, const QString& name, int version) {
    if (!isSafeFileStem(name) || version < 1) return;
    const auto m = store.models().find(name, version);
    std::optional<Json> j;
    if (m)
        j = Json{{"name", toStd(m->name)},
                 {"version", m->version},
                 {"run_id", toStd(m->runId)},
                 {"source_path", toStd(m->sourcePath)},
                 {"file", toStd(QFileInfo(m->path).fileName())},
                 {"size", m->size},
                 {"description", toStd(m->description)},
                 {"created", toStd(isoTime(m->created))},
                 {"tags", labels(m->tags)},
                 {"properties", labels(m->properties)}};
    syncRecordFile(modelVersionFilePath(root, name, version), j);
}

ModelVersion readModelVersionFile(const QString& path) {
    const Json j = JsonFields::readObject(path);
    const JsonFields f(j, path);
    const QFileInfo info(path);
    ModelVersion m;
    m.name = f.text("name", true);
    if (m.name != info.dir().dirName())
        f.fail("name", QStringLiteral("'%1' does not match its folder's name").arg(m.name));
    m.version = static_cast<int>(f.integer("version", true).value_or(0));
    if (QString::number(m.version) != info.completeBaseName())
        f.fail("version", QStringLiteral("%1 does not match the file's name").arg(m.version));
    const QString file = f.text("file", true);
    if (file.contains(QLatin1Char('/')) || file == QLatin1String(".") ||
        file == QLatin1String(".."))
        f.fail("file", QStringLiteral("'%1' is not a file name").arg(file));
    m.path = info.absolutePath() + QLatin1Char('/') + QString::number(m.version) +
             QLatin1Char('/') + file;
    m.runId = f.text("run_id");
    m.sourcePath = f.text("source_path");
    m.size = f.integer("size").value_or(0);
    m.description = f.text("description");
    m.created = f.time("created");
    m.tags = f.stringMap("tags");
    m.properties = f.stringMap("properties");
    return m;
}

} // namespace lb
