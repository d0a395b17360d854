#include "ui/main/MainWindow.h"

#include "ui/browser/WorkspaceBrowser.h"
#include "ui/common/StatusIcons.h"
#include "ui/compare/CompareView.h"
#include "ui/compute/ComputeTargetActions.h"
#include "ui/estimator/EstimatorForm.h"
#include "core/live/DropPlan.h"
#include "core/live/RecentWorkspaces.h"
#include "core/live/RunActions.h"
#include "core/live/StoreWatcher.h"
#include "core/live/WorkspaceModel.h"
#include "ui/main/StartupProbe.h"
#include "ui/main/StateHook.h"
#include "ui/main/WelcomePage.h"
#include "ui/models/ModelActions.h"
#include "ui/run/RunDashboard.h"
#include "ui/sweep/SweepDashboard.h"
#include "ui/sweep/SweepForm.h"
#include "core/util/Error.h"
#include "core/workspace/WorkspaceConfig.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>

namespace lb::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("Labbench"));
    setAcceptDrops(true);
    resize(1280, 800);
    model_ = new WorkspaceModel(this);
    browser_ = new WorkspaceBrowser(model_);
    tabs_ = new QTabWidget;
    tabs_->setTabsClosable(true);
    tabs_->setMovable(true);
    tabs_->setDocumentMode(true);
    welcome_ = new WelcomePage;
    tabs_->addTab(welcome_, tr("Start"));
    auto* split = new QSplitter;
    split->addWidget(browser_);
    split->addWidget(tabs_);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({340, 940});
    split->setChildrenCollapsible(false);
    setCentralWidget(split);

    counts_ = new QLabel;
    workspaceLabel_ = new QLabel;
    workspaceLabel_->setObjectName(QStringLiteral("muted"));
    statusBar()->addPermanentWidget(workspaceLabel_);
    statusBar()->addPermanentWidget(counts_);
    buildMenus();
    compute_ = new ComputeTargetActions(this); // Compute menu, browser's Compute targets node
    models_ = new ModelActions(this);          // Models menu and page, browser's Models node

    connect(tabs_, &QTabWidget::tabCloseRequested, this, [this](int index) {
        QWidget* w = tabs_->widget(index);
        if (w == welcome_)
            return;
        tabs_->removeTab(index);
        w->deleteLater();
    });
    connect(browser_, &WorkspaceBrowser::runActivated, this, &MainWindow::openRun);
    connect(browser_, &WorkspaceBrowser::compareRequested, this, &MainWindow::compareRuns);
    connect(browser_, &WorkspaceBrowser::newEstimatorRequested, this,
            [this] { openEstimatorForm(Estimator(), false); });
    connect(static_cast<WelcomePage*>(welcome_), &WelcomePage::newEstimatorRequested, this,
            [this] { openEstimatorForm(Estimator(), false); });
    // Re-attach: runs whose supervisor vanished are finished from their folders, queued runs
    // started when there is room. Cheap (a lock probe per active run), on a worker thread.
    auto* reconcile = new QTimer(this);
    reconcile->setInterval(5000);
    connect(reconcile, &QTimer::timeout, this, [this] {
        if (actions_ && snapshot_ && snapshot_->running + snapshot_->queued > 0)
            actions_->reconcile();
    });
    reconcile->start();
    hook_ = StateHook::fromEnvironment(this);
    StartupProbe::installIfRequested(this);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New workspace…"), this, &MainWindow::newWorkspace);
    file->addAction(tr("&Open workspace…"), QKeySequence::Open, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open workspace"),
                                                              workspaceDir_);
        if (!dir.isEmpty())
            openWorkspace(dir);
    });
    recentMenu_ = file->addMenu(tr("Recent workspaces"));
    file->addSeparator();
    file->addAction(tr("New &estimator"), QKeySequence::New, this,
                    [this] { openEstimatorForm(Estimator(), false); });
    file->addAction(tr("New s&weep"), this, [this] { openSweepForm(Estimator()); });
    file->addAction(tr("Open &script or estimator…"), this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("Open script or estimator"), QString(),
            tr("Scripts and estimators (*.py *.sh *.json);;All files (*)"));
        openPaths(files);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    QMenu* view = menuBar()->addMenu(tr("&Runs"));
    view->addAction(tr("Compare selected runs"), this,
                    [this] { compareRuns(browser_->selectedRuns()); });
    view->addAction(tr("Refresh"), QKeySequence::Refresh, this, [this] {
        if (watcher_)
            watcher_->refreshNow();
    });
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("About Labbench"), this, [this] {
        QMessageBox::about(this, tr("About Labbench"),
                           tr("<b>Labbench</b> — the Azure ML estimator workflow on your own "
                              "machines.<br>Drop a training script on the window to start."));
    });
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    const QStringList recent = RecentWorkspaces::list();
    for (const QString& dir : recent)
        recentMenu_->addAction(dir, this, [this, dir] { openWorkspace(dir); });
    recentMenu_->setEnabled(!recent.isEmpty());
}

