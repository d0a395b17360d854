#pragma once
// Writing records back with their whole past, for `labbench workspace repair` (core/repair). The
// repositories move a record forward through its life cycle (a run starts Queued and each move
// adds a state); a restored record is inserted as it was, history, times and number included.

#include "core/store/Entities.h"

#include <QList>
#include <QMap>

namespace lb {

class Database;

// Records an experiment with its creation time; one that exists keeps its own.
void restoreExperiment(Database& db, const QString& name, const QDateTime& created);

// Inserts a run as `run` describes it (its experiment is created on first use, with the run's
// creation time; its name and archived flag included), its note, its state history in order,
// its tags and its script parameters (from the estimator). Throws lb::Error when a run with the
// same id is already there.
void restoreRun(Database& db, const RunRecord& run, const QList<StateChange>& history,
                const QMap<QString, QString>& tags, const QString& note);

// Makes `tags` the run's tags, exactly: those its metric stream set again on ingest but the user
// removed later (run.json knows) are dropped.
void replaceRunTags(Database& db, const QString& runId, const QMap<QString, QString>& tags);

} // namespace lb
