#include "core/store/EndpointRepository.h"

#include "core/store/Database.h"
#include "core/util/Error.h"
#include "core/util/JsonValues.h"
#include "core/util/Time.h"

#include <QFileInfo>

namespace lb {

namespace {

constexpr const char* kColumns =
    "name, kind, models, host, port, workers, entry, source_dir, pip, batch_delay_us, state, "
    "reason, pid, log_path, created, updated, auth, request_timeout_s, run_timeout_s";

QString listToJson(const QStringList& list) {
    return fromStd(jsonStringList(list).dump());
}

// A list column the store wrote; an unreadable one reads as empty (repair rewrites it).
QStringList listFromJson(const QString& text) {
    return stringListFromJson(Json::parse(text.toStdString(), nullptr, false))
        .value_or(QStringList());
}

EndpointRecord readEndpoint(const Statement& s) {
    EndpointRecord e;
    e.name = s.text(0);
    e.kind = s.text(1);
    e.models = listFromJson(s.text(2));
    e.host = s.text(3);
    e.port = static_cast<int>(s.int64(4));
    e.workers = static_cast<int>(s.int64(5));
    e.entry = s.text(6);
    e.sourceDir = s.text(7);
    e.pipPackages = listFromJson(s.text(8));
    e.batchDelayUs = static_cast<int>(s.int64(9));
    e.state = endpointStateFromString(s.text(10)).value_or(EndpointState::Failed);
    e.reason = s.text(11);
    e.pid = s.int64(12);
    e.logPath = s.text(13);
    e.created = parseIsoTime(s.text(14));
    e.updated = parseIsoTime(s.text(15));
    e.auth = s.int64(16) != 0;
    e.requestTimeoutS = static_cast<int>(s.int64(17));
    e.runTimeoutS = static_cast<int>(s.int64(18));
    return e;
}

void insertEndpoint(Database& db, const EndpointRecord& e) {
    Statement s(db, std::string("INSERT INTO endpoints(") + kColumns +
                        ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const QDateTime created = e.created.isValid() ? e.created : QDateTime::currentDateTimeUtc();
    s.bind(1, e.name).bind(2, e.kind).bind(3, listToJson(e.models)).bind(4, e.host);
    s.bind(5, e.port).bind(6, e.workers).bind(7, e.entry).bind(8, e.sourceDir);
    s.bind(9, listToJson(e.pipPackages)).bind(10, e.batchDelayUs).bind(11, toString(e.state));
    s.bind(12, e.reason).bind(13, static_cast<std::int64_t>(e.pid)).bind(14, e.logPath);
    s.bind(15, isoTime(created)).bind(16, isoTime(e.updated.isValid() ? e.updated : created));
    s.bind(17, e.auth ? 1 : 0).bind(18, e.requestTimeoutS).bind(19, e.runTimeoutS);
    s.exec();
}

void insertState(Database& db, const QString& name, EndpointState state, const QDateTime& time,
                 const QString& reason) {
    Statement s(db, "INSERT INTO endpoint_states(name, state, time, reason) VALUES(?, ?, ?, ?)");
    s.bind(1, name).bind(2, toString(state)).bind(3, isoTime(time)).bind(4, reason).exec();
}

} // namespace

bool EndpointRepository::add(const EndpointRecord& endpoint) {
    Transaction tx(db_);
    if (find(endpoint.name)) return false;
    EndpointRecord e = endpoint;
    e.state = EndpointState::Transitioning;
    e.created = e.updated = QDateTime::currentDateTimeUtc();
    insertEndpoint(db_, e);
    insertState(db_, e.name, e.state, e.created, e.reason);
    db_.noteChange({RecordKind::Endpoint, e.name});
    tx.commit();
    return true;
}

void EndpointRepository::updateConfig(const EndpointRecord& e) {
    Statement s(db_, "UPDATE endpoints SET kind = ?, models = ?, host = ?, port = ?, workers = ?, "
                     "entry = ?, source_dir = ?, pip = ?, batch_delay_us = ?, auth = ?, "
                     "request_timeout_s = ?, run_timeout_s = ? WHERE name = ?");
    s.bind(1, e.kind).bind(2, listToJson(e.models)).bind(3, e.host).bind(4, e.port);
    s.bind(5, e.workers).bind(6, e.entry).bind(7, e.sourceDir).bind(8, listToJson(e.pipPackages));
    s.bind(9, e.batchDelayUs).bind(10, e.auth ? 1 : 0).bind(11, e.requestTimeoutS);
    s.bind(12, e.runTimeoutS).bind(13, e.name).exec();
    if (db_.changes() > 0) db_.noteChange({RecordKind::Endpoint, e.name});
}

void EndpointRepository::backfillLimitsFromFolders() {
    for (const EndpointRecord& e : list()) {
        if (e.logPath.isEmpty()) continue;
        const EndpointLimits limits = readEndpointLimitsOrDefaults(
            QFileInfo(e.logPath).absolutePath() + QStringLiteral("/limits.json"));
        Statement s(db_, "UPDATE endpoints SET request_timeout_s = ?, run_timeout_s = ? WHERE "
                         "name = ?");
        s.bind(1, limits.requestTimeoutS).bind(2, limits.runTimeoutS).bind(3, e.name).exec();
    }
}

std::optional<EndpointRecord> EndpointRepository::find(const QString& name) {
    Statement s(db_, std::string("SELECT ") + kColumns + " FROM endpoints WHERE name = ?");
    s.bind(1, name);
    if (!s.step()) return std::nullopt;
    return readEndpoint(s);
}

QList<EndpointRecord> EndpointRepository::list() {
    Statement s(db_, std::string("SELECT ") + kColumns + " FROM endpoints ORDER BY name");
    QList<EndpointRecord> out;
    while (s.step())
        out.append(readEndpoint(s));
    return out;
}

QList<EndpointStateChange> EndpointRepository::history(const QString& name) {
    Statement s(db_,
                "SELECT state, time, reason FROM endpoint_states WHERE name = ? ORDER BY rowid");
    s.bind(1, name);
    QList<EndpointStateChange> out;
    while (s.step())
        out.append({endpointStateFromString(s.text(0)).value_or(EndpointState::Failed),
                    parseIsoTime(s.text(1)), s.text(2)});
    return out;
}

bool EndpointRepository::transition(const QString& name, EndpointState to, const QString& reason) {
    Transaction tx(db_);
    const auto now = find(name);
    if (!now || !canTransition(now->state, to)) return false;
    const QDateTime time = QDateTime::currentDateTimeUtc();
    const QString kept = to == EndpointState::Healthy ? QString() : reason;
    Statement s(db_, "UPDATE endpoints SET state = ?, reason = ?, updated = ? WHERE name = ?");
    s.bind(1, toString(to)).bind(2, kept).bind(3, isoTime(time)).bind(4, name).exec();
    insertState(db_, name, to, time, kept);
    db_.noteChange({RecordKind::Endpoint, name});
    tx.commit();
    return true;
}

void EndpointRepository::setPid(const QString& name, qint64 pid) {
    Statement s(db_, "UPDATE endpoints SET pid = ? WHERE name = ?");
    s.bind(1, static_cast<std::int64_t>(pid)).bind(2, name).exec();
    if (db_.changes() > 0) db_.noteChange({RecordKind::Endpoint, name});
}

bool EndpointRepository::remove(const QString& name) {
    Statement s(db_, "DELETE FROM endpoints WHERE name = ?"); // states go by ON DELETE CASCADE
    s.bind(1, name).exec();
    const bool removed = db_.changes() > 0;
    if (removed) db_.noteChange({RecordKind::Endpoint, name});
    return removed;
}

void restoreEndpoint(Database& db, const EndpointRecord& endpoint,
                     const QList<EndpointStateChange>& history) {
    Transaction tx(db);
    if (EndpointRepository(db).find(endpoint.name))
        throw Error(
            QStringLiteral("An endpoint named '%1' was already restored.").arg(endpoint.name));
    insertEndpoint(db, endpoint);
    for (const EndpointStateChange& c : history)
        insertState(db, endpoint.name, c.state, c.time, c.reason);
    tx.commit();
}

} // namespace lb
