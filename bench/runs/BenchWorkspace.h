#pragma once
// Writes the runs-table benchmark's workspace (RunsBenchData.h) into a real Labbench store
// through core's repositories: one transaction per run record and one per run's 1,000 points.
#include <QString>

namespace lbbench {

// Creates the workspace at `root` (which must not hold one yet) and fills it; prints progress.
void generateLabbenchWorkspace(const QString& root);

} // namespace lbbench
