#pragma once
// What quitting does to active runs, said before the window closes (#23 item 14): they keep
// running under their own supervisors, and the same workspace (or the CLI) shows them again.

#include <QString>

class QWidget;

namespace lb::ui {

// Asks over `parent` when runs are active; true when the window may close (nothing active, or
// the user chose Quit).
bool confirmQuitWithActiveRuns(QWidget* parent, int running, int queued,
                               const QString& workspaceDir);

} // namespace lb::ui
