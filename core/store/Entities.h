#pragma once
// Small value types for what the store holds. Metric histories live apart from run summaries
// (MetricPoint vs RunRecord) so listing runs stays fast however long the histories grow.

#include "core/store/RunStatus.h"

#include <QDateTime>
#include <QMap>
#include <QString>

#include <cstdint>
#include <optional>

namespace lb {

// An experiment: a named group of runs.
struct Experiment {
    std::int64_t id = 0;
    QString name;
    QDateTime created;
    int runCount = 0;
};

// A compute target as recorded in the workspace; `config` is the target kind's own JSON.
struct ComputeTargetRecord {
    QString name;
    QString kind; // "local", "ssh", "slurm"
    QString config;
    QDateTime created;
};

// One run's summary (its metric history lives in MetricPoint rows).
struct RunRecord {
    QString id;
    QString experiment;
    int number = 0; // 1, 2, … within its experiment
    QString computeTarget;
    RunStatus status = RunStatus::Queued;
    QDateTime created;
    QDateTime started; // entered Running (null until then)
    QDateTime ended;   // reached a final state (null until then)
    std::optional<int> exitCode;
    QString reason;       // why it failed or was canceled
    QString runDir;       // absolute path of runs/<id>
    QString estimatorJson;
    QString parentId;     // a sweep's children point at the sweep
    QString devices;      // what the run holds on its target while active (local GPUs: "0,1")
    QString name;         // the display name the user gave it (empty: none)
    bool archived = false; // hidden from lists unless asked for (files kept)
};

// One entry of a run's state history.
struct StateChange {
    RunStatus status;
    QDateTime time;
    QString reason;
};

// What the compare view and `runs compare` say of one metric of a run (issue 17): its last, min
// and max values and the steps where they came (the first such step), and how many points.
struct MetricSummary {
    QString name;
    double last = 0, min = 0, max = 0;
    std::int64_t lastStep = 0, minStep = 0, maxStep = 0;
    std::int64_t points = 0;
};

// A metric point: (name, value, step, time in Unix seconds), and the attempt of the run that
// logged it; a superseded point was logged after the last checkpoint of an attempt that a later
// one resumed from that checkpoint (issue 20 item 2): kept, hidden unless asked for.
struct MetricPoint {
    QString name;
    double value = 0;
    std::int64_t step = 0;
    double time = 0;
    int attempt = 1;
    bool superseded = false;
};

// A file a run left in outputs/ or logs/, with its size.
struct RunFile {
    QString path; // relative to the run's snapshot folder: "outputs/model.npz"
    std::int64_t size = 0;
};

// One registered version of a model.
struct ModelVersion {
    QString name;
    int version = 0;
    QString runId;
    QString path;    // inside the workspace's model store
    QString sourcePath; // the run-relative path it was registered from
    std::int64_t size = 0;
    QString description;
    QDateTime created;
    QMap<QString, QString> tags;
    QMap<QString, QString> properties;
};

} // namespace lb