void MainWindow::newWorkspace() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the new workspace"));
    if (dir.isEmpty())
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("New workspace"), tr("Name"),
                                               QLineEdit::Normal, QFileInfo(dir).fileName(), &ok);
    if (!ok)
        return;
    if (!isValidWorkspaceName(name)) {
        statusBar()->showMessage(tr("A workspace name has 1–64 letters, digits, '-', '_', '.' or "
                                    "spaces."),
                                 8000);
        return;
    }
    openWorkspace(dir, name);
}

void MainWindow::openWorkspace(const QString& dir, const QString& createName) {
    workspaceDir_ = QDir(dir).absolutePath();
    // Dashboards and comparisons belong to the old workspace; forms stay and follow the new one.
    for (int i = tabs_->count() - 1; i >= 0; --i) {
        QWidget* w = tabs_->widget(i);
        if (auto* form = qobject_cast<EstimatorForm*>(w)) {
            form->setActions(nullptr);
        } else if (auto* sweepForm = qobject_cast<SweepForm*>(w)) {
            sweepForm->setWorkspaceRoot(workspaceDir_); // sweep forms stay too
        } else if (w != welcome_) {
            tabs_->removeTab(i);
            delete w;
        }
    }
    delete watcher_;
    delete actions_;
    snapshot_.reset();
    browser_->showError(QString());
    browser_->setWorkspaceName(tr("Opening %1…").arg(QDir::toNativeSeparators(workspaceDir_)));
    workspaceLabel_->setText(QDir::toNativeSeparators(workspaceDir_));
    actions_ = new RunActions(workspaceDir_, this);
    watcher_ = new StoreWatcher(
        workspaceDir_,
        [](Workspace& w) {
            return QVariant::fromValue(
                WorkspaceSnapshotPtr(std::make_shared<WorkspaceSnapshot>(WorkspaceSnapshot::load(w))));
        },
        400, this);
    watcher_->setCreateIfMissing(createName);
    connect(watcher_, &StoreWatcher::loaded, this,
            [this](const QVariant& v) { onSnapshot(v.value<WorkspaceSnapshotPtr>()); });
    connect(watcher_, &StoreWatcher::failed, this, [this](const QString& m) {
        browser_->showError(m);
        browser_->setWorkspaceName(tr("No workspace"));
        statusBar()->showMessage(m, 10000);
    });
    watcher_->start();
    actions_->reconcile(); // once on opening: a run may have ended while nobody watched
    for (int i = 0; i < tabs_->count(); ++i) {
        if (auto* form = qobject_cast<EstimatorForm*>(tabs_->widget(i)))
            form->setActions(actions_); // forms now submit to this workspace
    }
    setWindowTitle(tr("Labbench — %1").arg(QFileInfo(workspaceDir_).fileName()));
}

QString MainWindow::storePath() const {
    return snapshot_ ? snapshot_->root + QStringLiteral("/labbench.db") : QString();
}

