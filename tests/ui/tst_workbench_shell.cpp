// The workbench's action helpers work through WorkbenchShell alone (#21): a bare shell that
// records what it is asked stands where the window would, over a real workspace and store.
// ComputeTargetActions removes and tests targets and says so in the status bar, asking the shell
// to reload after a write; ModelActions opens one Models page through the shell and sends its
// run links back to it; both add their actions to the browser's context menu and their menus.
// The last test checks that MainWindow is such a shell.
#include "core/compute/TargetAdmin.h"
#include "core/compute/TargetSettings.h"
#include "core/live/WorkspaceModel.h"
#include "tests/ui/UiTestSupport.h"
#include "ui/compute/ComputeTargetActions.h"
#include "ui/compute/ComputeTargetDialog.h"
#include "ui/main/MainWindow.h"
#include "ui/main/WorkbenchShell.h"
#include "ui/models/ModelActions.h"
#include "ui/models/ModelsPage.h"
#include "ui/run/RunDashboard.h"

#include <QIcon>
#include <QMenu>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTest>

using namespace lb;
using namespace lb::ui;

namespace {

// A shell with no window around it: it keeps what the helpers ask for, for the test to check.
class RecordingShell : public QWidget, public WorkbenchShell {
public:
    WorkspaceSnapshotPtr loaded;
    QString folder;
    QStringList messages;
    int refreshes = 0;
    QStringList runsShown;
    QList<QWidget*> open;
    QWidget* front = nullptr;

    WorkspaceSnapshotPtr snapshot() const override { return loaded; }
    QString workspaceDir() const override { return folder; }
    void showStatusMessage(const QString& text, int) override { messages.append(text); }
    void refreshWorkspace() override { ++refreshes; }
    void showRun(const QString& runId) override { runsShown.append(runId); }
    QList<QWidget*> pages() const override { return open; }
    void addPage(QWidget* page, const QString&, const QIcon&) override {
        page->setParent(this);
        open.append(page);
        front = page;
    }
    void showPage(QWidget* page) override { front = page; }
    QWidget* dialogParent() override { return this; }
};

QStringList actionTexts(const QMenu& menu) {
    QStringList texts;
    for (const QAction* a : menu.actions())
        if (!a->isSeparator()) texts.append(a->text());
    return texts;
}

} // namespace

class TestWorkbenchShell : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void removeSaysSoAndAsksTheShellToReload();
    void testAnswersInTheStatusBarWithoutAReload();
    void withoutAWorkspaceTheHelpersSaySo();
    void dialogsOpenOverTheShell();
    void modelsPageOpensOnceAndSendsRunLinksToTheShell();
    void browserNodesAndMenusOfferTheHelpersActions();
    void mainWindowIsTheShell();

private:
    void reload() {
        shell_->loaded = std::make_shared<WorkspaceSnapshot>(WorkspaceSnapshot::load(*ws_));
        shell_->folder = ws_->root();
    }
    std::unique_ptr<QTemporaryDir> dir_;
    std::unique_ptr<Workspace> ws_;
    std::unique_ptr<RecordingShell> shell_;
};

void TestWorkbenchShell::init() {
    dir_ = std::make_unique<QTemporaryDir>();
    ws_ = std::make_unique<Workspace>(
        Workspace::create(dir_->filePath(QStringLiteral("ws")), QStringLiteral("shell")));
    const TargetDraft draft = draftComputeTarget(
        QStringLiteral("local"), {{QStringLiteral("name"), QStringLiteral("cpu-pool")},
                                  {QStringLiteral("max-concurrent"), QStringLiteral("2")}});
    QVERIFY2(draft.ok(), qPrintable(draft.problems.value(0).message));
    createComputeTarget(*ws_, draft.record);
    shell_ = std::make_unique<RecordingShell>();
    reload();
}

void TestWorkbenchShell::cleanup() {
    shell_.reset();
    ws_.reset();
    dir_.reset();
}

