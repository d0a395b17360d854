#pragma once
// The workbench's ways to the Endpoints page: the Endpoints menu, the browser's Endpoints node
// or one endpoint (double-click or context menu), and a model version just deployed from the
// Models page (Deploy…), each of which opens the page on that endpoint. Like the other helpers
// it knows the window only as a WorkbenchShell.

#include <QObject>

class QMenu;
class QModelIndex;
class QWidget;

namespace lb::ui {

class EndpointsPage;
class WorkbenchShell;

class EndpointActions : public QObject {
    Q_OBJECT
public:
    // `shell` outlives the actions (it is usually their parent too).
    EndpointActions(WorkbenchShell* shell, QObject* parent);

    // The Endpoints menu.
    QMenu* createMenu(QWidget* parent);
    // For the browser: "Show in Endpoints page" on an endpoints node, just before its context
    // menu opens; and what activating (double-clicking) one does.
    void addContextActions(QMenu* menu, const QModelIndex& index);
    void activate(const QModelIndex& index);
    // The Endpoints tab (opened once per workspace), with `name` selected when given. Null
    // without a workspace.
    EndpointsPage* openEndpointsPage(const QString& name = {});

private:
    WorkbenchShell* shell_ = nullptr;
};

} // namespace lb::ui
