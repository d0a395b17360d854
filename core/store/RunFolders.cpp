#include "core/store/RunFolders.h"

#include "core/store/Store.h"
#include "core/util/Json.h"
#include "core/util/Time.h"

namespace lb {

QList<RunFolder> runFolders(Store& store, const QString& experiment) {
    std::string sql = "SELECT r.id, r.run_dir FROM runs r ";
    if (!experiment.isEmpty())
        sql += "JOIN experiments e ON e.id = r.experiment_id WHERE e.name = ?1";
    Statement s(store.database(), sql);
    if (!experiment.isEmpty()) s.bind(1, experiment);
    QList<RunFolder> folders;
    while (s.step()) {
        QString dir = s.text(1);
        if (!dir.isEmpty()) folders.append({s.text(0), std::move(dir)});
    }
    return folders;
}

void recordRunDiskUsage(Store& store, const QHash<QString, qint64>& bytesByRun) {
    if (bytesByRun.isEmpty()) return;
    const QString now = isoTime(QDateTime::currentDateTimeUtc());
    Transaction tx(store.database());
    // A run deleted since it was measured has no row to refer to: the SELECT leaves it out. A
    // size that has not changed is not written again, so a walk over unchanged folders commits
    // no change and wakes no store watcher.
    Statement insert(store.database(), "INSERT INTO run_disk_usage(run_id, bytes, measured) "
                                       "SELECT id, ?2, ?3 FROM runs WHERE id = ?1 "
                                       "ON CONFLICT(run_id) DO UPDATE SET bytes = excluded.bytes, "
                                       "measured = excluded.measured WHERE bytes <> excluded.bytes");
    for (auto it = bytesByRun.begin(); it != bytesByRun.end(); ++it) {
        insert.bind(1, it.key()).bind(2, static_cast<std::int64_t>(it.value())).bind(3, now).exec();
    }
    tx.commit();
}

QHash<QString, qint64> runDiskUsage(Store& store, const QStringList& runIds) {
    QHash<QString, qint64> sizes;
    if (runIds.isEmpty()) return sizes;
    Json ids = Json::array();
    for (const QString& id : runIds)
        ids.push_back(id.toStdString());
    Statement s(store.database(), "SELECT run_id, bytes FROM run_disk_usage WHERE run_id IN "
                                  "(SELECT value FROM json_each(?1))");
    s.bind(1, ids.dump());
    while (s.step())
        sizes.insert(s.text(0), s.int64(1));
    return sizes;
}

} // namespace lb