void MainWindow::onSnapshot(const WorkspaceSnapshotPtr& snapshot) {
    if (!snapshot)
        return;
    const bool first = !snapshot_;
    snapshot_ = snapshot;
    browser_->showError(QString());
    browser_->setWorkspaceName(snapshot->name);
    model_->setSnapshot(snapshot);
    counts_->setText(countsText());
    if (first) {
        RecentWorkspaces::add(snapshot->root);
        rebuildRecentMenu();
        setWindowTitle(tr("Labbench — %1").arg(snapshot->name));
    }
    QStringList targets;
    for (const ComputeTargetRecord& t : snapshot->computeTargets)
        targets.append(t.name);
    for (int i = 0; i < tabs_->count(); ++i) {
        if (auto* form = qobject_cast<EstimatorForm*>(tabs_->widget(i)))
            form->setComputeTargets(targets);
        else if (auto* sweepForm = qobject_cast<SweepForm*>(tabs_->widget(i)))
            sweepForm->setComputeTargets(targets);
    }
}

QString MainWindow::countsText() const {
    if (!snapshot_)
        return {};
    return tr("● %1 running   ○ %2 queued").arg(snapshot_->running).arg(snapshot_->queued);
}

int MainWindow::addTab(QWidget* widget, const QString& title, const QIcon& icon) {
    const int index = tabs_->addTab(widget, icon, title);
    tabs_->setCurrentIndex(index);
    return index;
}

EstimatorForm* MainWindow::openEstimatorForm(const Estimator& estimator, bool readArguments) {
    auto* form = new EstimatorForm(actions_);
    if (snapshot_) {
        QStringList targets;
        for (const ComputeTargetRecord& t : snapshot_->computeTargets)
            targets.append(t.name);
        form->setComputeTargets(targets);
    }
    form->setEstimator(estimator, readArguments);
    addTab(form, form->title(), nodeIcon(QStringLiteral("experiment")));
    connect(form, &EstimatorForm::titleChanged, this, [this, form](const QString& title) {
        tabs_->setTabText(tabs_->indexOf(form), title);
    });
    connect(form, &EstimatorForm::message, this,
            [this](const QString& m) { statusBar()->showMessage(m, 6000); });
    connect(form, &EstimatorForm::sweepRequested, this,
            [this](const Estimator& e) { openSweepForm(e); });
    connect(form, &EstimatorForm::submitted, this, [this](const QString& runId) {
        if (watcher_)
            watcher_->refreshNow();
        openRun(runId);
    });
    return form;
}

QList<EstimatorForm*> MainWindow::openPaths(const QStringList& paths) {
    QList<EstimatorForm*> forms;
    QStringList refused;
    for (const DropAction& a : planDrop(paths)) {
        switch (a.kind) {
        case DropAction::Kind::Script:
        case DropAction::Kind::Folder: {
            Estimator e;
            e.sourceDirectory = a.sourceDirectory;
            e.entryScript = a.entryScript;
            forms.append(openEstimatorForm(e, true));
            if (a.kind == DropAction::Kind::Folder && a.entryScript.isEmpty())
                statusBar()->showMessage(tr("No obvious entry script in %1: choose one in the "
                                            "form.")
                                             .arg(QFileInfo(a.path).fileName()),
                                         8000);
            break;
        }
        case DropAction::Kind::Estimator:
            try {
                forms.append(openEstimatorForm(Estimator::load(a.path), false));
            } catch (const Error& e) {
                refused.append(e.message());
            }
            break;
        case DropAction::Kind::Refused:
            refused.append(a.reason);
            break;
        }
    }
    if (!refused.isEmpty())
        statusBar()->showMessage(refused.join(QLatin1Char(' ')), 10000);
    return forms;
}

RunDashboard* MainWindow::openRun(const QString& runId) {
    for (int i = 0; i < tabs_->count(); ++i) {
        if (auto* d = qobject_cast<RunDashboard*>(tabs_->widget(i)); d && d->runId() == runId) {
            tabs_->setCurrentIndex(i);
            return d;
        }
    }
    if (!snapshot_ && workspaceDir_.isEmpty())
        return nullptr;
    if (isSweepParent(runId)) {
        openSweep(runId); // a sweep's parent has a dashboard of its own
        return nullptr;
    }
    const QString root = snapshot_ ? snapshot_->root : workspaceDir_;
    auto* dashboard = new RunDashboard(root, root + QStringLiteral("/labbench.db"), runId, actions_);
    addTab(dashboard, runId, statusIcon(QStringLiteral("Running")));
    connect(dashboard, &RunDashboard::titleChanged, this, [this, dashboard](const QString& t) {
        tabs_->setTabText(tabs_->indexOf(dashboard), t);
    });
    connect(dashboard, &RunDashboard::cloneRequested, this,
            [this](const Estimator& e) { openEstimatorForm(e, false); });
    // The browser cannot always tell a sweep (no children yet): its run dashboard can.
    connect(dashboard, &RunDashboard::sweepDetected, this, [this, dashboard](const QString& id) {
        const int index = tabs_->indexOf(dashboard);
        if (index >= 0)
            tabs_->removeTab(index);
        dashboard->deleteLater();
        openSweep(id);
    });
    return dashboard;
}

