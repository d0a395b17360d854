#pragma once
// Repository classes: the only code that knows the store's SQL. Each takes the Database it
// works on; Store bundles them for one workspace.

#include "core/store/Entities.h"
#include "core/store/RunAttempts.h"
#include "core/store/RunSearch.h"

#include <QHash>
#include <QList>
#include <QVariant>
#include <QPair>
#include <QStringList>

#include <functional>
#include <vector>

namespace lb {

class Database;

class ExperimentRepository {
public:
    explicit ExperimentRepository(Database& db) : db_(db) {}
    // The experiment's id, creating it on first use.
    std::int64_t ensure(const QString& name);
    std::optional<Experiment> find(const QString& name);
    QList<Experiment> list(); // by name, with run counts

private:
    Database& db_;
};

class ComputeTargetRepository {
public:
    explicit ComputeTargetRepository(Database& db) : db_(db) {}
    void add(const ComputeTargetRecord& target); // throws if the name is taken
    void update(const ComputeTargetRecord& target);
    std::optional<ComputeTargetRecord> find(const QString& name);
    QList<ComputeTargetRecord> list();
    bool remove(const QString& name);

private:
    Database& db_;
};

class RunRepository {
public:
    explicit RunRepository(Database& db) : db_(db) {}
    // Records a new run as Queued (its first state-history entry), with its tags, and returns it
    // with its number within the experiment filled in. One transaction: a process killed while
    // submitting (a sweep driver) never leaves a run without the tags it was created with.
    RunRecord create(RunRecord run, const QMap<QString, QString>& tags = {});
    std::optional<RunRecord> find(const QString& id);
    // Newest first; an empty experiment lists all.
    QList<RunRecord> list(const QString& experiment = {}, int limit = -1);
    QList<RunRecord> listByStatus(const QList<RunStatus>& statuses, const QString& computeTarget = {});
    // Moves the run to `to` if the life cycle allows it from its current state (checked under
    // the write lock); returns false when the move is not allowed (e.g. already final).
    bool transition(const QString& id, RunStatus to, const QString& reason = {},
                    const QDateTime& time = QDateTime::currentDateTimeUtc());
    // Like transition(), but only when the run is in `expected` now: the store arbitrates races
    // such as "cancel a queued run" against "the scheduler just started it".
    bool transitionIf(const QString& id, RunStatus expected, RunStatus to, const QString& reason = {},
                      const QDateTime& time = QDateTime::currentDateTimeUtc());
    // One scheduling decision for a compute target, in one write transaction: walks its Queued
    // runs oldest first and asks `admit` (which sees the runs already active there: Preparing,
    // Running, Finalizing) whether each may start; admitted runs move to Preparing with the
    // `devices` admit filled in. Stops at the first refusal (FIFO). Returns the admitted runs.
    QList<RunRecord> claimQueued(
        const QString& computeTarget,
        const std::function<bool(RunRecord& queued, const QList<RunRecord>& active)>& admit);
    void setExitCode(const QString& id, int exitCode);
    void setTag(const QString& id, const QString& key, const QString& value);
    QMap<QString, QString> tags(const QString& id);
    QList<StateChange> history(const QString& id);
    // A sweep's child runs, oldest first.
    QList<RunRecord> children(const QString& parentId);
    // Moves a child run under another parent (a resumed sweep adopts the old sweep's children).
    void setParent(const QString& id, const QString& parentId);
    // Replaces the reason of a final run and of its last state-history entry (a sweep's early
    // termination policy explains the cancel it asked for).
    void setReason(const QString& id, const QString& reason);

    // How far the ingester has read one of the run's files.
    struct Offset {
        std::int64_t bytes = 0;
        std::int64_t lines = 0;
    };
    Offset ingestOffset(const QString& id, const QString& file);
    void setIngestOffset(const QString& id, const QString& file, Offset offset);

    void setFiles(const QString& id, const QList<RunFile>& files);
    QList<RunFile> files(const QString& id);

    // The run's script parameters as (name, value) pairs, "--lr 0.1" as ("lr", "0.1"): what
    // params.NAME filters on (RunParams.cpp). create() records them from the estimator.
    void setParams(const QString& id, const QStringList& scriptWords);
    QList<QPair<QString, QString>> params(const QString& id);
    // Records the parameters of runs stored before run_params existed (schema migration 5).
    void backfillParams();

    // The runs a search selects, in its order (RunSearchSql.cpp). Throws query::QueryError for
    // a sort key the store cannot order by.
    QList<RunRecord> search(const RunSearch& search);
    int countMatching(const RunSearch& search);
    // The value of one metric summary, parameter or tag for each of `runIds` that has it, by run
    // id: a double for metrics, text for parameters and tags (attributes come from RunRecord).
    QHash<QString, QVariant> keyValues(const query::Key& key, const QStringList& runIds);
    // The metric names, parameter names or tag keys that runs have (of one experiment, or of
    // all when it is empty), sorted: what a column chooser offers.
    QStringList keyNames(query::KeyKind kind, const QString& experiment = {});

    // What the user calls a run, its note (Markdown), whether it is hidden from lists.
    void setName(const QString& id, const QString& name);
    void setNote(const QString& id, const QString& note);
    QString note(const QString& id);
    void setArchived(const QString& id, bool archived);
    bool removeTag(const QString& id, const QString& key);
    // The registered model versions ("name:version") made from a run's outputs.
    QStringList modelsFrom(const QString& id);
    // Removes runs and everything the store holds of them (states, metrics, offsets, files,
    // tags, parameters) in one transaction; returns how many runs were removed.
    int removeRuns(const QStringList& ids);

private:
    Database& db_;
};

class MetricRepository {
public:
    explicit MetricRepository(Database& db) : db_(db) {}
    // Appends points in one transaction (fast path for ingest: prepared statements, a
    // series-id cache). Optionally records an ingest offset in the same transaction, so the
    // offset and the points it covers are stored together or not at all. The stream's
    // checkpoint and attempt markers (RunAttempts.h) are applied among the points, in order;
    // each point is stored with the attempt it belongs to.
    void append(const QString& runId, const std::vector<MetricPoint>& points,
                const QString& offsetFile = {}, std::int64_t offsetBytes = -1, std::int64_t offsetLines = 0,
                const std::vector<StreamMarker>& markers = {});
    QStringList names(const QString& runId);
    // The reads leave superseded points out unless `allAttempts` (issue 20 item 2).
    std::vector<MetricPoint> series(const QString& runId, const QString& name, bool allAttempts = false);
    // By name, then in logged order.
    std::vector<MetricPoint> all(const QString& runId, bool allAttempts = false);
    std::optional<MetricPoint> last(const QString& runId, const QString& name);
    std::int64_t count(const QString& runId); // points not superseded
    // Every metric of the run summarised (MetricSummaries.cpp), by name.
    QList<MetricSummary> summaries(const QString& runId);

private:
    std::int64_t seriesId(const QString& runId, const QString& name);
    Database& db_;
};

class ModelRepository {
public:
    explicit ModelRepository(Database& db) : db_(db) {}
    // The next version number for `name` (1 for a new name); call inside a Transaction.
    int nextVersion(const QString& name);
    void add(const ModelVersion& model);
    std::optional<ModelVersion> find(const QString& name, int version = -1); // -1: latest
    QList<ModelVersion> list(const QString& name = {});
    void setLabel(const QString& name, int version, const QString& kind, const QString& key,
                  const QString& value);
    bool remove(const QString& name, int version);

private:
    void loadLabels(ModelVersion& model);
    Database& db_;
};

} // namespace lb
