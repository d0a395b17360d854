#pragma once
// The end of a run, shared by its supervisor and by any process that finds the supervisor gone:
// final ingest, the list of kept files, the exit code and the final state, run.json.

#include "core/lifecycle/ExitRecord.h"
#include "core/lifecycle/RunFolder.h"
#include "core/store/Entities.h"
#include "core/workspace/mirror/RunJson.h" // writeRunJson, which the callers of these also use

#include <QList>

namespace lb {

class RunIngester;
class Store;

// Files under snapshot/outputs and snapshot/logs (recursively, regular files only; symlinks are
// not followed), with paths relative to the snapshot ("outputs/model.npz").
QList<RunFile> listKeptFiles(const RunFolder& folder);

// The last `count` non-empty lines of a text file, at most `maxChars` characters in all.
QString lastLines(const QString& path, int count, int maxChars = 800);

// Appends one line to driver.log (supervisor warnings), in a single write.
void appendToDriverLog(const RunFolder& folder, const QString& line);

// Moves an ended run through Finalizing to Completed, Failed or Canceled as `exit` says.
void finalizeRun(Store& store, const RunRecord& run, const ExitRecord& exit, RunIngester& ingester);

// Finishes an active run whose supervisor is gone (call with its lock held): ingests the rest,
// then finalizes from exit.json, or stops any script left behind and records
// Failed("supervisor vanished").
void finishAbandonedRun(Store& store, const RunRecord& run);

} // namespace lb
