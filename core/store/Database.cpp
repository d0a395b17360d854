#include "core/store/Database.h"

#include "core/store/StoreCorruptError.h"
#include "core/util/ByteStrings.h"
#include "core/util/DiskSpace.h"
#include "core/util/Error.h"

#include <QDir>
#include <QElapsedTimer>
#include <QThread>
#include <QFileInfo>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace lb {

namespace {
constexpr int kBusyTimeoutMs = 10000;

// lb_num(x): x as a REAL when it is a number or text that is exactly a finite decimal number
// ("0.01", "1e-3", "-5"), else NULL. The runs search compares numerically when both sides are
// numbers (issue 17); SQLite's own CAST would read "12abc" as 12.
void sqlNumber(sqlite3_context* context, int, sqlite3_value** argv) {
    switch (sqlite3_value_type(argv[0])) {
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
        sqlite3_result_double(context, sqlite3_value_double(argv[0]));
        return;
    case SQLITE_TEXT: {
        const char* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
        const int size = sqlite3_value_bytes(argv[0]);
        if (!text || size == 0 || size > 64)
            break;
        for (int i = 0; i < size; ++i) {
            const char c = text[i];
            if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
                return sqlite3_result_null(context);
        }
        char* end = nullptr;
        const double v = std::strtod(text, &end);
        if (end == text + size && std::isfinite(v))
            return sqlite3_result_double(context, v);
        break;
    }
    default:
        break;
    }
    sqlite3_result_null(context);
}

} // namespace

Database::Database(const QString& path, bool createIfMissing) : path_(path) {
    const int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &db_,
                                   SQLITE_OPEN_READWRITE | (createIfMissing ? SQLITE_OPEN_CREATE : 0) |
                                       SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    if (rc != SQLITE_OK) {
        const QString why = db_ ? QString::fromUtf8(sqlite3_errmsg(db_)) : QStringLiteral("out of memory");
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error(QStringLiteral("Cannot open the workspace store %1: %2. Check that the folder "
                                   "exists and is writable.")
                        .arg(path, why));
    }
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_create_function(db_, "lb_num", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                            sqlNumber, nullptr, nullptr);
    try {
        if (!enableWal()) {
            reopenReadOnlyOnFullDisk();
            return;
        }
        exec("PRAGMA synchronous=NORMAL");
        exec("PRAGMA foreign_keys=ON");
    } catch (...) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw;
    }
}

// A WAL store opened by the first process after every other has closed it needs room for its
// -wal and -shm files. On a full disk there is none, and every command would fail, even
// `runs list`. With no -wal file beside it (or an empty one), everything committed is in the main file, so an
// immutable read-only connection sees exactly what is stored; writes through it fail with a
// sentence that says why (fail()), and the next open after space is freed is an ordinary one.
void Database::reopenReadOnlyOnFullDisk() {
    const int walCode = walFailure_;
    if (QFileInfo(path_ + QStringLiteral("-wal")).size() > 0) // SQLite may have just made it, empty
        fail("PRAGMA journal_mode=WAL", walCode);
    sqlite3_close(db_);
    db_ = nullptr;
    const QByteArray uri = "file:" + QUrl::fromLocalFile(path_).toEncoded(QUrl::RemoveScheme) + "?immutable=1";
    const int rc = sqlite3_open_v2(uri.constData(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    if (rc != SQLITE_OK)
        fail("opening read-only on a full disk", rc);
    readOnlyOnFullDisk_ = true;
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_create_function(db_, "lb_num", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                            sqlNumber, nullptr, nullptr);
}

bool Database::enableWal() {
    // Switching a new database to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY
    // at once (without the busy handler) when another process is opening the same new file;
    // retry for as long as the busy timeout would have waited.
    QElapsedTimer clock;
    clock.start();
    while (true) {
        const int rc = sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
        if (rc == SQLITE_OK)
            return true;
        // No room for the -wal/-shm files: the caller may still read (reopenReadOnlyOnFullDisk).
        if ((rc & 0xff) == SQLITE_FULL || ((rc & 0xff) == SQLITE_IOERR && diskIsFull(path_))) {
            walFailure_ = rc;
            return false;
        }
        if ((rc & 0xff) != SQLITE_BUSY || clock.elapsed() > kBusyTimeoutMs)
            fail("PRAGMA journal_mode=WAL", rc);
        QThread::msleep(5);
    }
}

Database::~Database() {
    if (db_)
        sqlite3_close_v2(db_);
}

void Database::fail(const char* operation, int code) const {
    QString hint;
    const int primary = code & 0xff;
    if (primary == SQLITE_FULL || (readOnlyOnFullDisk_ && primary == SQLITE_READONLY))
        hint = QStringLiteral(" The disk is full: free some space; nothing already stored is lost.");
    else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        hint = QStringLiteral(" Another Labbench process held the store for too long; retry.");
    else if (primary == SQLITE_READONLY || primary == SQLITE_PERM || primary == SQLITE_CANTOPEN)
        hint = QStringLiteral(" Check the permissions of the workspace folder.");
    else if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
        throw StoreCorruptError(
            QStringLiteral("Store %1 is damaged: %2 failed: %3. Close Labbench and run 'labbench "
                           "workspace repair --force' to rebuild it from the run folders (the "
                           "damaged file is kept beside it), or restore it from a backup.")
                .arg(path_, QString::fromUtf8(operation),
                     QString::fromUtf8(db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code))));
    throw Error(QStringLiteral("Store %1: %2 failed: %3.%4")
                    .arg(path_, QString::fromUtf8(operation),
                         QString::fromUtf8(db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code)), hint));
}

