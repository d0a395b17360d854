#include "core/store/RunAttempts.h"

#include "core/store/Database.h"
#include "core/util/Time.h"

#include <QTimeZone>

#include <cmath>

namespace lb {

namespace {

QDateTime fromUnixSeconds(double seconds) {
    return QDateTime::fromMSecsSinceEpoch(std::llround(seconds * 1000.0), QTimeZone::utc());
}

// The states that end an attempt: the final ones, and Preempted (its job may be requeued).
constexpr const char* kEndStates = "('Completed', 'Failed', 'Canceled', 'Preempted')";

} // namespace

int RunAttemptRepository::currentAttempt(const QString& runId) {
    Statement s(db_, "SELECT coalesce(max(attempt), 1) FROM run_attempts WHERE run_id = ?");
    s.bind(1, runId);
    return s.step() ? static_cast<int>(s.int64(0)) : 1;
}

void RunAttemptRepository::recordCheckpoint(const QString& runId, const StreamMarker& marker) {
    Statement insert(db_, "INSERT INTO run_checkpoints(run_id, seq, attempt, path, step, time) "
                          "VALUES(?1, (SELECT coalesce(max(seq), 0) + 1 FROM run_checkpoints "
                          "WHERE run_id = ?1), ?2, ?3, ?4, ?5)");
    insert.bind(1, runId).bind(2, currentAttempt(runId)).bind(3, marker.text);
    insert.bind(4, marker.step >= 0 ? std::optional<std::int64_t>(marker.step) : std::nullopt);
    insert.bind(5, marker.time).exec();
    // What every series holds now survives the next attempt; what comes after may not.
    Statement mark(db_, "UPDATE metric_series SET checkpoint_points = points WHERE run_id = ?");
    mark.bind(1, runId).exec();
}

int RunAttemptRepository::beginAttempt(const QString& runId, const StreamMarker& marker) {
    const int previous = currentAttempt(runId);
    const QString when = isoTime(fromUnixSeconds(marker.time));
    // The first attempt gets its row only now: a run never resumed needs none.
    Statement first(db_, "INSERT OR IGNORE INTO run_attempts(run_id, attempt, started) "
                         "VALUES(?1, 1, (SELECT started FROM runs WHERE id = ?1))");
    first.bind(1, runId).exec();
    // The attempt that ended did so with the last end state before this marker (the resume or
    // requeue that writes the marker follows it), as its state history says, live or repaired.
    Statement end(db_, std::string("SELECT status, time, reason FROM run_states WHERE run_id = ? "
                                   "AND status IN ") +
                           kEndStates + " AND time <= ? ORDER BY rowid DESC LIMIT 1");
    end.bind(1, runId).bind(2, when);
    if (end.step()) {
        Statement close(db_, "UPDATE run_attempts SET ended = ?, end_status = ?, end_reason = ? "
                             "WHERE run_id = ? AND attempt = ?");
        close.bind(1, end.text(1)).bind(2, end.text(0)).bind(3, end.text(2));
        close.bind(4, runId).bind(5, previous).exec();
    }
    const std::optional<RunCheckpoint> from = lastCheckpoint(runId);
    Statement insert(db_, "INSERT INTO run_attempts(run_id, attempt, reason, started, resumed_from, "
                          "resume_step) VALUES(?, ?, ?, ?, ?, ?)");
    insert.bind(1, runId).bind(2, previous + 1).bind(3, marker.text).bind(4, when);
    insert.bind(5, from ? std::optional<QString>(from->path) : std::nullopt);
    insert.bind(6, from ? from->step : std::nullopt).exec();
    supersedeAfterLastCheckpoint(runId);
    db_.noteChange({RecordKind::Run, runId});
    return previous + 1;
}

void RunAttemptRepository::supersedeAfterLastCheckpoint(const QString& runId) {
    Statement series(db_, "SELECT id, checkpoint_points FROM metric_series "
                          "WHERE run_id = ? AND points > checkpoint_points");
    Statement supersede(db_, "UPDATE metrics SET superseded = 1 "
                             "WHERE series_id = ? AND seq >= ? AND superseded = 0");
    // The summaries the runs table and the next auto-assigned step read, over the points kept
    // (NaN is stored as the text 'NaN' and is never a min or a max).
    Statement summarise(db_, R"sql(
        UPDATE metric_series SET
            superseded_points = (SELECT count(*) FROM metrics WHERE series_id = ?1 AND superseded = 1),
            last_step = (SELECT coalesce(max(step), -1) FROM metrics WHERE series_id = ?1 AND superseded = 0),
            last_value = (SELECT value FROM metrics WHERE series_id = ?1 AND superseded = 0
                          ORDER BY seq DESC LIMIT 1),
            min_value = (SELECT min(value) FROM metrics WHERE series_id = ?1 AND superseded = 0
                         AND typeof(value) <> 'text'),
            max_value = (SELECT max(value) FROM metrics WHERE series_id = ?1 AND superseded = 0
                         AND typeof(value) <> 'text')
        WHERE id = ?1)sql");
    series.bind(1, runId);
    while (series.step()) {
        const std::int64_t id = series.int64(0);
        supersede.bind(1, id).bind(2, series.int64(1)).exec();
        if (db_.changes() == 0)
            continue;
        summarise.bind(1, id).exec();
    }
}

QList<RunAttempt> RunAttemptRepository::attempts(const QString& runId) {
    QList<RunAttempt> out;
    Statement s(db_, "SELECT attempt, reason, started, ended, end_status, end_reason, resumed_from, "
                     "resume_step FROM run_attempts WHERE run_id = ? ORDER BY attempt");
    s.bind(1, runId);
    while (s.step()) {
        RunAttempt a;
        a.number = static_cast<int>(s.int64(0));
        a.reason = s.text(1);
        a.started = parseIsoTime(s.text(2));
        a.ended = parseIsoTime(s.text(3));
        a.endStatus = s.isNull(4) ? std::nullopt : runStatusFromString(s.text(4));
        a.endReason = s.text(5);
        a.resumedFrom = s.text(6);
        a.resumeStep = s.optionalInt64(7);
        out.append(a);
    }
    Statement run(db_, "SELECT status, started FROM runs WHERE id = ?");
    run.bind(1, runId);
    if (!run.step())
        return out;
    if (out.isEmpty()) {
        RunAttempt a;
        a.started = parseIsoTime(run.text(1));
        out.append(a);
    }
    // The last attempt ends when the run does (or is preempted): its latest state says how.
    const auto status = runStatusFromString(run.text(0));
    if (status && (isTerminal(*status) || *status == RunStatus::Preempted)) {
        Statement last(db_, "SELECT time, reason FROM run_states WHERE run_id = ? "
                            "ORDER BY rowid DESC LIMIT 1");
        last.bind(1, runId);
        // A state from before the attempt began is the end of the one before (the marker is
        // read before the run is reopened, or the run was never reopened).
        const bool found = last.step();
        const bool before = found && out.last().started.isValid() &&
                            parseIsoTime(last.text(0)) < out.last().started;
        if (found && !before) {
            out.last().ended = parseIsoTime(last.text(0));
            out.last().endStatus = status;
            out.last().endReason = last.text(1);
        }
    }
    return out;
}

std::optional<RunCheckpoint> RunAttemptRepository::lastCheckpoint(const QString& runId) {
    Statement s(db_, "SELECT attempt, path, step, time FROM run_checkpoints WHERE run_id = ? "
                     "ORDER BY seq DESC LIMIT 1");
    s.bind(1, runId);
    if (!s.step())
        return std::nullopt;
    return RunCheckpoint{static_cast<int>(s.int64(0)), s.text(1), s.optionalInt64(2), s.real(3)};
}

bool RunAttemptRepository::reopen(const QString& runId, const QString& reason, const QDateTime& time) {
    Transaction tx(db_);
    Statement current(db_, "SELECT status FROM runs WHERE id = ?");
    current.bind(1, runId);
    if (!current.step())
        return false;
    const auto from = runStatusFromString(current.text(0));
    if (!from || !(*from == RunStatus::Failed || *from == RunStatus::Canceled ||
                   *from == RunStatus::Preempted))
        return false;
    // Stamped after the state it leaves, as applyTransition does (two clocks stamp a run).
    QDateTime stamp = time;
    Statement last(db_, "SELECT time FROM run_states WHERE run_id = ? ORDER BY rowid DESC LIMIT 1");
    last.bind(1, runId);
    if (last.step()) {
        const QDateTime previous = parseIsoTime(last.text(0));
        if (previous.isValid() && stamp < previous)
            stamp = previous;
    }
    Statement update(db_, "UPDATE runs SET status = 'Queued', ended = NULL, exit_code = NULL, "
                          "reason = '', devices = '' WHERE id = ?");
    update.bind(1, runId).exec();
    Statement state(db_, "INSERT INTO run_states(run_id, status, time, reason) VALUES(?, 'Queued', ?, ?)");
    state.bind(1, runId).bind(2, isoTime(stamp)).bind(3, reason).exec();
    db_.noteChange({RecordKind::Run, runId});
    tx.commit();
    return true;
}

} // namespace lb
