#pragma once
// The Endpoints page (issue 18): every endpoint of the workspace with its state, read by its own
// store watcher (off the UI thread, reconciled with the servers' locks, and again every two
// seconds so a killed server shows), and the selected one in an EndpointPanel: state pill,
// scoring URI, Stop / Restart / Remove, live charts, its log and the test panel.

#include <QStringList>
#include <QWidget>

class QLabel;
class QStackedWidget;
class QTableView;

namespace lb {
class EndpointListModel;
class StoreWatcher;
} // namespace lb

namespace lb::ui {

class EndpointPanel;

class EndpointsPage : public QWidget {
    Q_OBJECT
    // Read by the end-to-end state hook, which finds the page by its object name
    // ("endpointsPage").
    Q_PROPERTY(QStringList endpointStates READ endpointStates)
    Q_PROPERTY(QString selectedEndpoint READ selectedEndpoint)
public:
    explicit EndpointsPage(const QString& workspaceRoot, QWidget* parent = nullptr);
    ~EndpointsPage() override;

    EndpointListModel* model() const { return model_; }
    QTableView* view() const { return view_; }
    EndpointPanel* panel() const { return panel_; }
    // Selects `name` once it is listed (now, or when it loads).
    void selectEndpoint(const QString& name);
    QString selectedEndpoint() const;
    // "name: State" for every endpoint listed.
    QStringList endpointStates() const;
    // Reads the store again now (after an action), not at the watcher's next poll.
    void refresh();

private:
    void applyPendingSelection();
    void showSelected();
    QString root_;
    EndpointListModel* model_ = nullptr;
    StoreWatcher* watcher_ = nullptr;
    QTableView* view_ = nullptr;
    QStackedWidget* stack_ = nullptr;
    QLabel* empty_ = nullptr;
    QLabel* error_ = nullptr;
    EndpointPanel* panel_ = nullptr;
    QString pending_;
};

} // namespace lb::ui