void Database::exec(std::string_view sql) {
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        sqlite3_free(message);
        fail(text.substr(0, 60).c_str(), rc);
    }
}

void Database::noteChange(const RecordChange& change) {
    if (!listener_)
        return;
    if (sqlite3_get_autocommit(db_) == 0) { // inside a transaction: wait for its commit
        if (std::find(pending_.begin(), pending_.end(), change) == pending_.end())
            pending_.push_back(change);
        return;
    }
    listener_(change);
}

void Database::deliverPendingChanges() {
    std::vector<RecordChange> changes;
    changes.swap(pending_);
    if (listener_)
        for (const RecordChange& c : changes)
            listener_(c);
}

std::int64_t Database::lastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

int Database::userVersion() {
    Statement s(*this, "PRAGMA user_version");
    s.step();
    return static_cast<int>(s.int64(0));
}

void Database::setUserVersion(int version) {
    exec("PRAGMA user_version=" + std::to_string(version));
}

Statement::Statement(Database& db, std::string_view sql) : db_(db) {
    const int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK)
        db.fail(std::string(sql.substr(0, 60)).c_str(), rc);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::int64_t value) {
    if (int rc = sqlite3_bind_int64(stmt_, index, value); rc != SQLITE_OK)
        db_.fail("bind", rc);
    return *this;
}

Statement& Statement::bind(int index, double value) {
    // SQLite stores a NaN double as NULL; a metric may well be NaN (a diverged loss), so NaN is
    // stored as the text 'NaN', which real() reads back (infinities are native REALs).
    if (std::isnan(value)) {
        if (int rc = sqlite3_bind_text(stmt_, index, "NaN", 3, SQLITE_STATIC); rc != SQLITE_OK)
            db_.fail("bind", rc);
        return *this;
    }
    if (int rc = sqlite3_bind_double(stmt_, index, value); rc != SQLITE_OK)
        db_.fail("bind", rc);
    return *this;
}

// Text is stored as the bytes it was decoded from (ByteStrings.h): a file name that is not UTF-8
// comes back from the store unchanged (#25); any other text is plain UTF-8 as before.
Statement& Statement::bind(int index, const QString& value) {
    const QByteArray bytes = encodeBytes(value);
    return bind(index, std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())));
}

Statement& Statement::bind(int index, std::string_view value) {
    if (int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                                   SQLITE_TRANSIENT);
        rc != SQLITE_OK)
        db_.fail("bind", rc);
    return *this;
}

Statement& Statement::bindNull(int index) {
    if (int rc = sqlite3_bind_null(stmt_, index); rc != SQLITE_OK)
        db_.fail("bind", rc);
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const char* sql = sqlite3_sql(stmt_);
    db_.fail(sql ? std::string(sql).substr(0, 60).c_str() : "statement", rc);
}

void Statement::exec() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Statement::isNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::real(int column) const {
    if (sqlite3_column_type(stmt_, column) == SQLITE_TEXT) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
        if (p && std::strcmp(p, "NaN") == 0)
            return std::numeric_limits<double>::quiet_NaN();
    }
    return sqlite3_column_double(stmt_, column);
}

QString Statement::text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p ? decodeBytes(QByteArrayView(p, sqlite3_column_bytes(stmt_, column))) : QString();
}

std::string Statement::utf8(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

std::optional<std::int64_t> Statement::optionalInt64(int column) const {
    if (isNull(column))
        return std::nullopt;
    return int64(column);
}

std::optional<QString> Statement::optionalText(int column) const {
    if (isNull(column))
        return std::nullopt;
    return text(column);
}

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (!done_) {
        sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
        db_.pending_.clear(); // what was rolled back never happened
    }
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
    db_.deliverPendingChanges();
}

} // namespace lb
