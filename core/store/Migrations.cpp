#include "core/store/Migrations.h"

#include "core/store/Database.h"
#include "core/store/EndpointRepository.h"
#include "core/store/Repositories.h"
#include "core/util/Error.h"

#include <array>

namespace lb {

namespace {

// Never edit a migration that has shipped; append a new one.
constexpr std::array<const char*, 10> kMigrations = {
    // 1: experiments, compute targets, runs and their state history.
    R"sql(
    CREATE TABLE experiments (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL);
    CREATE TABLE compute_targets (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        config TEXT NOT NULL,
        created TEXT NOT NULL);
    CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        experiment_id INTEGER NOT NULL REFERENCES experiments(id),
        number INTEGER NOT NULL,
        compute_target TEXT NOT NULL,
        status TEXT NOT NULL,
        created TEXT NOT NULL,
        started TEXT,
        ended TEXT,
        exit_code INTEGER,
        reason TEXT NOT NULL DEFAULT '',
        run_dir TEXT NOT NULL,
        estimator TEXT NOT NULL DEFAULT '{}',
        parent_id TEXT);
    CREATE INDEX runs_by_experiment ON runs(experiment_id, created);
    CREATE INDEX runs_by_status ON runs(status, compute_target);
    CREATE TABLE run_states (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        status TEXT NOT NULL,
        time TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '');
    CREATE INDEX run_states_by_run ON run_states(run_id);
    )sql",
    // 2: metric histories (kept apart from run summaries), ingest offsets, run files, models.
    R"sql(
    CREATE TABLE metric_series (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        points INTEGER NOT NULL DEFAULT 0,
        last_step INTEGER NOT NULL DEFAULT -1,
        UNIQUE(run_id, name));
    -- One B-tree keyed by (series, sequence): a series reads as one range scan, in order.
    CREATE TABLE metrics (
        series_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        step INTEGER NOT NULL,
        value REAL NOT NULL,
        time REAL NOT NULL,
        PRIMARY KEY(series_id, seq)) WITHOUT ROWID;
    -- How far the ingester has read each of a run's files (driver.log, metrics.jsonl, …).
    CREATE TABLE ingest_offsets (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        file TEXT NOT NULL,
        offset INTEGER NOT NULL,
        lines INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY(run_id, file));
    CREATE TABLE run_files (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY(run_id, path));
    CREATE TABLE models (
        name TEXT PRIMARY KEY,
        created TEXT NOT NULL);
    CREATE TABLE model_versions (
        name TEXT NOT NULL REFERENCES models(name) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        run_id TEXT,
        path TEXT NOT NULL,
        source_path TEXT NOT NULL DEFAULT '',
        size INTEGER NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL,
        PRIMARY KEY(name, version));
    CREATE TABLE model_labels (
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK(kind IN ('tag', 'property')),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY(name, version, kind, key),
        FOREIGN KEY(name, version) REFERENCES model_versions(name, version) ON DELETE CASCADE);
    )sql",
    // 3: the devices a run holds on its target (local GPUs, "0,1"), and a run's tags.
    R"sql(
    ALTER TABLE runs ADD COLUMN devices TEXT NOT NULL DEFAULT '';
    CREATE TABLE run_tags (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY(run_id, key));
    )sql",
    // 4: datastores: named data folders that script arguments refer to as datastore://NAME/path.
    R"sql(
    CREATE TABLE datastores (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL DEFAULT 'local',
        path TEXT NOT NULL,
        created TEXT NOT NULL);
    )sql",
    // 5: what the runs table filters and sorts on in SQL (issue 17): each run's script parameters
    // as name/value pairs (filled by backfillRunParams for older runs), and each metric series'
    // last, min and max values, kept by MetricRepository::append.
    R"sql(
    CREATE TABLE run_params (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY(run_id, name)) WITHOUT ROWID;
    CREATE INDEX run_params_by_name ON run_params(name, value);
    ALTER TABLE metric_series ADD COLUMN last_value REAL;
    ALTER TABLE metric_series ADD COLUMN min_value REAL;
    ALTER TABLE metric_series ADD COLUMN max_value REAL;
    UPDATE metric_series SET
        last_value = (SELECT m.value FROM metrics m WHERE m.series_id = metric_series.id
                      ORDER BY m.seq DESC LIMIT 1),
        min_value = (SELECT min(m.value) FROM metrics m WHERE m.series_id = metric_series.id),
        max_value = (SELECT max(m.value) FROM metrics m WHERE m.series_id = metric_series.id);
    CREATE INDEX metric_series_by_name ON metric_series(name, last_value);
    ALTER TABLE runs ADD COLUMN name TEXT;
    ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';
    ALTER TABLE runs ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX runs_by_created ON runs(created);
    )sql",
    // 6: endpoints (issue 18): registered model versions served by a labbench-serve process, and
    // their state history. models and pip are JSON arrays of strings.
    R"sql(
    CREATE TABLE endpoints (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK(kind IN ('native', 'score')),
        models TEXT NOT NULL DEFAULT '[]',
        host TEXT NOT NULL DEFAULT '127.0.0.1',
        port INTEGER NOT NULL,
        workers INTEGER NOT NULL DEFAULT 1,
        auth INTEGER NOT NULL DEFAULT 0,
        entry TEXT NOT NULL DEFAULT '',
        source_dir TEXT NOT NULL DEFAULT '',
        pip TEXT NOT NULL DEFAULT '[]',
        batch_delay_us INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        pid INTEGER NOT NULL DEFAULT 0,
        log_path TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL,
        updated TEXT NOT NULL);
    CREATE TABLE endpoint_states (
        name TEXT NOT NULL REFERENCES endpoints(name) ON DELETE CASCADE,
        state TEXT NOT NULL,
        time TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '');
    CREATE INDEX endpoint_states_by_name ON endpoint_states(name);
    )sql",
    // 7: the runs table (issue 17). Every load counts the runs that are not archived, and
    // without an index that count read all 10,000 wide rows of a large workspace (4.5 ms; the
    // index covers it: 0.7 ms). Run folders' disk usage as last measured, so runs sort and
    // filter by size in SQL.
    R"sql(
    CREATE INDEX runs_by_archived ON runs(archived, experiment_id);
    CREATE TABLE run_disk_usage (
        run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        bytes INTEGER NOT NULL,
        measured TEXT NOT NULL) WITHOUT ROWID;
    )sql",
    // 8: an endpoint's time limits in its row (issue 18), where they were only in its folder's
    // limits.json; the defaults are EndpointLimits'. The rows' values come from those files.
    R"sql(
    ALTER TABLE endpoints ADD COLUMN request_timeout_s INTEGER NOT NULL DEFAULT 10;
    ALTER TABLE endpoints ADD COLUMN run_timeout_s INTEGER NOT NULL DEFAULT 60;
    )sql",
    // 9: system metrics (issue 19): what labbench-sysmon sampled on each node of a run (CPU,
    // memory, disk, network, GPUs), apart from the script's own metrics, with the node each
    // point came from. Like metrics: a series row with its summaries, points by (series, seq).
    R"sql(
    CREATE TABLE system_metric_series (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        node TEXT NOT NULL,
        name TEXT NOT NULL,
        points INTEGER NOT NULL DEFAULT 0,
        last_value REAL,
        min_value REAL,
        max_value REAL,
        UNIQUE(run_id, node, name));
    CREATE TABLE system_metrics (
        series_id INTEGER NOT NULL REFERENCES system_metric_series(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        step INTEGER NOT NULL,
        value REAL NOT NULL,
        time REAL NOT NULL,
        PRIMARY KEY(series_id, seq)) WITHOUT ROWID;
    )sql",
    // 10: attempts (issue 20 item 2): a run resumed or requeued runs again under its own id. The
    // metric stream's markers (RunAttempts.h) number the attempts and say where each resumed
    // from; a point keeps the attempt that logged it, and the points an attempt logged after its
    // last checkpoint are superseded by the next one (kept, hidden unless asked for).
    // metric_series.checkpoint_points is the series' length at the run's last checkpoint marker,
    // superseded_points how many of its points are superseded (it only grows: views that hold a
    // series reread it when it changes).
    R"sql(
    CREATE TABLE run_attempts (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        started TEXT,
        ended TEXT,
        end_status TEXT,
        end_reason TEXT NOT NULL DEFAULT '',
        resumed_from TEXT,
        resume_step INTEGER,
        PRIMARY KEY(run_id, attempt)) WITHOUT ROWID;
    CREATE TABLE run_checkpoints (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        attempt INTEGER NOT NULL,
        path TEXT NOT NULL,
        step INTEGER,
        time REAL NOT NULL,
        PRIMARY KEY(run_id, seq)) WITHOUT ROWID;
    ALTER TABLE metric_series ADD COLUMN checkpoint_points INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE metric_series ADD COLUMN superseded_points INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE metrics ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE metrics ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0;
    )sql",
};

// Steps a migration needs beyond SQL, run right after it in the same transaction.
void afterMigration(Database& db, int version) {
    if (version == 5) RunRepository(db).backfillParams();
    if (version == 8) EndpointRepository(db).backfillLimitsFromFolders();
}

} // namespace

int latestSchemaVersion() {
    return static_cast<int>(kMigrations.size());
}

void migrate(Database& db, int target) {
    if (target < 0) target = latestSchemaVersion();
    if (db.userVersion() == target) return; // the common case, without taking the write lock
    Transaction tx(db);
    const int current = db.userVersion(); // re-read under the lock: another process may have won
    if (current > latestSchemaVersion())
        throw Error(QStringLiteral("The store %1 has schema version %2, newer than this Labbench "
                                   "understands (%3). Upgrade Labbench to open it.")
                        .arg(db.path())
                        .arg(current)
                        .arg(latestSchemaVersion()));
    for (int v = current; v < target; ++v) {
        db.exec(kMigrations[static_cast<size_t>(v)]);
        afterMigration(db, v + 1);
    }
    if (current < target) db.setUserVersion(target);
    tx.commit();
}

} // namespace lb
