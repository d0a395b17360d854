#pragma once
// The workbench's ways to the Models page: the Models menu, and the browser's Models node, a
// model or one of its versions (double-click or context menu) — which opens the page on that
// version. Source-run links on the page open the run's dashboard. It knows the window only as
// a WorkbenchShell.

#include <QObject>

class QMenu;
class QModelIndex;
class QWidget;

namespace lb::ui {

class ModelsPage;
class WorkbenchShell;

class ModelActions : public QObject {
    Q_OBJECT
public:
    // `shell` outlives the actions (it is usually their parent too).
    ModelActions(WorkbenchShell* shell, QObject* parent);

    // The Models menu.
    QMenu* createMenu(QWidget* parent);
    // For the browser: "Show in Models page" on a models node, just before its context menu
    // opens; and what activating (double-clicking) a models node does.
    void addContextActions(QMenu* menu, const QModelIndex& index);
    void activate(const QModelIndex& index);

    // The Models tab (opened once per workspace), with name:version selected when given
    // (-1: the newest). Null without a workspace.
    ModelsPage* openModelsPage(const QString& name = {}, int version = -1);

signals:
    // A version was deployed from the Models page (Deploy…): the window shows the endpoint.
    void endpointDeployed(const QString& endpoint);

private:
    void openFromIndex(const QModelIndex& index);
    WorkbenchShell* shell_ = nullptr;
};

} // namespace lb::ui
