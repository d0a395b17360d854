#pragma once
// Which pages were open in a workspace, kept across restarts (#23 item 11): run and sweep
// dashboards and the runs table, by what identifies them, in tab order, with the one in front.
// Stored in QSettings per workspace, as the runs table keeps its columns.

#include <QString>
#include <QStringList>

class QWidget;

namespace lb::ui {

class WorkbenchTabs;

struct OpenTabs {
    QStringList pages; // "run:<id>", "sweep:<id>", "runs"
    int current = -1;  // index into pages of the page in front; -1: the start page
};

class TabMemory {
public:
    // What `tabs` shows that can be opened again (forms and comparisons are not kept).
    static OpenTabs describe(const WorkbenchTabs& tabs);
    static void save(const QString& workspaceRoot, const OpenTabs& tabs);
    static OpenTabs load(const QString& workspaceRoot);
};

} // namespace lb::ui
