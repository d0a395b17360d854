#pragma once
// The compute-target actions of the workbench: New (local, SSH, Slurm), Edit, Remove and Test,
// from the browser's Compute targets node (context menu, double-click) and the Compute menu.
// Every store write and check runs through core off the UI thread; after a write the shell is
// asked to reload, so the browser shows the change at once. It knows the window only as a
// WorkbenchShell.

#include <QObject>

class QMenu;
class QModelIndex;

namespace lb::ui {

class ComputeTargetDialog;
class WorkbenchShell;

class ComputeTargetActions : public QObject {
    Q_OBJECT
public:
    // `shell` outlives the actions (it is usually their parent too).
    ComputeTargetActions(WorkbenchShell* shell, QObject* parent);

    // The Compute menu (New, Edit, Test, Remove), its target lists filled as it opens.
    QMenu* createMenu(QWidget* parent);
    // For the browser: the target actions on the Compute targets node or a target, just before
    // its context menu opens; and what activating (double-clicking) a target does.
    void addContextActions(QMenu* menu, const QModelIndex& index);
    void activate(const QModelIndex& index);

    // Open a dialog (window-modal, deleted on close); null without a workspace or target.
    ComputeTargetDialog* newTarget(const QString& kind);
    ComputeTargetDialog* editTarget(const QString& name);
    // Asks first when `confirm`; the answer goes to the status bar.
    void removeTarget(const QString& name, bool confirm = true);
    // Runs `compute test NAME` in the background; the answer goes to the status bar and, when
    // it failed, a message box.
    void testTarget(const QString& name);

signals:
    // What a remove or test finally said (tests wait on these).
    void removeFinished(const QString& name, const QString& error);
    void testFinished(const QString& name, bool ok, const QString& answer);

private:
    QString root() const;
    QStringList targetNames() const;
    void say(const QString& text);

    WorkbenchShell* shell_ = nullptr;
};

} // namespace lb::ui
