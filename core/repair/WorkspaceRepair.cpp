#include "core/repair/WorkspaceRepair.h"

#include "core/environment/FileLock.h"
#include "core/lifecycle/RunFolder.h"
#include "core/lifecycle/RunLock.h"
#include "core/store/Store.h"
#include "core/util/Error.h"
#include "core/workspace/Workspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <fcntl.h>
#include <unistd.h>

namespace lb {

namespace {

// SQLite keeps a WAL store's recent writes in these files beside it; they belong to the store.
const QStringList kStoreSuffixes = {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")};

bool storeExists(const QString& path) {
    const QFileInfo info(path);
    return (info.exists() || info.isSymLink()) && info.size() > 0;
}

// A helper still holding a run's lock would go on writing to the old store.
void refuseLiveRuns(const QString& root) {
    const QDir runs(root + QStringLiteral("/runs"));
    for (const QString& id : runs.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const RunFolder folder(runs.filePath(id));
        if (RunLock::isHeld(folder.lockFile()))
            throw Error(
                QStringLiteral("Run %1 is still active (a Labbench helper holds %2); wait for it "
                               "to end, or stop it, then repair.")
                    .arg(id, folder.lockFile()));
    }
}

// Every connection to a WAL store holds a read lock on one byte of its -shm file (SQLite's "DMS"
// lock, at offset 128) for as long as it is open. A connection left open on the old store would
// go on writing to it, and on closing SQLite deletes "<store>-wal" by name: the new store's.
void refuseOpenConnections(const QString& storePath) {
    const QString shm = storePath + QStringLiteral("-shm");
    const int fd =
        ::open(QFile::encodeName(shm).constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) return; // no -shm: no connection in WAL mode
    struct flock probe {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = 128;
    probe.l_len = 1;
    const bool held = ::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
    ::close(fd);
    if (held)
        throw Error(QStringLiteral("Another process (pid %1: a workbench window, a dashboard or a "
                                   "command still running) has the store %2 open; close it, then "
                                   "repair.")
                        .arg(probe.l_pid)
                        .arg(storePath));
}

void removeStoreFiles(const QString& path) {
    for (const QString& suffix : kStoreSuffixes)
        QFile::remove(path + suffix);
}

// Moves the store's files (even a stale -wal or -shm left by a deleted store, which SQLite would
// otherwise replay into the new one) to labbench.db.before-repair-<time>[-N].
QStringList moveStoreAside(const QString& storePath) {
    QStringList present;
    for (const QString& suffix : kStoreSuffixes)
        if (QFileInfo::exists(storePath + suffix) || QFileInfo(storePath + suffix).isSymLink())
            present << suffix;
    if (present.isEmpty()) return {};
    const QString stamp =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss"));
    QString aside = storePath + QStringLiteral(".before-repair-") + stamp;
    for (int n = 2; QFileInfo::exists(aside) || QFileInfo::exists(aside + QStringLiteral("-wal"));
         ++n)
        aside = storePath + QStringLiteral(".before-repair-%1-%2").arg(stamp).arg(n);
    QStringList moved;
    for (const QString& suffix : present) {
        if (!QFile::rename(storePath + suffix, aside + suffix))
            throw Error(QStringLiteral("Cannot move %1 aside to %2; check the workspace folder's "
                                       "permissions. The new store was not put in place.")
                            .arg(storePath + suffix, aside + suffix));
        moved << aside + suffix;
    }
    return moved;
}

// Builds a store at `path` from the workspace's folders, every reader in turn.
void buildStore(const QString& root, const QString& path, RepairReport& report) {
    Store store(path); // no mirror: the folders are what it is rebuilt from
    for (const RecordReader& reader : recordReaders()) {
        RestoredKind kind;
        kind.kind = QString::fromLatin1(reader.kind);
        RepairContext context{root, store, kind};
        reader.restore(context);
        report.metricPoints += context.metricPoints;
        report.kinds.append(kind);
    }
    Workspace::ensureLocalTarget(root, store);
    // One self-contained file (no -wal beside it) to rename into place; every open turns WAL on.
    store.database().exec("PRAGMA journal_mode=DELETE");
}

} // namespace

RepairReport repairWorkspace(const QString& dir, const RepairOptions& options) {
    RepairReport report;
    report.root = Workspace::rootIn(dir);
    if (report.root.isEmpty())
        throw Error(
            QStringLiteral("%1 is not a Labbench workspace (it has no config.json); give the "
                           "workspace's folder with --workspace.")
                .arg(QDir(dir).absolutePath()));
    WorkspaceConfig::load(report.root + QStringLiteral("/config.json")); // a clear error if broken
    report.storePath = report.root + QStringLiteral("/labbench.db");

    FileLock lock(report.root + QStringLiteral("/repair.lock"));
    if (!lock.tryLock())
        throw Error(
            QStringLiteral("Another 'labbench workspace repair' is rebuilding %1; wait for it "
                           "to finish.")
                .arg(report.storePath));
    if (storeExists(report.storePath) && !options.force)
        throw Error(
            QStringLiteral("The store %1 exists; repair replaces it with one rebuilt from the "
                           "workspace's folders only with --force, which moves the current "
                           "one aside (it is never deleted).")
                .arg(report.storePath));
    refuseLiveRuns(report.root);
    refuseOpenConnections(report.storePath);

    const QString building = report.storePath + QStringLiteral(".repairing-%1-%2")
                                                    .arg(::getpid())
                                                    .arg(QRandomGenerator::global()->generate(), 8,
                                                         16, QLatin1Char('0'));
    try {
        buildStore(report.root, building, report);
        report.movedAside = moveStoreAside(report.storePath);
        if (!QFile::rename(building, report.storePath))
            throw Error(
                QStringLiteral("Cannot move the rebuilt store %1 to %2; check the workspace "
                               "folder's permissions.")
                    .arg(building, report.storePath));
    } catch (...) {
        removeStoreFiles(building);
        throw;
    }
    return report;
}

} // namespace lb
