#include "core/datastore/Datastores.h"

#include "core/store/Store.h"
#include "core/util/Error.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace lb {

namespace {

bool isInside(const QString& canonicalPath, const QString& canonicalRoot) {
    return canonicalPath == canonicalRoot ||
           canonicalPath.startsWith(canonicalRoot + QLatin1Char('/'));
}

// The canonical form of the deepest part of `path` that exists (symbolic links resolved), with
// the parts that do not exist yet appended.
QString canonicalExistingPrefix(const QString& path) {
    QString existing = path;
    QStringList missing;
    while (!QFileInfo::exists(existing) && !QFileInfo(existing).isSymLink()) {
        const QString parent = QFileInfo(existing).path();
        if (parent == existing) return {};
        missing.prepend(QFileInfo(existing).fileName());
        existing = parent;
    }
    const QString canonical = QFileInfo(existing).canonicalFilePath();
    if (canonical.isEmpty())
        return {}; // a dangling symbolic link: where it leads cannot be checked
    return missing.isEmpty() ? canonical
                             : canonical + QLatin1Char('/') + missing.join(QLatin1Char('/'));
}

} // namespace

void validateDatastoreName(const QString& name) {
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"));
    if (!re.match(name).hasMatch())
        throw UsageError(
            QStringLiteral("'%1' is not a valid datastore name; use letters, digits, '_' and '-', "
                           "starting with a letter or digit (like mnist).")
                .arg(name));
}

DatastoreRecord addDatastore(Store& store, const QString& name, const QString& dir) {
    validateDatastoreName(name);
    const QFileInfo info(dir);
    if (!info.isDir())
        throw Error(
            QStringLiteral(
                "The folder %1 does not exist; create it or give the folder that holds the data.")
                .arg(dir));
    DatastoreRecord d;
    d.name = name;
    d.path = info.canonicalFilePath();
    d.created = QDateTime::currentDateTimeUtc();
    if (!store.datastores().add(d))
        throw Error(
            QStringLiteral(
                "A datastore named '%1' already exists; remove it first (labbench datastore "
                "remove %1) or choose another name.")
                .arg(name));
    return d;
}

void removeDatastore(Store& store, const QString& name) {
    if (!store.datastores().remove(name))
        throw NotFoundError(
            QStringLiteral("There is no datastore '%1'; 'labbench datastore list' shows them.")
                .arg(name));
}

QString resolveDatastoreUri(const QString& uri, Store& store) {
    if (!uri.startsWith(kDatastoreScheme))
        throw Error(
            QStringLiteral("'%1' is not a datastore URI; write datastore://NAME/path.").arg(uri));
    const QString rest = uri.mid(kDatastoreScheme.size());
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    const QString name = slash < 0 ? rest : rest.left(slash);
    const QString sub = slash < 0 ? QString() : rest.mid(slash + 1);
    if (name.isEmpty())
        throw Error(
            QStringLiteral("'%1' names no datastore; write datastore://NAME/path.").arg(uri));
    const auto ds = store.datastores().find(name);
    if (!ds)
        throw NotFoundError(
            QStringLiteral("There is no datastore '%1' (in '%2'); add it with 'labbench datastore "
                           "add %1 DIR' or check 'labbench datastore list'.")
                .arg(name, uri));
    if (sub.split(QLatin1Char('/')).contains(QStringLiteral("..")))
        throw Error(
            QStringLiteral(
                "'%1' contains '..'; a datastore path must stay inside the datastore's folder.")
                .arg(uri));
    const QString root = QFileInfo(ds->path).canonicalFilePath();
    if (root.isEmpty() || !QFileInfo(root).isDir())
        throw Error(
            QStringLiteral(
                "The folder %1 of datastore '%2' no longer exists; restore it or add the datastore "
                "again with its new folder.")
                .arg(ds->path, name));
    const QString resolved = QDir::cleanPath(root + QLatin1Char('/') + sub);
    const QString real = canonicalExistingPrefix(resolved);
    if (real.isEmpty() || !isInside(real, root))
        throw Error(
            QStringLiteral(
                "'%1' leads outside the datastore's folder %2 (through a symbolic link); use a "
                "path inside it.")
                .arg(uri, root));
    return resolved;
}

QStringList resolveDatastoreArgs(const QStringList& scriptParams, Store& store) {
    QStringList out;
    out.reserve(scriptParams.size());
    for (const QString& arg : scriptParams) {
        if (arg.startsWith(kDatastoreScheme)) {
            out.append(resolveDatastoreUri(arg, store));
            continue;
        }
        // --data-folder=datastore://mnist/ : only the value after the first '=' is resolved.
        const qsizetype eq = arg.indexOf(QLatin1Char('='));
        if (eq > 0 && arg.mid(eq + 1).startsWith(kDatastoreScheme)) {
            out.append(arg.left(eq + 1) + resolveDatastoreUri(arg.mid(eq + 1), store));
            continue;
        }
        out.append(arg);
    }
    return out;
}

} // namespace lb
