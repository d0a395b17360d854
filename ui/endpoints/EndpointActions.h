#pragma once
// The workbench's ways to the Endpoints page: the Endpoints menu, and a model version just
// deployed from the Models page (Deploy…), which opens the page on its endpoint. Like the other
// helpers it knows the window only as a WorkbenchShell.

#include <QObject>

class QMenu;
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
    // The Endpoints tab (opened once per workspace), with `name` selected when given. Null
    // without a workspace.
    EndpointsPage* openEndpointsPage(const QString& name = {});

private:
    WorkbenchShell* shell_ = nullptr;
};

} // namespace lb::ui
