#include "ui/main/MainWindow.h"

#include "core/live/DropPlan.h"
#include "core/live/RecentWorkspaces.h"
#include "core/live/RunActions.h"
#include "core/live/StoreWatcher.h"
#include "core/live/WorkspaceModel.h"
#include "core/store/RunDisplayName.h"
#include "core/util/Error.h"
#include "ui/browser/WorkspaceBrowser.h"
#include "ui/common/StatusIcons.h"
#include "ui/compare/CompareView.h"
#include "ui/compute/ComputeTargetActions.h"
#include "ui/endpoints/EndpointActions.h"
#include "ui/estimator/EstimatorForm.h"
#include "ui/main/QuitNotice.h"
#include "ui/main/StartupProbe.h"
#include "ui/main/StateHook.h"
#include "ui/main/TabMemory.h"
#include "ui/main/WelcomePage.h"
#include "ui/main/WorkbenchMenus.h"
#include "ui/main/WorkbenchTabs.h"
#include "ui/models/ModelActions.h"
#include "ui/run/RunDashboard.h"
#include "ui/runs/RunsTablePage.h"
#include "ui/sweep/SweepDashboard.h"
#include "ui/sweep/SweepForm.h"

#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QSet>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QTreeView>

namespace lb::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent) {
    setWindowTitle(tr("Labbench"));
    setAcceptDrops(true);
    resize(1280, 800);
    model_ = new WorkspaceModel(this);
    browser_ = new WorkspaceBrowser(model_);
    auto* welcome = new WelcomePage;
    tabs_ = new WorkbenchTabs(welcome);
    auto* split = new QSplitter;
    split->addWidget(browser_);
    split->addWidget(tabs_);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({340, 940});
    split->setChildrenCollapsible(false);
    setCentralWidget(split);

    counts_ = new QLabel;
    counts_->setObjectName(QStringLiteral("workspaceCounts")); // read by the state hook
    workspaceLabel_ = new QLabel;
    workspaceLabel_->setObjectName(QStringLiteral("muted"));
    statusBar()->addPermanentWidget(workspaceLabel_);
    statusBar()->addPermanentWidget(counts_);
    compute_ = new ComputeTargetActions(this, this); // Compute menu, browser's Compute targets node
    models_ = new ModelActions(this, this);          // Models menu and page, browser's Models node
    endpoints_ = new EndpointActions(this, this);    // Endpoints menu and page, browser's node
    buildMenus();

