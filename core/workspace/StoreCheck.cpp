#include "core/workspace/StoreCheck.h"

#include "core/store/Store.h"
#include "core/workspace/mirror/EndpointFile.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace lb {

namespace {

QString plural(int n, const char* one, const char* many) {
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

int countRunFolders(const QString& root) {
    int n = 0;
    const QDir runs(root + QStringLiteral("/runs"));
    for (const QString& id : runs.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        n += QFileInfo::exists(runs.filePath(id) + QStringLiteral("/run.json")) ? 1 : 0;
    return n;
}

int countModelVersions(const QString& root) {
    static const QRegularExpression version(QStringLiteral("^[1-9][0-9]*$"));
    int n = 0;
    const QDir models(root + QStringLiteral("/models"));
    for (const QString& name : models.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (name.startsWith(QLatin1Char('.'))) continue; // a registration's staging folder
        for (const QString& v :
             QDir(models.filePath(name)).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            n += version.match(v).hasMatch() ? 1 : 0;
    }
    return n;
}

int countJsonFiles(const QString& dir, const QString& except = {}) {
    int n = 0;
    for (const QString& f : QDir(dir).entryList({QStringLiteral("*.json")}, QDir::Files))
        n += f == except ? 0 : 1;
    return n;
}

// The command to type, with the folder quoted for a POSIX shell when it needs it.
QString repairCommand(const QString& root, bool force) {
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9/._+,:@%=-]+$"));
    QString dir = root;
    if (!plain.match(dir).hasMatch())
        dir = QLatin1Char('\'') + dir.replace(QLatin1Char('\''), QStringLiteral("'\\''")) +
              QLatin1Char('\'');
    return QStringLiteral("labbench --workspace %1 workspace repair%2")
        .arg(dir, force ? QStringLiteral(" --force") : QString());
}

} // namespace

QString RecordsOnDisk::describe() const {
    QStringList parts;
    if (runs) parts << plural(runs, "run", "runs");
    if (modelVersions) parts << plural(modelVersions, "model version", "model versions");
    if (computeTargets) parts << plural(computeTargets, "compute target", "compute targets");
    if (datastores) parts << plural(datastores, "datastore", "datastores");
    if (endpoints) parts << plural(endpoints, "endpoint", "endpoints");
    if (parts.size() <= 1) return parts.value(0);
    const QString last = parts.takeLast();
    return parts.join(QStringLiteral(", ")) + QStringLiteral(" and ") + last;
}

RecordsOnDisk countRecordsOnDisk(const QString& root) {
    RecordsOnDisk r;
    r.runs = countRunFolders(root);
    r.modelVersions = countModelVersions(root);
    r.computeTargets =
        countJsonFiles(root + QStringLiteral("/compute-targets"), QStringLiteral("local.json"));
    r.datastores = countJsonFiles(root + QStringLiteral("/datastores"));
    r.endpoints = static_cast<int>(endpointFilesIn(root).size());
    return r;
}

bool checkStoreBeforeOpen(const QString& root, const QString& storePath) {
    const QFileInfo store(storePath);
    const bool absent = !store.exists() && !store.isSymLink();
    if (!absent && store.size() > 0) return false;
    const RecordsOnDisk found = countRecordsOnDisk(root);
    if (!found.any())
        return absent; // nothing to lose: a new, empty store is what this workspace needs
    throw StoreMissingError(
        QStringLiteral("The workspace store %1 is %2, but the workspace's folders hold %3; rebuild "
                       "the store from them with '%4'.")
            .arg(storePath, absent ? QStringLiteral("missing") : QStringLiteral("empty"),
                 found.describe(), repairCommand(root, false)));
}

void checkStoreAfterOpen(const QString& root, Store& store) {
    if (store.holdsRunsOrModels()) return;
    RecordsOnDisk found;
    found.runs = countRunFolders(root);
    found.modelVersions = countModelVersions(root);
    if (!found.any()) return;
    throw StoreMissingError(
        QStringLiteral(
            "The workspace store %1 holds no runs or models, but the workspace's folders "
            "hold %2; rebuild the store from them with '%3' (the current store is moved "
            "aside, not deleted).")
            .arg(store.database().path(), found.describe(), repairCommand(root, true)));
}

} // namespace lb
