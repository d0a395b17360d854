#pragma once
// The workbench window. It only wires panels together: the workspace browser (fed by a
// StoreWatcher), a tabbed centre for estimator forms, run dashboards and comparisons, the status
// bar counts, the File menu with recent workspaces, and drops of scripts, folders and
// estimators.

#include "core/live/WorkspaceSnapshot.h"

#include <QMainWindow>

class QLabel;
class QMenu;
class QTabWidget;

namespace lb {
class RunActions;
class StoreWatcher;
class WorkspaceModel;
struct Estimator;
} // namespace lb

namespace lb::ui {

class ComputeTargetActions;
class EstimatorForm;
class ModelActions;
class RunDashboard;
class StateHook;
class SweepDashboard;
class SweepForm;
class WorkspaceBrowser;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens the workspace in `dir` (loaded in the background; errors show in the browser).
    // With `createName`, a folder without a workspace gets a new one of that name.
    void openWorkspace(const QString& dir, const QString& createName = {});
    const QString& workspaceDir() const { return workspaceDir_; }

    // What a drop of these paths does (also `labbench PATH…`). Returns the forms opened.
    QList<EstimatorForm*> openPaths(const QStringList& paths);
    EstimatorForm* openEstimatorForm(const Estimator& estimator, bool readArguments);
    // A sweep's parent opens its sweep dashboard instead (and returns null).
    RunDashboard* openRun(const QString& runId);
    SweepDashboard* openSweep(const QString& sweepId);
    // The sweep form with this estimator on its Estimator page.
    SweepForm* openSweepForm(const Estimator& estimator);
    void compareRuns(const QStringList& runIds);

    QTabWidget* tabs() const { return tabs_; }
    WorkspaceModel* workspaceModel() const { return model_; }
    WorkspaceBrowser* browser() const { return browser_; }
    ComputeTargetActions* computeActions() const { return compute_; }
    ModelActions* modelActions() const { return models_; }
    RunActions* actions() const { return actions_; }
    const WorkspaceSnapshotPtr& snapshot() const { return snapshot_; }
    // The status bar's counts ("2 running · 1 queued").
    QString countsText() const;

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void rebuildRecentMenu();
    void onSnapshot(const WorkspaceSnapshotPtr& snapshot);
    int addTab(QWidget* widget, const QString& title, const QIcon& icon);
    void newWorkspace();
    QString storePath() const;
    bool isSweepParent(const QString& runId) const;

    QString workspaceDir_;
    WorkspaceSnapshotPtr snapshot_;
    WorkspaceModel* model_ = nullptr;
    StoreWatcher* watcher_ = nullptr;
    RunActions* actions_ = nullptr;
    WorkspaceBrowser* browser_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QWidget* welcome_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QLabel* counts_ = nullptr;
    QLabel* workspaceLabel_ = nullptr;
    StateHook* hook_ = nullptr;
    ComputeTargetActions* compute_ = nullptr;
    ModelActions* models_ = nullptr;
};

} // namespace lb::ui