    connect(browser_, &WorkspaceBrowser::runActivated, this, &MainWindow::openRun);
    connect(browser_, &WorkspaceBrowser::compareRequested, this, &MainWindow::compareRuns);
    connect(browser_, &WorkspaceBrowser::newEstimatorRequested, this,
            [this] { openEstimatorForm(Estimator(), false); });
    connect(browser_, &WorkspaceBrowser::contextMenuAboutToShow, compute_,
            &ComputeTargetActions::addContextActions);
    connect(browser_, &WorkspaceBrowser::contextMenuAboutToShow, models_,
            &ModelActions::addContextActions);
    connect(browser_->view(), &QTreeView::activated, compute_, &ComputeTargetActions::activate);
    connect(browser_->view(), &QTreeView::activated, models_, &ModelActions::activate);
    connect(browser_, &WorkspaceBrowser::contextMenuAboutToShow, endpoints_,
            &EndpointActions::addContextActions);
    connect(browser_->view(), &QTreeView::activated, endpoints_, &EndpointActions::activate);
    connect(models_, &ModelActions::endpointDeployed, endpoints_,
            [this](const QString& name) { endpoints_->openEndpointsPage(name); });
    connect(welcome, &WelcomePage::newEstimatorRequested, this,
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
    StateHook::installIfRequested(this);
    StartupProbe::installIfRequested(this, browser_->view()->viewport(), this);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
    menus_ = new WorkbenchMenus(this, this);
    menus_->insertBeforeHelp(compute_->createMenu(menuBar()));
    menus_->insertBeforeHelp(models_->createMenu(menuBar()));
    menus_->insertBeforeHelp(endpoints_->createMenu(menuBar()));
    connect(menus_, &WorkbenchMenus::openWorkspaceRequested, this,
            [this](const QString& dir) { openWorkspace(dir); });
    connect(menus_, &WorkbenchMenus::createWorkspaceRequested, this, &MainWindow::openWorkspace);
    connect(menus_, &WorkbenchMenus::newEstimatorRequested, this,
            [this] { openEstimatorForm(Estimator(), false); });
    connect(menus_, &WorkbenchMenus::newSweepRequested, this,
            [this] { openSweepForm(Estimator()); });
    connect(menus_, &WorkbenchMenus::openPathsRequested, this, &MainWindow::openPaths);
    connect(menus_, &WorkbenchMenus::runsTableRequested, this, &MainWindow::openRunsTable);
    connect(menus_, &WorkbenchMenus::compareSelectedRequested, this,
            [this] { compareRuns(browser_->selectedRuns()); });
    connect(menus_, &WorkbenchMenus::refreshRequested, this, &MainWindow::refreshWorkspace);
}

QTabWidget* MainWindow::tabs() const {
    return tabs_;
}

void MainWindow::showStatusMessage(const QString& text, int timeoutMs) {
    statusBar()->showMessage(text, timeoutMs);
}

void MainWindow::refreshWorkspace() {
    if (watcher_) watcher_->refreshNow();
}

QList<QWidget*> MainWindow::pages() const {
    return tabs_->pages();
}

void MainWindow::addPage(QWidget* page, const QString& title, const QIcon& icon) {
    tabs_->addPage(page, title, icon);
}

void MainWindow::showPage(QWidget* page) {
    tabs_->setCurrentWidget(page);
}

void MainWindow::openWorkspace(const QString& dir, const QString& createName) {
    if (!workspaceDir_.isEmpty()) rememberTabs(); // the old workspace's pages, before they close
    workspaceDir_ = QDir(dir).absolutePath();
    restorePending_ = true;
    // Dashboards and comparisons belong to the old workspace; forms stay and follow the new one.
    for (QWidget* page : tabs_->pages()) {
        if (auto* form = qobject_cast<EstimatorForm*>(page)) {
            form->setActions(nullptr);
        } else if (auto* sweepForm = qobject_cast<SweepForm*>(page)) {
            sweepForm->setWorkspaceRoot(workspaceDir_); // sweep forms stay too
        } else if (page != tabs_->startPage()) {
            tabs_->removeTab(tabs_->indexOf(page));
            delete page;
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
            return QVariant::fromValue(WorkspaceSnapshotPtr(
                std::make_shared<WorkspaceSnapshot>(WorkspaceSnapshot::load(w))));
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
    for (QWidget* page : tabs_->pages()) {
        if (auto* form = qobject_cast<EstimatorForm*>(page))
            form->setActions(actions_); // forms now submit to this workspace
    }
    setWindowTitle(tr("Labbench — %1").arg(QFileInfo(workspaceDir_).fileName()));
}

void MainWindow::onSnapshot(const WorkspaceSnapshotPtr& snapshot) {
    if (!snapshot) return;
    const bool first = !snapshot_;
    snapshot_ = snapshot;
    browser_->showError(QString());
    browser_->setWorkspaceName(snapshot->name);
    model_->setSnapshot(snapshot);
    counts_->setText(countsText());
    if (first) {
        RecentWorkspaces::add(snapshot->root);
        menus_->rebuildRecent();
        setWindowTitle(tr("Labbench — %1").arg(snapshot->name));
    }
    if (restorePending_) {
        restorePending_ = false;
        restoreTabs();
    }
    const QStringList targets = targetNames();
    const QStringList slurm = slurmTargetNames();
    for (QWidget* page : tabs_->pages()) {
        if (auto* form = qobject_cast<EstimatorForm*>(page)) {
            form->setComputeTargets(targets);
            form->setSlurmTargets(slurm);
        } else if (auto* sweepForm = qobject_cast<SweepForm*>(page)) {
            sweepForm->setComputeTargets(targets);
            sweepForm->estimatorForm()->setSlurmTargets(slurm);
        }
    }
}

QStringList MainWindow::targetNames() const {
    QStringList names;
    if (snapshot_)
        for (const ComputeTargetRecord& t : snapshot_->computeTargets)
            names.append(t.name);
    return names;
}

QStringList MainWindow::slurmTargetNames() const {
    QStringList names;
    if (snapshot_)
        for (const ComputeTargetRecord& t : snapshot_->computeTargets)
            if (t.kind == QLatin1String("slurm"))
                names.append(t.name);
    return names;
}

QString MainWindow::countsText() const {
    if (!snapshot_) return {};
    return tr("● %1 running   ○ %2 queued").arg(snapshot_->running).arg(snapshot_->queued);
}

EstimatorForm* MainWindow::openEstimatorForm(const Estimator& estimator, bool readArguments) {
    auto* form = new EstimatorForm(actions_);
    if (snapshot_) form->setComputeTargets(targetNames());
    form->setSlurmTargets(slurmTargetNames());
    form->setEstimator(estimator, readArguments);
    tabs_->addPage(form, form->title(), nodeIcon(QStringLiteral("experiment")));
    tabs_->followTitle(form, &EstimatorForm::titleChanged);
    connect(form, &EstimatorForm::message, this,
            [this](const QString& m) { statusBar()->showMessage(m, 6000); });
    connect(form, &EstimatorForm::sweepRequested, this,
            [this](const Estimator& e) { openSweepForm(e); });
    connect(form, &EstimatorForm::submitted, this, [this](const QString& runId) {
        refreshWorkspace();
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
    if (!refused.isEmpty()) statusBar()->showMessage(refused.join(QLatin1Char(' ')), 10000);
    return forms;
}

RunDashboard* MainWindow::openRun(const QString& runId) {
    if (auto* open =
            tabs_->raise<RunDashboard>([&](const RunDashboard& d) { return d.runId() == runId; }))
        return open;
    if (!snapshot_ && workspaceDir_.isEmpty()) return nullptr;
    if (isSweepParent(runId)) {
        openSweep(runId); // a sweep's parent has a dashboard of its own
        return nullptr;
    }
    const QString root = snapshot_ ? snapshot_->root : workspaceDir_;
    auto* dashboard =
        new RunDashboard(root, root + QStringLiteral("/labbench.db"), runId, actions_);
    tabs_->addPage(dashboard, runId, statusIcon(QStringLiteral("Running")));
    tabs_->followTitle(dashboard, &RunDashboard::titleChanged);
    connect(dashboard, &RunDashboard::cloneRequested, this,
            [this](const Estimator& e) { openEstimatorForm(e, false); });
    connect(dashboard, &RunDashboard::message, this,
            [this](const QString& m) { statusBar()->showMessage(m, 8000); });
    connect(dashboard, &RunDashboard::modelRequested, this,
            [this](const QString& name, int version) { models_->openModelsPage(name, version); });
    // The browser cannot always tell a sweep (no children yet): its run dashboard can.
    connect(dashboard, &RunDashboard::sweepDetected, this, [this, dashboard](const QString& id) {
        tabs_->closePage(dashboard);
        openSweep(id);
    });
    return dashboard;
}

bool MainWindow::isSweepParent(const QString& runId) const {
    if (!snapshot_) return false;
    for (const auto& experiment : snapshot_->experiments)
        for (const RunRecord& run : experiment.runs)
            if (run.parentId == runId) return true;
    return false;
}

SweepDashboard* MainWindow::openSweep(const QString& sweepId) {
    if (auto* open = tabs_->raise<SweepDashboard>(
            [&](const SweepDashboard& d) { return d.sweepId() == sweepId; }))
        return open;
    if (!snapshot_ && workspaceDir_.isEmpty()) return nullptr;
    const QString root = snapshot_ ? snapshot_->root : workspaceDir_;
    auto* dashboard = new SweepDashboard(root, root + QStringLiteral("/labbench.db"), sweepId);
    tabs_->addPage(dashboard, dashboard->title(), nodeIcon(QStringLiteral("experiments")));
    tabs_->followTitle(dashboard, &SweepDashboard::titleChanged);
    connect(dashboard, &SweepDashboard::runRequested, this, &MainWindow::openRun);
    return dashboard;
}

SweepForm* MainWindow::openSweepForm(const Estimator& estimator) {
    auto* form = new SweepForm(snapshot_ ? snapshot_->root : workspaceDir_);
    if (snapshot_) form->setComputeTargets(targetNames());
    form->estimatorForm()->setSlurmTargets(slurmTargetNames());
    form->setEstimator(estimator);
    tabs_->addPage(form, form->title(), nodeIcon(QStringLiteral("experiment")));
    tabs_->followTitle(form, &SweepForm::titleChanged);
    connect(form, &SweepForm::message, this,
            [this](const QString& m) { statusBar()->showMessage(m, 6000); });
    connect(form, &SweepForm::submitted, this, [this](const QString& sweepId) {
        refreshWorkspace();
        openSweep(sweepId);
    });
    return form;
}

void MainWindow::openRunsTable() {
    for (QWidget* page : tabs_->pages())
        if (qobject_cast<RunsTablePage*>(page)) {
            showPage(page);
            return;
        }
    auto* table = new RunsTablePage(workspaceDir());
    connect(table, &RunsTablePage::openRunRequested, this, &MainWindow::showRun);
    connect(table, &RunsTablePage::compareRequested, this, &MainWindow::compareRuns);
    tabs_->addPage(table, tr("Runs"), nodeIcon(QStringLiteral("experiments")));
}

void MainWindow::compareRuns(const QStringList& runIds) {
    if (runIds.size() < 2 || !snapshot_) {
        statusBar()->showMessage(tr("Select two or more runs in the browser to compare them."),
                                 6000);
        return;
    }
    // Legends name runs as the tree does (#23 item 10); a run not in the tree yet by its id.
    QList<RunRecord> runs;
    for (const QString& id : runIds) {
        const RunRecord* r = model_->runAt(model_->indexOfRun(id));
        RunRecord known = r ? *r : RunRecord();
        if (!r) {
            known.id = id;
            known.name = id;
        }
        runs.append(known);
    }
    const QStringList labels = distinctRunDisplayNames(runs);
    auto* view = new CompareView(snapshot_->root, snapshot_->root + QStringLiteral("/labbench.db"),
                                 runIds, labels);
    tabs_->addPage(view, tr("Compare %1 runs").arg(runIds.size()),
                   nodeIcon(QStringLiteral("experiments")));
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
    else
        event->ignore();
}

void MainWindow::dragMoveEvent(QDragMoveEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
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
        statusBar()->showMessage(
            tr("Only local files can be dropped (got %1).").arg(remote.join(QStringLiteral(", "))),
            8000);
        event->ignore();
        return;
    }
    openPaths(paths);
    event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    // Runs keep going under their supervisors; the window only stops watching them, and says so
    // (and where to find them) before it goes.
    const int running = snapshot_ ? snapshot_->running : 0;
    const int queued = snapshot_ ? snapshot_->queued : 0;
    if (!confirmQuitWithActiveRuns(this, running, queued, workspaceDir_)) {
        event->ignore();
        return;
    }
    rememberTabs();
    QMainWindow::closeEvent(event);
}

void MainWindow::rememberTabs() const {
    TabMemory::save(workspaceDir_, TabMemory::describe(*tabs_));
}

void MainWindow::restoreTabs() {
    const OpenTabs open = TabMemory::load(workspaceDir_);
    if (open.pages.isEmpty() || !snapshot_) return;
    QSet<QString> runs; // a run deleted since is not reopened
    for (const auto& experiment : snapshot_->experiments)
        for (const RunRecord& run : experiment.runs)
            runs.insert(run.id);
    QSet<QString> shown; // forms stay open across workspaces: one kept here is not opened twice
    for (QWidget* page : tabs_->pages())
        shown.insert(TabMemory::describePage(page));
    QWidget* front = tabs_->startPage();
    for (qsizetype i = 0; i < open.pages.size(); ++i) {
        const QString& what = open.pages[i];
        const QString id = TabMemory::pageArgument(what);
        QWidget* page = nullptr;
        if (what.startsWith(QLatin1String("run:")) && runs.contains(id)) {
            page = openRun(id);
        } else if (what.startsWith(QLatin1String("sweep:")) && runs.contains(id)) {
            page = openSweep(id);
        } else if (what == QLatin1String("runs")) {
            openRunsTable();
            page = tabs_->currentWidget();
        } else if (what.startsWith(QLatin1String("compare:"))) {
            QStringList ids = id.split(QLatin1Char(','), Qt::SkipEmptyParts);
            ids.removeIf([&](const QString& run) { return !runs.contains(run); });
            if (ids.size() >= 2) {
                compareRuns(ids);
                page = tabs_->currentWidget();
            }
        } else if (const auto estimator = TabMemory::estimatorOf(what);
                   estimator && !shown.contains(what)) {
            page = openEstimatorForm(*estimator, false);
        }
        if (page && i == open.current) front = page;
    }
    tabs_->setCurrentWidget(front);
}

} // namespace lb::ui
