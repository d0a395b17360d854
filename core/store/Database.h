#pragma once
// A thin RAII layer over one SQLite connection: prepared statements, transactions, errors that
// say which database and what failed. Only core/store uses it; no SQL lives outside core/store.

#include "core/store/RecordChange.h"

#include <QString>
#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lb {

class Database;

// A prepared statement. Bind with 1-based indices, step() until it returns false.
class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, const QString& value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bindNull(int index);
    template <typename T> Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bindNull(index);
    }

    // Executes one step; true while a row is available.
    bool step();
    // Runs to completion (for statements that return no rows) and resets for reuse.
    void exec();
    void reset();

    bool isNull(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const;
    QString text(int column) const;
    std::string utf8(int column) const;
    std::optional<std::int64_t> optionalInt64(int column) const;
    std::optional<QString> optionalText(int column) const;

private:
    Database& db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// One connection, in WAL mode with a busy timeout so the GUI and several CLI processes can
// share a workspace.
class Database {
public:
    // With `createIfMissing` false, a missing file is an error rather than a new, empty store.
    explicit Database(const QString& path, bool createIfMissing = true);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(std::string_view sql);
    std::int64_t lastInsertId() const;
    int changes() const;
    int userVersion();
    void setUserVersion(int version);
    const QString& path() const { return path_; }
    // True when the disk was full at open, so the store could only be opened for reading.
    bool readOnlyOnFullDisk() const { return readOnlyOnFullDisk_; }
    sqlite3* handle() const { return db_; }

    // Throws lb::Error describing the failed operation and SQLite's message.
    [[noreturn]] void fail(const char* operation, int code) const;

    // Who hears of changed records (the workspace, which mirrors them to files). Repositories
    // call noteChange() after a write; outside a transaction the listener hears at once, inside
    // one only after it commits (nothing when it rolls back), so a mirror never runs ahead of
    // the store and no file is written while the write lock is held. The listener must not
    // throw; it may read through this connection.
    using ChangeListener = std::function<void(const RecordChange&)>;
    void setChangeListener(ChangeListener listener) { listener_ = std::move(listener); }
    void noteChange(const RecordChange& change);

private:
    friend class Transaction;
    bool enableWal(); // false: no room on the disk for the WAL files
    void reopenReadOnlyOnFullDisk();
    void deliverPendingChanges();
    QString path_;
    sqlite3* db_ = nullptr;
    ChangeListener listener_;
    std::vector<RecordChange> pending_;
    bool readOnlyOnFullDisk_ = false;
    int walFailure_ = SQLITE_OK;
};

// BEGIN IMMEDIATE … COMMIT; rolls back if destroyed without commit() (an exception escaped).
// IMMEDIATE takes the write lock up front, so two writers never deadlock on a lock upgrade.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

} // namespace lb
