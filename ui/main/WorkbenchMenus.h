#pragma once
// The workbench window's own menus: File (workspaces new, open and recent; new estimator or
// sweep; open a script; quit), Runs (compare, refresh) and Help (Getting started, keyboard
// shortcuts, About). The panels' helpers bring their menus (Compute, Models, Endpoints), which go
// before Help. Dialogs that only pick a folder or file are asked here; what was picked goes out as
// a signal for the window to act on.

#include <QObject>

class QMainWindow;
class QMenu;

namespace lb::ui {

class WorkbenchShell;

class WorkbenchMenus : public QObject {
    Q_OBJECT
public:
    // Adds the menus to `window`'s menu bar; `shell` (the same window) says which workspace is
    // open and shows the status messages.
    WorkbenchMenus(QMainWindow* window, WorkbenchShell* shell);

    // Puts a helper's menu into the bar, before Help (which stays last).
    void insertBeforeHelp(QMenu* menu);
    // Fills File > Recent workspaces again from RecentWorkspaces.
    void rebuildRecent();

signals:
    void openWorkspaceRequested(const QString& dir);
    // A new workspace named `name` in `dir` (the name is valid).
    void createWorkspaceRequested(const QString& dir, const QString& name);
    void newEstimatorRequested();
    void newSweepRequested();
    void openPathsRequested(const QStringList& paths);
    void compareSelectedRequested();
    void runsTableRequested();
    void refreshRequested();

private:
    void buildFileMenu();
    void askForNewWorkspace();
    QMainWindow* window_ = nullptr;
    WorkbenchShell* shell_ = nullptr;
    QMenu* recent_ = nullptr;
    QMenu* help_ = nullptr;
};

} // namespace lb::ui
