#include "core/workspace/mirror/DatastoreFile.h"

#include "core/store/Store.h"
#include "core/util/Time.h"
#include "core/workspace/mirror/RecordFile.h"

#include <QFileInfo>

namespace lb {

QString datastoresDir(const QString& root) {
    return root + QStringLiteral("/datastores");
}

void syncDatastoreFile(const QString& root, Store& store, const QString& name) {
    if (!isSafeFileStem(name)) return;
    const auto d = store.datastores().find(name);
    std::optional<Json> j;
    if (d)
        j = Json{{"name", toStd(d->name)},
                 {"kind", toStd(d->kind)},
                 {"path", toStd(d->path)},
                 {"created", toStd(isoTime(d->created))}};
    syncRecordFile(datastoresDir(root) + QLatin1Char('/') + name + QStringLiteral(".json"), j);
}

DatastoreRecord readDatastoreFile(const QString& path) {
    const Json j = JsonFields::readObject(path);
    const JsonFields f(j, path);
    DatastoreRecord d;
    d.name = f.text("name", true);
    if (d.name != QFileInfo(path).completeBaseName())
        f.fail("name", QStringLiteral("'%1' does not match the file's name").arg(d.name));
    d.kind = f.text("kind", true);
    d.path = f.text("path", true);
    d.created = f.time("created");
    return d;
}

} // namespace lb
