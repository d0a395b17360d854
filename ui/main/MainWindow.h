#pragma once
// The workbench window. It only wires panels together: the workspace browser (fed by a
// StoreWatcher), a tabbed centre for estimator forms, run dashboards and comparisons, the status
// bar counts, the menus, and drops of scripts, folders and estimators. Its helpers see it as a
// WorkbenchShell.

#include "ui/main/WorkbenchShell.h"

#include <QMainWindow>

class QLabel;
class QTabWidget;

namespace lb {
class RunActions;
class StoreWatcher;
class WorkspaceModel;
struct Estimator;
} // namespace lb

namespace lb::ui {

class ComputeTargetActions;
class EndpointActions;
class EstimatorForm;
class ModelActions;
class RunDashboard;
class SweepDashboard;
class SweepForm;
class WorkbenchMenus;
class WorkbenchTabs;
class WorkspaceBrowser;

class MainWindow : public QMainWindow, public WorkbenchShell {
    Q_OBJECT
    // For the end-to-end state hook, which reads the window through its public surface only.
    Q_PROPERTY(QString workspaceDir READ workspaceDir)
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens the workspace in `dir` (loaded in the background; errors show in the browser).
    // With `createName`, a folder without a workspace gets a new one of that name.
    void openWorkspace(const QString& dir, const QString& createName = {});

    // What a drop of these paths does (also `labbench PATH…`). Returns the forms opened.
    QList<EstimatorForm*> openPaths(const QStringList& paths);
    EstimatorForm* openEstimatorForm(const Estimator& estimator, bool readArguments);
    // A sweep's parent opens its sweep dashboard instead (and returns null).
    RunDashboard* openRun(const QString& runId);
    SweepDashboard* openSweep(const QString& sweepId);
    // The sweep form with this estimator on its Estimator page.
    SweepForm* openSweepForm(const Estimator& estimator);
    void compareRuns(const QStringList& runIds);
    // The runs table (issue 17): search, sort and clean up the workspace's runs.
    void openRunsTable();

    QTabWidget* tabs() const;
    WorkspaceModel* workspaceModel() const { return model_; }
    WorkspaceBrowser* browser() const { return browser_; }
    ComputeTargetActions* computeActions() const { return compute_; }
    ModelActions* modelActions() const { return models_; }
    EndpointActions* endpointActions() const { return endpoints_; }
    RunActions* actions() const { return actions_; }
    // The status bar's counts ("2 running · 1 queued").
    QString countsText() const;

    // WorkbenchShell
    WorkspaceSnapshotPtr snapshot() const override { return snapshot_; }
    QString workspaceDir() const override { return workspaceDir_; }
    void showStatusMessage(const QString& text, int timeoutMs) override;
    void refreshWorkspace() override;
    void showRun(const QString& runId) override { openRun(runId); }
    QList<QWidget*> pages() const override;
    void addPage(QWidget* page, const QString& title, const QIcon& icon) override;
    void showPage(QWidget* page) override;
    QWidget* dialogParent() override { return this; }

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void onSnapshot(const WorkspaceSnapshotPtr& snapshot);
    QStringList targetNames() const;
    QStringList slurmTargetNames() const; // for the estimator form's Slurm section
    bool isSweepParent(const QString& runId) const;
    // Reopens the pages that were open when this workspace was last closed (#23 item 11).
    void restoreTabs();
    void rememberTabs() const;

    QString workspaceDir_;
    WorkspaceSnapshotPtr snapshot_;
    WorkspaceModel* model_ = nullptr;
    StoreWatcher* watcher_ = nullptr;
    RunActions* actions_ = nullptr;
    WorkspaceBrowser* browser_ = nullptr;
    WorkbenchTabs* tabs_ = nullptr;
    WorkbenchMenus* menus_ = nullptr;
    QLabel* counts_ = nullptr;
    QLabel* workspaceLabel_ = nullptr;
    ComputeTargetActions* compute_ = nullptr;
    ModelActions* models_ = nullptr;
    EndpointActions* endpoints_ = nullptr;
    bool restorePending_ = false; // set on opening a workspace, done on its first snapshot
};

} // namespace lb::ui
