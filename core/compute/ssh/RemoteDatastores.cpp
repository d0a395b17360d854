#include "core/compute/ssh/RemoteDatastores.h"

#include "core/datastore/Datastores.h"
#include "core/remote/RemoteShell.h"
#include "core/store/Store.h"
#include "core/util/Error.h"

#include <QDir>
#include <QSet>

namespace lb {

QStringList stageRemoteDatastores(const QStringList& params, Store& store, RemoteShell& shell,
                                  const RemoteLayout& layout) {
    QStringList out;
    QSet<QString> synced;
    for (const QString& param : params) {
        qsizetype at = -1;
        if (param.startsWith(kDatastoreScheme))
            at = 0;
        else if (const qsizetype eq = param.indexOf(QLatin1Char('=')); eq > 0 && param.mid(eq + 1).startsWith(kDatastoreScheme))
            at = eq + 1;
        if (at < 0) {
            out << param;
            continue;
        }
        const QString uri = param.mid(at);
        const QString local = resolveDatastoreUri(uri, store); // validates name, '..' and escapes
        if (shell.isLocal()) {
            out << param.left(at) + local;
            continue;
        }
        const QString name = uri.mid(kDatastoreScheme.size()).section(QLatin1Char('/'), 0, 0);
        const auto record = store.datastores().find(name);
        if (!record)
            throw NotFoundError(QStringLiteral("There is no datastore '%1'; add it with 'labbench datastore add %1 DIR'.")
                                    .arg(name));
        const QString cache = layout.root + QStringLiteral("/.labbench/datastores/") + name;
        if (!synced.contains(name)) {
            shell.upload(record->path, cache, /*mirror=*/true);
            synced.insert(name);
        }
        QString rel = QDir(QDir(record->path).canonicalPath()).relativeFilePath(local);
        if (rel.isEmpty() || rel == QLatin1String("."))
            rel.clear();
        if (rel.startsWith(QLatin1String("..")))
            rel = QDir(record->path).relativeFilePath(local); // the datastore folder itself is a link
        out << param.left(at) + cache + (rel.isEmpty() ? QString() : QLatin1Char('/') + rel);
    }
    return out;
}

} // namespace lb