void TestWorkbenchShell::removeSaysSoAndAsksTheShellToReload() { // #21
    ComputeTargetActions actions(shell_.get(), nullptr);
    QSignalSpy removed(&actions, &ComputeTargetActions::removeFinished);
    actions.removeTarget(QStringLiteral("cpu-pool"), false);
    QVERIFY(removed.wait(10000));
    QCOMPARE(removed.last().at(1).toString(), QString());
    QCOMPARE(shell_->messages.last(), QStringLiteral("Removed compute target 'cpu-pool'."));
    QCOMPARE(shell_->refreshes, 1);
    QVERIFY(!ws_->store().computeTargets().find(QStringLiteral("cpu-pool")));

    // The default target is refused with the reason, and nothing changed, so no reload.
    actions.removeTarget(QStringLiteral("local"), false);
    QVERIFY(removed.wait(10000));
    QVERIFY(shell_->messages.last().contains(QLatin1String("default")));
    QCOMPARE(removed.last().at(1).toString(), shell_->messages.last());
    QCOMPARE(shell_->refreshes, 1);
    QVERIFY(ws_->store().computeTargets().find(QStringLiteral("local")));
}

void TestWorkbenchShell::testAnswersInTheStatusBarWithoutAReload() { // #21
    ComputeTargetActions actions(shell_.get(), nullptr);
    QSignalSpy tested(&actions, &ComputeTargetActions::testFinished);
    actions.testTarget(QStringLiteral("cpu-pool"));
    QCOMPARE(shell_->messages.value(0), QStringLiteral("Testing compute target 'cpu-pool'…"));
    QVERIFY(tested.wait(15000));
    QVERIFY2(tested.first().at(1).toBool(), qPrintable(tested.first().at(2).toString()));
    QVERIFY2(shell_->messages.last().startsWith(QStringLiteral("'cpu-pool' OK: ")),
             qPrintable(shell_->messages.last()));
    QCOMPARE(shell_->refreshes, 0);
}

void TestWorkbenchShell::withoutAWorkspaceTheHelpersSaySo() { // #21
    shell_->loaded.reset();
    shell_->folder.clear();
    ComputeTargetActions compute(shell_.get(), nullptr);
    QCOMPARE(compute.newTarget(QStringLiteral("local")), nullptr);
    QCOMPARE(shell_->messages.last(),
             QStringLiteral("Open a workspace first: compute targets belong to one."));
    QCOMPARE(compute.editTarget(QStringLiteral("cpu-pool")), nullptr);
    ModelActions models(shell_.get(), nullptr);
    QCOMPARE(models.openModelsPage(), nullptr);
    QCOMPARE(shell_->messages.last(),
             QStringLiteral("Open a workspace first: models belong to one."));
    QVERIFY(shell_->open.isEmpty());
    QCOMPARE(shell_->refreshes, 0);
}

void TestWorkbenchShell::dialogsOpenOverTheShell() { // #21
    ComputeTargetActions actions(shell_.get(), nullptr);
    ComputeTargetDialog* edit = actions.editTarget(QStringLiteral("cpu-pool"));
    QVERIFY(edit);
    QCOMPARE(edit->parentWidget(), shell_.get());
    QCOMPARE(edit->value(QStringLiteral("max-concurrent")), QStringLiteral("2"));
    edit->close();
    QCOMPARE(actions.editTarget(QStringLiteral("nope")), nullptr);
    QCOMPARE(shell_->messages.last(),
             QStringLiteral("There is no compute target 'nope' in this workspace."));
    ComputeTargetDialog* created = actions.newTarget(QStringLiteral("local"));
    QVERIFY(created);
    QCOMPARE(created->parentWidget(), shell_.get());
    created->close();
}

void TestWorkbenchShell::modelsPageOpensOnceAndSendsRunLinksToTheShell() { // #21
    ModelActions actions(shell_.get(), nullptr);
    ModelsPage* page = actions.openModelsPage();
    QVERIFY(page);
    QVERIFY(shell_->open == QList<QWidget*>{page});
    QCOMPARE(shell_->front, page);
    shell_->front = nullptr;
    QCOMPARE(actions.openModelsPage(QStringLiteral("mnist"), 2), page); // the same page again
    QCOMPARE(shell_->open.size(), 1);
    QCOMPARE(shell_->front, page);
    emit page->runRequested(QStringLiteral("exp_run_0001"));
    QCOMPARE(shell_->runsShown, QStringList{QStringLiteral("exp_run_0001")});
}

