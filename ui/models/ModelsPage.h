#pragma once
// The Models page: every registered model version (name, version, tags, description, source
// run, registered time) over the model registry, sortable and filterable, read by its own store
// watcher so a registration from anywhere (CLI, a dashboard) shows up by itself. The source run
// is a link: clicking it asks for that run's dashboard. Download… copies the selected version
// into a folder the user picks; Deploy… serves it as an endpoint (ui/endpoints/DeployDialog).

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace lb {
class ModelListModel;
class StoreWatcher;
} // namespace lb

namespace lb::ui {

class DeployDialog;

class ModelsPage : public QWidget {
    Q_OBJECT
public:
    explicit ModelsPage(const QString& workspaceRoot, QWidget* parent = nullptr);
    ~ModelsPage() override;

    ModelListModel* model() const { return model_; }
    QTableView* view() const { return view_; }
    QLineEdit* filter() const { return filter_; }
    // Selects name:version (-1: the newest) once it is listed (now, or when it loads).
    void selectModel(const QString& name, int version = -1);
    // The selected version as "name:version", empty when none.
    QString selectedModel() const;
    // Copies the selected version into `dir` off the UI thread (Download… asks for the folder);
    // the answer comes as downloaded() or downloadFailed() and in the page's status line.
    void downloadSelectedTo(const QString& dir);
    QPushButton* downloadButton() const { return download_; }
    QPushButton* deployButton() const { return deploy_; }
    // Opens the Deploy dialog on the selected version (window-modal; null when none is
    // selected). A deploy that succeeds comes out as endpointDeployed().
    DeployDialog* deploySelected();

signals:
    void runRequested(const QString& runId);
    void downloaded(const QString& model, const QString& path);
    void downloadFailed(const QString& model, const QString& message);
    void endpointDeployed(const QString& endpoint);

private:
    void applyPendingSelection();
    QString root_;
    ModelListModel* model_ = nullptr;
    QSortFilterProxyModel* proxy_ = nullptr;
    StoreWatcher* watcher_ = nullptr;
    QTableView* view_ = nullptr;
    QLineEdit* filter_ = nullptr;
    QLabel* empty_ = nullptr;
    QLabel* error_ = nullptr;
    QLabel* status_ = nullptr;
    QPushButton* download_ = nullptr;
    QPushButton* deploy_ = nullptr;
    QString pendingName_;
    int pendingVersion_ = -1;
};

} // namespace lb::ui
