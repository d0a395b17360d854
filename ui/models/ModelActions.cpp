#include "ui/models/ModelActions.h"

#include "core/live/WorkspaceModel.h"
#include "ui/common/StatusIcons.h"
#include "ui/main/WorkbenchShell.h"
#include "ui/models/ModelsPage.h"

#include <QMenu>

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

ModelActions::ModelActions(WorkbenchShell* shell, QObject* parent)
    : QObject(parent)
    , shell_(shell) {}

QMenu* ModelActions::createMenu(QWidget* parent) {
    auto* menu = new QMenu(tr("&Models"), parent);
    menu->addAction(tr("Show registered &models"), this, [this] { openModelsPage(); });
    return menu;
}

void ModelActions::activate(const QModelIndex& index) {
    if (isModelNode(index)) openFromIndex(index);
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

void ModelActions::addContextActions(QMenu* menu, const QModelIndex& index) {
    if (!isModelNode(index)) return;
    menu->addSeparator();
    const QPersistentModelIndex at(index);
    menu->addAction(tr("Show in Models page"), this, [this, at] {
        if (at.isValid()) openFromIndex(at);
    });
}

ModelsPage* ModelActions::openModelsPage(const QString& name, int version) {
    ModelsPage* page = nullptr;
    for (QWidget* open : shell_->pages())
        if ((page = qobject_cast<ModelsPage*>(open))) break;
    if (!page) {
        const WorkspaceSnapshotPtr snapshot = shell_->snapshot();
        const QString root = snapshot ? snapshot->root : shell_->workspaceDir();
        if (root.isEmpty()) {
            shell_->showStatusMessage(tr("Open a workspace first: models belong to one."), 6000);
            return nullptr;
        }
        page = new ModelsPage(root);
        shell_->addPage(page, tr("Models"), nodeIcon(QStringLiteral("model")));
        connect(page, &ModelsPage::runRequested, this,
                [this](const QString& runId) { shell_->showRun(runId); });
        connect(page, &ModelsPage::endpointDeployed, this, &ModelActions::endpointDeployed);
    }
    shell_->showPage(page);
    if (!name.isEmpty()) page->selectModel(name, version);
    return page;
}

} // namespace lb::ui
