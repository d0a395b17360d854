#pragma once
// The workbench's ways to the Models page: the Models menu, and the browser's Models node, a
// model or one of its versions (double-click or context menu) — which opens the page on that
// version. Source-run links on the page open the run's dashboard.

#include <QObject>

class QMenu;
class QModelIndex;

namespace lb::ui {

class MainWindow;
class ModelsPage;

class ModelActions : public QObject {
    Q_OBJECT
public:
    explicit ModelActions(MainWindow* window);

    // The Models tab (opened once per workspace), with name:version selected when given
    // (-1: the newest). Null without a workspace.
    ModelsPage* openModelsPage(const QString& name = {}, int version = -1);

private:
    void addMenuActions(QMenu* menu, const QModelIndex& index);
    void openFromIndex(const QModelIndex& index);
    MainWindow* window_ = nullptr;
};

} // namespace lb::ui
