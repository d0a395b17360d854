#pragma once
// The workspace's datastores: a name for a data folder, so that a script argument
// datastore://NAME/sub/path can say which data a run reads without naming a machine's path.

#include <QDateTime>
#include <QList>
#include <QString>
#include <optional>

namespace lb {

class Database;

struct DatastoreRecord {
    QString name;
    QString kind = QStringLiteral("local"); // where the data lives; only "local" folders so far
    QString path;                           // absolute folder
    QDateTime created;
};

class DatastoreRepository {
public:
    explicit DatastoreRepository(Database& db)
        : db_(db) {}
    // Returns false (and changes nothing) when the name is taken.
    bool add(const DatastoreRecord& datastore);
    std::optional<DatastoreRecord> find(const QString& name);
    QList<DatastoreRecord> list(); // by name
    bool remove(const QString& name);

private:
    Database& db_;
};

} // namespace lb