void TestWorkbenchShell::browserNodesAndMenusOfferTheHelpersActions() { // #21
    ComputeTargetActions compute(shell_.get(), nullptr);
    ModelActions models(shell_.get(), nullptr);
    WorkspaceModel tree;
    tree.setSnapshot(shell_->loaded);
    QModelIndex targets, target, modelsNode;
    for (int r = 0; r < tree.rowCount(); ++r) {
        const QModelIndex category = tree.index(r, 0);
        const QString key = category.data(WorkspaceModel::KeyRole).toString();
        if (key == QLatin1String("targets"))
            targets = category;
        else if (key == QLatin1String("models"))
            modelsNode = category;
    }
    QVERIFY(targets.isValid() && modelsNode.isValid());
    for (int r = 0; r < tree.rowCount(targets); ++r)
        if (tree.index(r, 0, targets).data(WorkspaceModel::KeyRole) == QLatin1String("cpu-pool"))
            target = tree.index(r, 0, targets);
    QVERIFY(target.isValid());

    // Each helper adds its actions to the context menu of its own nodes only.
    QMenu onTarget;
    compute.addContextActions(&onTarget, target);
    models.addContextActions(&onTarget, target);
    QCOMPARE(
        actionTexts(onTarget),
        (QStringList{QStringLiteral("Edit cpu-pool…"), QStringLiteral("Test connection"),
                     QStringLiteral("Remove cpu-pool…"), QStringLiteral("New compute target")}));
    QMenu onModels;
    compute.addContextActions(&onModels, modelsNode);
    models.addContextActions(&onModels, modelsNode);
    QCOMPARE(actionTexts(onModels), QStringList{QStringLiteral("Show in Models page")});

    // Activating a models node opens the page through the shell; a target node is not theirs.
    models.activate(target);
    QVERIFY(shell_->open.isEmpty());
    models.activate(modelsNode);
    QCOMPARE(shell_->open.size(), 1);
    QVERIFY(qobject_cast<ModelsPage*>(shell_->open.front()));

    // The Compute menu lists the shell's targets when it opens.
    std::unique_ptr<QMenu> menu(compute.createMenu(nullptr));
    QCOMPARE(menu->title(), QStringLiteral("&Compute"));
    emit menu->aboutToShow();
    QMenu* edit = nullptr;
    for (QAction* a : menu->actions())
        if (a->text() == QLatin1String("&Edit target")) edit = a->menu();
    QVERIFY(edit);
    QStringList listed = actionTexts(*edit);
    listed.sort();
    QCOMPARE(listed, (QStringList{QStringLiteral("cpu-pool"), QStringLiteral("local")}));
    std::unique_ptr<QMenu> modelsMenu(models.createMenu(nullptr));
    QCOMPARE(actionTexts(*modelsMenu), QStringList{QStringLiteral("Show registered &models")});
}

void TestWorkbenchShell::mainWindowIsTheShell() { // #21
    const RunRecord run = test::addRun(*ws_, QStringLiteral("exp"), RunStatus::Completed);
    MainWindow w;
    WorkbenchShell& shell = w;
    w.openWorkspace(ws_->root());
    QCOMPARE(shell.workspaceDir(), QDir(ws_->root()).absolutePath());
    QVERIFY(QTest::qWaitFor([&] { return shell.snapshot() != nullptr; }, 5000));
    QCOMPARE(shell.snapshot()->name, QStringLiteral("shell"));
    shell.showStatusMessage(QStringLiteral("hello"), 5000);
    QCOMPARE(w.statusBar()->currentMessage(), QStringLiteral("hello"));
    QCOMPARE(shell.dialogParent(), &w);

    auto* page = new QWidget;
    shell.addPage(page, QStringLiteral("Page"), QIcon());
    QCOMPARE(w.tabs()->currentWidget(), page);
    QCOMPARE(w.tabs()->tabText(w.tabs()->currentIndex()), QStringLiteral("Page"));
    QVERIFY(shell.pages().contains(page));
    shell.showRun(run.id);
    auto* dashboard = qobject_cast<RunDashboard*>(w.tabs()->currentWidget());
    QVERIFY(dashboard);
    QCOMPARE(dashboard->runId(), run.id);
    shell.showPage(page);
    QCOMPARE(w.tabs()->currentWidget(), page);
    shell.showRun(run.id); // the open dashboard comes to the front, no second one
    QCOMPARE(w.tabs()->currentWidget(), dashboard);
    QCOMPARE(shell.pages().size(), 3); // start, page, dashboard

    // A reload on request loads the workspace again though nothing changed in the store.
    const WorkspaceSnapshotPtr before = shell.snapshot();
    shell.refreshWorkspace();
    QVERIFY(QTest::qWaitFor([&] { return shell.snapshot() != before; }, 5000));
    QCOMPARE(shell.snapshot()->computeTargets.size(), before->computeTargets.size());
}

QTEST_MAIN(TestWorkbenchShell)
#include "tst_workbench_shell.moc"
