#pragma once
// The run columns every run query of core/store selects, and how a row becomes a RunRecord
// (internal to core/store: RunRepository and the runs search share them).
#include "core/store/Database.h"
#include "core/store/Entities.h"
#include "core/store/RunStatus.h"
#include "core/util/Time.h"

#include <QStringList>

namespace lb {

// The argv words of a stored estimator's script_params (RunParams.cpp).
QStringList scriptWordsOf(const QString& estimatorJson);

inline constexpr const char* kRunColumns =
    "SELECT r.id, e.name, r.number, r.compute_target, r.status, r.created, r.started, r.ended, "
    "r.exit_code, r.reason, r.run_dir, r.estimator, r.parent_id, r.devices, r.name, r.archived FROM runs r "
    "JOIN experiments e ON e.id = r.experiment_id ";

inline RunRecord readRun(const Statement& s) {
    RunRecord r;
    r.id = s.text(0);
    r.experiment = s.text(1);
    r.number = static_cast<int>(s.int64(2));
    r.computeTarget = s.text(3);
    r.status = runStatusFromString(s.text(4)).value_or(RunStatus::Failed);
    r.created = parseIsoTime(s.text(5));
    r.started = parseIsoTime(s.text(6));
    r.ended = parseIsoTime(s.text(7));
    if (auto code = s.optionalInt64(8))
        r.exitCode = static_cast<int>(*code);
    r.reason = s.text(9);
    r.runDir = s.text(10);
    r.estimatorJson = s.text(11);
    r.parentId = s.text(12);
    r.devices = s.text(13);
    r.name = s.text(14);
    r.archived = s.int64(15) != 0;
    return r;
}

} // namespace lb
