// The model reader: each models/<name>/<version>.json gives a registered version (source run,
// tags, properties, …) whose files sit in models/<name>/<version>/. A version folder registered
// before these files were written is restored from what the folder shows, and said so.
#include "core/repair/RecordReaders.h"
#include "core/store/Database.h"
#include "core/store/Store.h"
#include "core/util/Error.h"
#include "core/workspace/mirror/ModelVersionFile.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QRegularExpression>
#include <algorithm>

namespace lb {

namespace {

std::int64_t bytesIn(const QString& path) {
    const QFileInfo info(path);
    if (!info.isDir()) return info.size();
    std::int64_t total = 0;
    QDirIterator it(path, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

// A version folder without its <version>.json: its one entry is the model's file or folder.
ModelVersion versionFromFolder(const QString& folder, const QString& name, int version) {
    const QStringList entries =
        QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    if (entries.size() != 1)
        throw Error(QStringLiteral("%1 has no %2.json and holds %3 entries instead of the model's "
                                   "one file or folder; it was not restored.")
                        .arg(folder, QString::number(version), QString::number(entries.size())));
    ModelVersion m;
    m.name = name;
    m.version = version;
    m.path = folder + QLatin1Char('/') + entries.first();
    m.size = bytesIn(m.path);
    m.created = QFileInfo(folder).lastModified().toUTC();
    return m;
}

} // namespace

void restoreModelVersions(RepairContext& c) {
    static const QRegularExpression number(QStringLiteral("^[1-9][0-9]{0,8}$"));
    const QDir models(c.root + QStringLiteral("/models"));
    for (const QString& name : models.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (name.startsWith(QLatin1Char('.'))) continue; // a registration that never finished
        QList<int> versions;
        for (const QString& v :
             QDir(models.filePath(name)).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            if (number.match(v).hasMatch()) versions.append(v.toInt());
        std::sort(versions.begin(), versions.end());
        for (int version : versions) {
            const QString folder =
                models.filePath(name) + QLatin1Char('/') + QString::number(version);
            const QString file = modelVersionFilePath(c.root, name, version);
            try {
                ModelVersion m;
                if (QFileInfo::exists(file)) {
                    m = readModelVersionFile(file);
                    if (!QFileInfo::exists(m.path))
                        throw Error(
                            QStringLiteral("%1 names the file %2, which is gone; the version "
                                           "was not restored.")
                                .arg(file, m.path));
                } else {
                    m = versionFromFolder(folder, name, version);
                    c.result.notes
                        << QStringLiteral("Model %1:%2 was registered before its %3.json was "
                                          "kept: it is back without its source run, tags, "
                                          "properties and description.")
                               .arg(name)
                               .arg(version)
                               .arg(version);
                }
                Transaction tx(c.store.database());
                c.store.models().add(m);
                tx.commit();
                ++c.result.restored;
            } catch (const Error& e) {
                c.result.skipped << e.message();
            }
        }
    }
}

} // namespace lb
