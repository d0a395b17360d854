#include "ui/endpoints/EndpointActions.h"

#include "core/live/WorkspaceModel.h"
#include "ui/common/StatusIcons.h"
#include "ui/endpoints/EndpointsPage.h"
#include "ui/main/WorkbenchShell.h"

#include <QMenu>

namespace lb::ui {

namespace {

using Kind = WorkspaceModel::NodeKind;

bool isEndpointNode(const QModelIndex& index) {
    if (!index.isValid()) return false;
    const auto k = static_cast<Kind>(index.data(WorkspaceModel::KindRole).toInt());
    return k == Kind::Endpoint ||
           (k == Kind::Category &&
            index.data(WorkspaceModel::KeyRole).toString() == QLatin1String("endpoints"));
}

// The endpoint a node names; empty for the category.
QString endpointOf(const QModelIndex& index) {
    const auto k = static_cast<Kind>(index.data(WorkspaceModel::KindRole).toInt());
    return k == Kind::Endpoint ? index.data(WorkspaceModel::KeyRole).toString() : QString();
}

} // namespace

EndpointActions::EndpointActions(WorkbenchShell* shell, QObject* parent)
    : QObject(parent)
    , shell_(shell) {}

QMenu* EndpointActions::createMenu(QWidget* parent) {
    auto* menu = new QMenu(tr("&Endpoints"), parent);
    menu->addAction(tr("Show &endpoints"), this, [this] { openEndpointsPage(); });
    return menu;
}

void EndpointActions::activate(const QModelIndex& index) {
    if (isEndpointNode(index)) openEndpointsPage(endpointOf(index));
}

void EndpointActions::addContextActions(QMenu* menu, const QModelIndex& index) {
    if (!isEndpointNode(index)) return;
    menu->addSeparator();
    const QString name = endpointOf(index);
    menu->addAction(tr("Show in Endpoints page"), this, [this, name] { openEndpointsPage(name); });
}

EndpointsPage* EndpointActions::openEndpointsPage(const QString& name) {
    EndpointsPage* page = nullptr;
    for (QWidget* open : shell_->pages())
        if ((page = qobject_cast<EndpointsPage*>(open))) break;
    if (!page) {
        const WorkspaceSnapshotPtr snapshot = shell_->snapshot();
        const QString root = snapshot ? snapshot->root : shell_->workspaceDir();
        if (root.isEmpty()) {
            shell_->showStatusMessage(tr("Open a workspace first: endpoints belong to one."), 6000);
            return nullptr;
        }
        page = new EndpointsPage(root);
        shell_->addPage(page, tr("Endpoints"), nodeIcon(QStringLiteral("endpoints")));
    }
    shell_->showPage(page);
    if (!name.isEmpty()) {
        page->selectEndpoint(name);
        page->refresh(); // a deploy just wrote it: list it now, not at the next poll
    }
    return page;
}

} // namespace lb::ui
