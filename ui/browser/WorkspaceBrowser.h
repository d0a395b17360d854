#pragma once
// The workspace browser: a tree view over WorkspaceModel with icons, live durations, an error
// state inside the panel, and the actions a selection offers (open, compare).

#include <QTimer>
#include <QWidget>

class QLabel;
class QMenu;
class QTreeView;

namespace lb {
class WorkspaceModel;
}

namespace lb::ui {

class WorkspaceBrowser : public QWidget {
    Q_OBJECT
public:
    explicit WorkspaceBrowser(WorkspaceModel* model, QWidget* parent = nullptr);

    QTreeView* view() const { return view_; }
    // The runs selected, in view order.
    QStringList selectedRuns() const;
    void showError(const QString& message); // empty hides it
    void setWorkspaceName(const QString& name);

signals:
    void runActivated(const QString& runId);
    void compareRequested(const QStringList& runIds);
    void newEstimatorRequested();
    // Just before the context menu opens on `index` (a proxy index; roles as WorkspaceModel's):
    // other panels (compute targets, models) add their actions to `menu` here.
    void contextMenuAboutToShow(QMenu* menu, const QModelIndex& index);

private:
    void saveExpansion();
    void restoreExpansion();
    WorkspaceModel* model_ = nullptr;
    QTreeView* view_ = nullptr;
    QLabel* name_ = nullptr;
    QLabel* error_ = nullptr;
    QTimer clock_;
    QStringList expanded_;
    bool firstLoad_ = true;
};

} // namespace lb::ui
