#include "ui/models/ModelActions.h"

#include "ui/browser/WorkspaceBrowser.h"
#include "ui/common/StatusIcons.h"
#include "core/live/WorkspaceModel.h"
#include "ui/main/MainWindow.h"
#include "ui/models/ModelsPage.h"

#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeView>

namespace lb::ui {

namespace {

using Kind = WorkspaceModel::NodeKind;

Kind kindOf(const QModelIndex& index) {
    return static_cast<Kind>(index.data(WorkspaceModel::KindRole).toInt());
}

bool isModelNode(const QModelIndex& index) {
    if (!index.isValid()) return false;
    const Kind k = kindOf(index);
    return k == Kind::Model || k == Kind::ModelVersion ||
           (k == Kind::Category &&
            index.data(WorkspaceModel::KeyRole).toString() == QLatin1String("models"));
}

} // namespace

ModelActions::ModelActions(MainWindow* window)
    : QObject(window)
    , window_(window) {
    QMenuBar* bar = window->menuBar();
    auto* menu = new QMenu(tr("&Models"), bar);
    // Before Help, which stays last.
    bar->insertMenu(bar->actions().isEmpty() ? nullptr : bar->actions().last(), menu);
    menu->addAction(tr("Show registered &models"), this, [this] { openModelsPage(); });
    connect(window->browser(), &WorkspaceBrowser::contextMenuAboutToShow, this,
            &ModelActions::addMenuActions);
    connect(window->browser()->view(), &QTreeView::activated, this,
            [this](const QModelIndex& index) {
                if (isModelNode(index)) openFromIndex(index);
            });
}

void ModelActions::openFromIndex(const QModelIndex& index) {
    const Kind k = kindOf(index);
    const QString key = index.data(WorkspaceModel::KeyRole).toString();
    if (k == Kind::ModelVersion)
        openModelsPage(key.section(QLatin1Char(':'), 0, 0),
                       index.data(WorkspaceModel::VersionRole).toInt());
    else if (k == Kind::Model)
        openModelsPage(key);
    else
        openModelsPage();
}

void ModelActions::addMenuActions(QMenu* menu, const QModelIndex& index) {
    if (!isModelNode(index)) return;
    menu->addSeparator();
    const QPersistentModelIndex at(index);
    menu->addAction(tr("Show in Models page"), this, [this, at] {
        if (at.isValid()) openFromIndex(at);
    });
}

ModelsPage* ModelActions::openModelsPage(const QString& name, int version) {
    QTabWidget* tabs = window_->tabs();
    ModelsPage* page = nullptr;
    for (int i = 0; i < tabs->count() && !page; ++i)
        page = qobject_cast<ModelsPage*>(tabs->widget(i));
    if (!page) {
        const QString root =
            window_->snapshot() ? window_->snapshot()->root : window_->workspaceDir();
        if (root.isEmpty()) {
            window_->statusBar()->showMessage(tr("Open a workspace first: models belong to one."),
                                              6000);
            return nullptr;
        }
        page = new ModelsPage(root);
        tabs->addTab(page, nodeIcon(QStringLiteral("model")), tr("Models"));
        connect(page, &ModelsPage::runRequested, window_, &MainWindow::openRun);
    }
    tabs->setCurrentWidget(page);
    if (!name.isEmpty()) page->selectModel(name, version);
    return page;
}

} // namespace lb::ui
