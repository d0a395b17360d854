#include "ui/main/WorkbenchMenus.h"

#include "core/live/RecentWorkspaces.h"
#include "core/workspace/WorkspaceConfig.h"
#include "ui/main/HelpPages.h"
#include "ui/main/WorkbenchShell.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>

namespace lb::ui {

WorkbenchMenus::WorkbenchMenus(QMainWindow* window, WorkbenchShell* shell)
    : QObject(window)
    , window_(window)
    , shell_(shell) {
    buildFileMenu();
    QMenu* runs = window_->menuBar()->addMenu(tr("&Runs"));
    runs->addAction(tr("Runs &table"), QKeySequence(QStringLiteral("Ctrl+Shift+R")), this,
                    &WorkbenchMenus::runsTableRequested);
    runs->addAction(tr("Compare selected runs"), this, &WorkbenchMenus::compareSelectedRequested);
    runs->addAction(tr("Refresh"), QKeySequence::Refresh, this, &WorkbenchMenus::refreshRequested);
    help_ = window_->menuBar()->addMenu(tr("&Help"));
    help_->addAction(tr("&Getting started"), QKeySequence::HelpContents, this, [this] {
        showHelpPage(window_, tr("Getting started"), gettingStartedHtml(),
                     QStringLiteral("gettingStarted"));
    });
    // Read when asked, so the menus the helpers added later are in it too.
    help_->addAction(tr("&Keyboard shortcuts"), this, [this] {
        showHelpPage(window_, tr("Keyboard shortcuts"), keyboardShortcutsHtml(window_->menuBar()),
                     QStringLiteral("keyboardShortcuts"));
    });
    help_->addSeparator();
    help_->addAction(tr("About Labbench"), this, [this] {
        QMessageBox::about(window_, tr("About Labbench"),
                           tr("<b>Labbench</b> — the Azure ML estimator workflow on your own "
                              "machines.<br>Drop a training script on the window to start."));
    });
    rebuildRecent();
}

void WorkbenchMenus::buildFileMenu() {
    QMenu* file = window_->menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New workspace…"), this, &WorkbenchMenus::askForNewWorkspace);
    file->addAction(tr("&Open workspace…"), QKeySequence::Open, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(window_, tr("Open workspace"),
                                                              shell_->workspaceDir());
        if (!dir.isEmpty()) emit openWorkspaceRequested(dir);
    });
    recent_ = file->addMenu(tr("Recent workspaces"));
    file->addSeparator();
    file->addAction(tr("New &estimator"), QKeySequence::New, this,
                    &WorkbenchMenus::newEstimatorRequested);
    file->addAction(tr("New s&weep"), this, &WorkbenchMenus::newSweepRequested);
    file->addAction(tr("Open &script or estimator…"), this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(
            window_, tr("Open script or estimator"), QString(),
            tr("Scripts and estimators (*.py *.sh *.json);;All files (*)"));
        emit openPathsRequested(files);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, window_, &QWidget::close);
}

void WorkbenchMenus::insertBeforeHelp(QMenu* menu) {
    window_->menuBar()->insertMenu(help_->menuAction(), menu);
}

void WorkbenchMenus::rebuildRecent() {
    recent_->clear();
    const QStringList recent = RecentWorkspaces::list();
    for (const QString& dir : recent)
        recent_->addAction(dir, this, [this, dir] { emit openWorkspaceRequested(dir); });
    recent_->setEnabled(!recent.isEmpty());
}

void WorkbenchMenus::askForNewWorkspace() {
    const QString dir =
        QFileDialog::getExistingDirectory(window_, tr("Folder for the new workspace"));
    if (dir.isEmpty()) return;
    bool ok = false;
    const QString name = QInputDialog::getText(window_, tr("New workspace"), tr("Name"),
                                               QLineEdit::Normal, QFileInfo(dir).fileName(), &ok);
    if (!ok) return;
    if (!isValidWorkspaceName(name)) {
        shell_->showStatusMessage(tr("A workspace name has 1–64 letters, digits, '-', '_', '.' "
                                     "or spaces."),
                                  8000);
        return;
    }
    emit createWorkspaceRequested(dir, name);
}

} // namespace lb::ui
