#pragma once
// The one name a run goes by in every view (#23 item 10): the browser tree, its dashboard's tab,
// chart legends, the compare table and the Models page all call these, so a run is never
// "Run 3" in one place and "default #3" in another.

#include "core/store/Entities.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace lb {

// The name the user gave the run, else "run N" (its number within its experiment).
QString runDisplayName(const RunRecord& run);

// The display names of runs shown side by side (legends, compare rows): where two would read
// the same (run 3 of two experiments), each gets its experiment, then its id, added.
QStringList distinctRunDisplayNames(const QList<RunRecord>& runs);

// A few lines for a tooltip: the display name, experiment and number, the id, the status and
// target, and the key parameters (the script's arguments).
QString runToolTip(const RunRecord& run);

} // namespace lb
