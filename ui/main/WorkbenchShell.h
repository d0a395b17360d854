#pragma once
// What a workbench helper (ComputeTargetActions, ModelActions, the start-up probe) may ask of
// the window that holds it: the workspace as last loaded, a status message, a reload, a run's
// dashboard, and a page in the centre. MainWindow implements it; a test implements it with a
// bare widget, so the helpers never include the window that includes them (#21).

#include "core/live/WorkspaceSnapshot.h"

#include <QList>
#include <QString>

class QIcon;
class QWidget;

namespace lb::ui {

class WorkbenchShell {
public:
    virtual ~WorkbenchShell() = default;

    // The workspace as last loaded: null before its first load and after a failed one.
    virtual WorkspaceSnapshotPtr snapshot() const = 0;
    // The folder of the workspace open or being opened (known before its first load).
    virtual QString workspaceDir() const = 0;

    // Shows `text` in the status bar for `timeoutMs` milliseconds.
    virtual void showStatusMessage(const QString& text, int timeoutMs) = 0;
    // Loads the workspace again now (after a write), not at the watcher's next poll.
    virtual void refreshWorkspace() = 0;

    // Opens the dashboard of `runId`, or brings it to the front if it is open.
    virtual void showRun(const QString& runId) = 0;
    // The pages open in the centre, in tab order.
    virtual QList<QWidget*> pages() const = 0;
    // Adds `page` to the centre, which owns it from then on, and brings it to the front.
    virtual void addPage(QWidget* page, const QString& title, const QIcon& icon) = 0;
    // Brings an open page to the front.
    virtual void showPage(QWidget* page) = 0;
    // The widget dialogs and message boxes open over.
    virtual QWidget* dialogParent() = 0;

protected:
    WorkbenchShell() = default;
    WorkbenchShell(const WorkbenchShell&) = default;
    WorkbenchShell& operator=(const WorkbenchShell&) = default;
};

} // namespace lb::ui
