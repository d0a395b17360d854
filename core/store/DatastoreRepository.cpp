#include "core/store/DatastoreRepository.h"

#include "core/store/Database.h"
#include "core/util/Time.h"

namespace lb {

namespace {
DatastoreRecord readDatastore(const Statement& s) {
    DatastoreRecord d;
    d.name = s.text(0);
    d.kind = s.text(1);
    d.path = s.text(2);
    d.created = parseIsoTime(s.text(3));
    return d;
}
} // namespace

bool DatastoreRepository::add(const DatastoreRecord& d) {
    Statement s(db_, "INSERT INTO datastores(name, kind, path, created) VALUES(?, ?, ?, ?) "
                     "ON CONFLICT(name) DO NOTHING");
    s.bind(1, d.name).bind(2, d.kind).bind(3, d.path).bind(
        4, isoTime(d.created.isValid() ? d.created : QDateTime::currentDateTimeUtc()));
    s.exec();
    const bool added = db_.changes() > 0;
    if (added)
        db_.noteChange({RecordKind::Datastore, d.name});
    return added;
}

std::optional<DatastoreRecord> DatastoreRepository::find(const QString& name) {
    Statement s(db_, "SELECT name, kind, path, created FROM datastores WHERE name = ?");
    s.bind(1, name);
    if (!s.step()) return std::nullopt;
    return readDatastore(s);
}

QList<DatastoreRecord> DatastoreRepository::list() {
    Statement s(db_, "SELECT name, kind, path, created FROM datastores ORDER BY name");
    QList<DatastoreRecord> result;
    while (s.step())
        result.append(readDatastore(s));
    return result;
}

bool DatastoreRepository::remove(const QString& name) {
    Statement s(db_, "DELETE FROM datastores WHERE name = ?");
    s.bind(1, name).exec();
    const bool removed = db_.changes() > 0;
    if (removed)
        db_.noteChange({RecordKind::Datastore, name});
    return removed;
}

} // namespace lb
