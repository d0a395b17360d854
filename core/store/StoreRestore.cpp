#include "core/store/StoreRestore.h"

#include "core/store/Database.h"
#include "core/store/Repositories.h"
#include "core/store/RunRows.h"
#include "core/util/Time.h"

namespace lb {

void restoreExperiment(Database& db, const QString& name, const QDateTime& created) {
    Statement s(db,
                "INSERT INTO experiments(name, created) VALUES(?, ?) ON CONFLICT(name) DO NOTHING");
    s.bind(1, name).bind(2, isoTime(created.isValid() ? created : QDateTime::currentDateTimeUtc()));
    s.exec();
}

void restoreRun(Database& db, const RunRecord& run, const QList<StateChange>& history,
                const QMap<QString, QString>& tags, const QString& note) {
    Transaction tx(db);
    restoreExperiment(db, run.experiment, run.created);
    Statement experiment(db, "SELECT id FROM experiments WHERE name = ?");
    experiment.bind(1, run.experiment);
    experiment.step();
    const std::int64_t experimentId = experiment.int64(0);

    Statement insert(db, "INSERT INTO runs(id, experiment_id, number, compute_target, status, "
                         "created, started, ended, exit_code, reason, run_dir, estimator, "
                         "parent_id, devices) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const auto optionalTime = [](const QDateTime& t) {
        return t.isValid() ? std::optional<QString>(isoTime(t)) : std::nullopt;
    };
    insert.bind(1, run.id).bind(2, experimentId).bind(3, run.number).bind(4, run.computeTarget);
    insert.bind(5, toString(run.status)).bind(6, isoTime(run.created));
    insert.bind(7, optionalTime(run.started)).bind(8, optionalTime(run.ended));
    insert.bind(9, run.exitCode ? std::optional<std::int64_t>(*run.exitCode) : std::nullopt);
    insert.bind(10, run.reason).bind(11, run.runDir);
    insert.bind(12, run.estimatorJson.isEmpty() ? QStringLiteral("{}") : run.estimatorJson);
    insert.bind(13, run.parentId.isEmpty() ? std::nullopt : std::optional<QString>(run.parentId));
    insert.bind(14, run.devices);
    insert.exec();

    Statement state(db, "INSERT INTO run_states(run_id, status, time, reason) VALUES(?, ?, ?, ?)");
    for (const StateChange& s : history)
        state.bind(1, run.id)
            .bind(2, toString(s.status))
            .bind(3, isoTime(s.time))
            .bind(4, s.reason)
            .exec();
    Statement tag(db, "INSERT INTO run_tags(run_id, key, value) VALUES(?, ?, ?)");
    for (auto it = tags.begin(); it != tags.end(); ++it)
        tag.bind(1, run.id).bind(2, it.key()).bind(3, it.value()).exec();
    // The user's own fields and the parameters the runs search filters on, as create() and
    // the edit commands store them.
    RunRepository runs(db);
    runs.setParams(run.id, scriptWordsOf(run.estimatorJson));
    runs.setName(run.id, run.name);
    runs.setNote(run.id, note);
    runs.setArchived(run.id, run.archived);
    tx.commit();
}

void replaceRunTags(Database& db, const QString& runId, const QMap<QString, QString>& tags) {
    Transaction tx(db);
    Statement clear(db, "DELETE FROM run_tags WHERE run_id = ?");
    clear.bind(1, runId).exec();
    Statement tag(db, "INSERT INTO run_tags(run_id, key, value) VALUES(?, ?, ?)");
    for (auto it = tags.begin(); it != tags.end(); ++it)
        tag.bind(1, runId).bind(2, it.key()).bind(3, it.value()).exec();
    tx.commit();
}

} // namespace lb
