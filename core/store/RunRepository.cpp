#include "core/store/Database.h"
#include "core/store/Repositories.h"
#include "core/store/RunRows.h"
#include "core/util/Error.h"
#include "core/util/Time.h"

namespace lb {

namespace {

// Applies one life-cycle move inside the caller's transaction; false when the life cycle (or
// `expected`, when given) does not allow it.
bool applyTransition(Database& db, const QString& id, RunStatus to, const QString& reason,
                     const QDateTime& time, std::optional<RunStatus> expected) {
    Statement current(db, "SELECT status FROM runs WHERE id = ?");
    current.bind(1, id);
    if (!current.step())
        throw NotFoundError(QStringLiteral("There is no run '%1' in this workspace.").arg(id));
    const auto from = runStatusFromString(current.text(0));
    if (!from || !canTransition(*from, to) || (expected && *from != *expected))
        return false;
    // A history reads in order: a move is never stamped before the one it follows. Two clocks
    // stamp a run (the supervisor's exit time, the finisher's "now"), and a caller that passes
    // an earlier time must not make "Completed" precede "Finalizing" (#23 item 7).
    QDateTime stamp = time;
    Statement last(db, "SELECT time FROM run_states WHERE run_id = ? ORDER BY rowid DESC LIMIT 1");
    last.bind(1, id);
    if (last.step()) {
        const QDateTime previous = parseIsoTime(last.text(0));
        if (previous.isValid() && stamp < previous)
            stamp = previous;
    }
    const QString when = isoTime(stamp);
    Statement update(db, "UPDATE runs SET status = ?1, "
                         "started = CASE WHEN ?1 = 'Running' AND started IS NULL THEN ?2 ELSE started END, "
                         "ended = CASE WHEN ?4 THEN ?2 ELSE ended END, "
                         "reason = CASE WHEN ?3 <> '' THEN ?3 ELSE reason END WHERE id = ?5");
    update.bind(1, toString(to)).bind(2, when).bind(3, reason).bind(4, isTerminal(to) ? 1 : 0).bind(5, id);
    update.exec();
    Statement state(db, "INSERT INTO run_states(run_id, status, time, reason) VALUES(?, ?, ?, ?)");
    state.bind(1, id).bind(2, toString(to)).bind(3, when).bind(4, reason).exec();
    db.noteChange({RecordKind::Run, id});
    return true;
}

} // namespace

RunRecord RunRepository::create(RunRecord run, const QMap<QString, QString>& tags) {
    Transaction tx(db_);
    const std::int64_t experimentId = ExperimentRepository(db_).ensure(run.experiment);
    Statement number(db_, "SELECT coalesce(max(number), 0) + 1 FROM runs WHERE experiment_id = ?");
    number.bind(1, experimentId);
    number.step();
    run.number = static_cast<int>(number.int64(0));
    run.status = RunStatus::Queued;
    if (!run.created.isValid())
        run.created = QDateTime::currentDateTimeUtc();
    Statement insert(db_, "INSERT INTO runs(id, experiment_id, number, compute_target, status, "
                          "created, run_dir, estimator, parent_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, run.id).bind(2, experimentId).bind(3, run.number).bind(4, run.computeTarget);
    insert.bind(5, toString(run.status)).bind(6, isoTime(run.created)).bind(7, run.runDir);
    insert.bind(8, run.estimatorJson.isEmpty() ? QStringLiteral("{}") : run.estimatorJson);
    if (run.parentId.isEmpty())
        insert.bindNull(9);
    else
        insert.bind(9, run.parentId);
    insert.exec();
    Statement state(db_, "INSERT INTO run_states(run_id, status, time) VALUES(?, ?, ?)");
    state.bind(1, run.id).bind(2, toString(run.status)).bind(3, isoTime(run.created)).exec();
    setParams(run.id, scriptWordsOf(run.estimatorJson));
    if (!run.name.isEmpty())
        setName(run.id, run.name);
    Statement tag(db_, "INSERT OR REPLACE INTO run_tags(run_id, key, value) VALUES(?, ?, ?)");
    for (auto it = tags.begin(); it != tags.end(); ++it)
        tag.bind(1, run.id).bind(2, it.key()).bind(3, it.value()).exec();
    db_.noteChange({RecordKind::Run, run.id});
    tx.commit();
    return run;
}

std::optional<RunRecord> RunRepository::find(const QString& id) {
    Statement s(db_, std::string(kRunColumns) + "WHERE r.id = ?");
    s.bind(1, id);
    if (!s.step())
        return std::nullopt;
    return readRun(s);
}

QList<RunRecord> RunRepository::list(const QString& experiment, int limit) {
    std::string sql = kRunColumns;
    if (!experiment.isEmpty())
        sql += "WHERE e.name = ?1 ";
    sql += "ORDER BY r.created DESC, r.rowid DESC LIMIT ?2";
    Statement s(db_, sql);
    if (!experiment.isEmpty())
        s.bind(1, experiment);
    s.bind(2, static_cast<std::int64_t>(limit));
    QList<RunRecord> result;
    while (s.step())
        result.append(readRun(s));
    return result;
}

QList<RunRecord> RunRepository::listByStatus(const QList<RunStatus>& statuses, const QString& computeTarget) {
    QList<RunRecord> result;
    for (RunStatus status : statuses) {
        std::string sql = std::string(kRunColumns) + "WHERE r.status = ?1 ";
        if (!computeTarget.isEmpty())
            sql += "AND r.compute_target = ?2 ";
        sql += "ORDER BY r.created, r.rowid";
        Statement s(db_, sql);
        s.bind(1, toString(status));
        if (!computeTarget.isEmpty())
            s.bind(2, computeTarget);
        while (s.step())
            result.append(readRun(s));
    }
    return result;
}

bool RunRepository::transition(const QString& id, RunStatus to, const QString& reason, const QDateTime& time) {
    Transaction tx(db_);
    if (!applyTransition(db_, id, to, reason, time, std::nullopt))
        return false;
    tx.commit();
    return true;
}

bool RunRepository::transitionIf(const QString& id, RunStatus expected, RunStatus to,
                                 const QString& reason, const QDateTime& time) {
    Transaction tx(db_);
    if (!applyTransition(db_, id, to, reason, time, expected))
        return false;
    tx.commit();
    return true;
}

QList<RunRecord> RunRepository::claimQueued(
    const QString& computeTarget,
    const std::function<bool(RunRecord& queued, const QList<RunRecord>& active)>& admit) {
    Transaction tx(db_);
    QList<RunRecord> active =
        listByStatus({RunStatus::Preparing, RunStatus::Running, RunStatus::Finalizing}, computeTarget);
    // A sweep's parent run only drives its children (core/sweep): it holds no room on the
    // target and is never started by it.
    Statement sweepTag(db_, "SELECT 1 FROM run_tags WHERE run_id = ? AND key = 'labbench.sweep'");
    const auto isSweepParent = [&](const RunRecord& r) {
        sweepTag.reset();
        sweepTag.bind(1, r.id);
        return sweepTag.step();
    };
    active.removeIf(isSweepParent);
    QList<RunRecord> claimed;
    Statement devices(db_, "UPDATE runs SET devices = ? WHERE id = ?");
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (RunRecord run : listByStatus({RunStatus::Queued}, computeTarget)) {
        if (isSweepParent(run))
            continue;
        if (!admit(run, active))
            break;
        applyTransition(db_, run.id, RunStatus::Preparing, {}, now, RunStatus::Queued);
        devices.bind(1, run.devices).bind(2, run.id).exec();
        run.status = RunStatus::Preparing;
        active.append(run);
        claimed.append(run);
    }
    tx.commit();
    return claimed;
}

void RunRepository::setExitCode(const QString& id, int exitCode) {
    Statement s(db_, "UPDATE runs SET exit_code = ? WHERE id = ?");
    s.bind(1, exitCode).bind(2, id).exec();
    db_.noteChange({RecordKind::Run, id});
}

void RunRepository::setTag(const QString& id, const QString& key, const QString& value) {
    Statement s(db_, "INSERT INTO run_tags(run_id, key, value) VALUES(?1, ?2, ?3) "
                     "ON CONFLICT(run_id, key) DO UPDATE SET value = ?3");
    s.bind(1, id).bind(2, key).bind(3, value).exec();
    db_.noteChange({RecordKind::Run, id});
}

QMap<QString, QString> RunRepository::tags(const QString& id) {
    Statement s(db_, "SELECT key, value FROM run_tags WHERE run_id = ? ORDER BY key");
    s.bind(1, id);
    QMap<QString, QString> result;
    while (s.step())
        result.insert(s.text(0), s.text(1));
    return result;
}

QList<StateChange> RunRepository::history(const QString& id) {
    Statement s(db_, "SELECT status, time, reason FROM run_states WHERE run_id = ? ORDER BY rowid");
    s.bind(1, id);
    QList<StateChange> result;
    while (s.step())
        result.append({runStatusFromString(s.text(0)).value_or(RunStatus::Failed), parseIsoTime(s.text(1)), s.text(2)});
    return result;
}

QList<RunRecord> RunRepository::children(const QString& parentId) {
    Statement s(db_, std::string(kRunColumns) + "WHERE r.parent_id = ? ORDER BY r.created, r.rowid");
    s.bind(1, parentId);
    QList<RunRecord> result;
    while (s.step())
        result.append(readRun(s));
    return result;
}

void RunRepository::setParent(const QString& id, const QString& parentId) {
    Statement s(db_, "UPDATE runs SET parent_id = ? WHERE id = ?");
    s.bind(1, parentId).bind(2, id).exec();
    db_.noteChange({RecordKind::Run, id});
}

void RunRepository::setReason(const QString& id, const QString& reason) {
    Transaction tx(db_);
    Statement run(db_, "UPDATE runs SET reason = ? WHERE id = ?");
    run.bind(1, reason).bind(2, id).exec();
    Statement state(db_, "UPDATE run_states SET reason = ? WHERE rowid = "
                         "(SELECT max(rowid) FROM run_states WHERE run_id = ?)");
    state.bind(1, reason).bind(2, id).exec();
    db_.noteChange({RecordKind::Run, id});
    tx.commit();
}

RunRepository::Offset RunRepository::ingestOffset(const QString& id, const QString& file) {
    Statement s(db_, "SELECT offset, lines FROM ingest_offsets WHERE run_id = ? AND file = ?");
    s.bind(1, id).bind(2, file);
    if (!s.step())
        return {};
    return {s.int64(0), s.int64(1)};
}

void RunRepository::setIngestOffset(const QString& id, const QString& file, Offset offset) {
    Statement s(db_, "INSERT INTO ingest_offsets(run_id, file, offset, lines) VALUES(?1, ?2, ?3, ?4) "
                     "ON CONFLICT(run_id, file) DO UPDATE SET offset = ?3, lines = ?4");
    s.bind(1, id).bind(2, file).bind(3, offset.bytes).bind(4, offset.lines).exec();
}

void RunRepository::setFiles(const QString& id, const QList<RunFile>& files) {
    Transaction tx(db_);
    Statement clear(db_, "DELETE FROM run_files WHERE run_id = ?");
    clear.bind(1, id).exec();
    Statement insert(db_, "INSERT INTO run_files(run_id, path, size) VALUES(?, ?, ?)");
    for (const auto& f : files)
        insert.bind(1, id).bind(2, f.path).bind(3, f.size).exec();
    tx.commit();
}

QList<RunFile> RunRepository::files(const QString& id) {
    Statement s(db_, "SELECT path, size FROM run_files WHERE run_id = ? ORDER BY path");
    s.bind(1, id);
    QList<RunFile> result;
    while (s.step())
        result.append({s.text(0), s.int64(1)});
    return result;
}

} // namespace lb