bool MainWindow::isSweepParent(const QString& runId) const {
    if (!snapshot_)
        return false;
    for (const auto& experiment : snapshot_->experiments)
        for (const RunRecord& run : experiment.runs)
            if (run.parentId == runId)
                return true;
    return false;
}

SweepDashboard* MainWindow::openSweep(const QString& sweepId) {
    for (int i = 0; i < tabs_->count(); ++i) {
        if (auto* d = qobject_cast<SweepDashboard*>(tabs_->widget(i)); d && d->sweepId() == sweepId) {
            tabs_->setCurrentIndex(i);
            return d;
        }
    }
    if (!snapshot_ && workspaceDir_.isEmpty())
        return nullptr;
    const QString root = snapshot_ ? snapshot_->root : workspaceDir_;
    auto* dashboard = new SweepDashboard(root, root + QStringLiteral("/labbench.db"), sweepId);
    addTab(dashboard, dashboard->title(), nodeIcon(QStringLiteral("experiments")));
    connect(dashboard, &SweepDashboard::titleChanged, this, [this, dashboard](const QString& t) {
        tabs_->setTabText(tabs_->indexOf(dashboard), t);
    });
    connect(dashboard, &SweepDashboard::runRequested, this, &MainWindow::openRun);
    return dashboard;
}

SweepForm* MainWindow::openSweepForm(const Estimator& estimator) {
    auto* form = new SweepForm(snapshot_ ? snapshot_->root : workspaceDir_);
    if (snapshot_) {
        QStringList targets;
        for (const ComputeTargetRecord& t : snapshot_->computeTargets)
            targets.append(t.name);
        form->setComputeTargets(targets);
    }
    form->setEstimator(estimator);
    addTab(form, form->title(), nodeIcon(QStringLiteral("experiment")));
    connect(form, &SweepForm::titleChanged, this, [this, form](const QString& title) {
        tabs_->setTabText(tabs_->indexOf(form), title);
    });
    connect(form, &SweepForm::message, this,
            [this](const QString& m) { statusBar()->showMessage(m, 6000); });
    connect(form, &SweepForm::submitted, this, [this](const QString& sweepId) {
        if (watcher_)
            watcher_->refreshNow();
        openSweep(sweepId);
    });
    return form;
}

void MainWindow::compareRuns(const QStringList& runIds) {
    if (runIds.size() < 2 || !snapshot_) {
        statusBar()->showMessage(tr("Select two or more runs in the browser to compare them."),
                                 6000);
        return;
    }
    QStringList labels;
    for (const QString& id : runIds) {
        const QModelIndex i = model_->indexOfRun(id);
        const RunRecord* r = model_->runAt(i);
        labels.append(r ? QStringLiteral("%1 #%2").arg(r->experiment).arg(r->number) : id);
    }
    auto* view = new CompareView(snapshot_->root, storePath(), runIds, labels);
    addTab(view, tr("Compare %1 runs").arg(runIds.size()), nodeIcon(QStringLiteral("experiments")));
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
    else
        event->ignore();
}

void MainWindow::dragMoveEvent(QDragMoveEvent* event) {
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    QStringList paths;
    QStringList remote;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
        else
            remote.append(url.toString());
    }
    if (!remote.isEmpty() && paths.isEmpty()) {
        statusBar()->showMessage(tr("Only local files can be dropped (got %1).")
                                     .arg(remote.join(QStringLiteral(", "))),
                                 8000);
        event->ignore();
        return;
    }
    openPaths(paths);
    event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    // Runs keep going under their supervisors; the window only stops watching them.
    QMainWindow::closeEvent(event);
}

} // namespace lb::ui
