#pragma once
// Attempts of one run (issue 20 item 2, schema migration 10). A run resumed by hand (`runs
// resume`) or requeued by its scheduler runs again under the same id; its metric stream says so
// with two markers (the attempt contract):
//   {"type":"checkpoint","path":P,"step":S,"time":T}  a checkpoint file is complete
//   {"type":"attempt","reason":"resume"|"requeue","time":T}  attempt N >= 2 starts
// Attempts are numbered by counting the attempt markers in file order (the first attempt is 1).
// When one is read, the points of the earlier attempts logged after the last checkpoint marker
// are superseded: kept, hidden unless asked for, since the new attempt logs them again from the
// checkpoint. Everything here comes from the run's own files, so `workspace repair` rebuilds it.

#include "core/store/RunStatus.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace lb {

class Database;

// A marker read from a run's metric stream, placed before the point with index `beforePoint`
// of the batch it came with (MetricRepository::append applies them in that order).
struct StreamMarker {
    enum class Kind { Checkpoint, Attempt };
    Kind kind = Kind::Checkpoint;
    std::size_t beforePoint = 0;
    QString text;           // the checkpoint's path, or the attempt's reason
    std::int64_t step = -1; // the checkpoint's step; -1: not given
    double time = 0;        // Unix seconds
};

// One attempt as `runs show` and the run's history list it.
struct RunAttempt {
    int number = 1;
    QString reason;  // "resume", "requeue"; empty for the first attempt
    QDateTime started;
    QDateTime ended; // null while it runs
    std::optional<RunStatus> endStatus;
    QString endReason;
    QString resumedFrom;                   // the checkpoint it started from (empty: none)
    std::optional<std::int64_t> resumeStep; // that checkpoint's step, when it gave one
};

// A checkpoint marker as stored.
struct RunCheckpoint {
    int attempt = 1;
    QString path;
    std::optional<std::int64_t> step;
    double time = 0;
};

class RunAttemptRepository {
public:
    explicit RunAttemptRepository(Database& db) : db_(db) {}

    // The attempt new points belong to: 1 until an attempt marker was read.
    int currentAttempt(const QString& runId);

    // Markers, applied inside the caller's transaction (MetricRepository::append's), after the
    // points before them were written and their series summaries updated.
    void recordCheckpoint(const QString& runId, const StreamMarker& marker);
    // Returns the new attempt's number.
    int beginAttempt(const QString& runId, const StreamMarker& marker);

    // Every attempt, oldest first (one, the first, for a run never resumed). The last one's end
    // comes from the run's state history.
    QList<RunAttempt> attempts(const QString& runId);
    std::optional<RunCheckpoint> lastCheckpoint(const QString& runId);

    // `runs resume`: the one way a final run (Failed, Canceled) or a Preempted one moves back
    // to Queued, in its own transaction: the run's end, exit code, reason and devices are
    // cleared, its state history gains the Queued entry with `reason`. False when the run is in
    // any other state.
    bool reopen(const QString& runId, const QString& reason,
                const QDateTime& time = QDateTime::currentDateTimeUtc());

private:
    void supersedeAfterLastCheckpoint(const QString& runId);
    Database& db_;
};

} // namespace lb
