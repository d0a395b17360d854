#pragma once
// The compute-target actions of the workbench: New (local, SSH, Slurm), Edit, Remove and Test,
// from the browser's Compute targets node (context menu, double-click) and the Compute menu.
// Every store write and check runs through core off the UI thread; the browser shows the
// change when the store watcher next loads.

#include <QObject>

class QMenu;
class QModelIndex;

namespace lb::ui {

class ComputeTargetDialog;
class MainWindow;

class ComputeTargetActions : public QObject {
    Q_OBJECT
public:
    // Adds the Compute menu to `window`'s menu bar and hooks into its browser.
    explicit ComputeTargetActions(MainWindow* window);

    // Open a dialog (window-modal, deleted on close); null without a workspace or target.
    ComputeTargetDialog* newTarget(const QString& kind);
    ComputeTargetDialog* editTarget(const QString& name);
    // Asks first when `confirm`; the answer goes to the status bar (and a message box on error).
    void removeTarget(const QString& name, bool confirm = true);
    // Runs `compute test NAME` in the background; the answer goes to the status bar and, when
    // it failed, a message box.
    void testTarget(const QString& name);

signals:
    // What a remove or test finally said (tests wait on these).
    void removeFinished(const QString& name, const QString& error);
    void testFinished(const QString& name, bool ok, const QString& answer);

private:
    void addMenuActions(QMenu* menu, const QModelIndex& index);
    QString root() const;
    QStringList targetNames() const;
    void say(const QString& text);

    MainWindow* window_ = nullptr;
};

} // namespace lb::ui
