#pragma once
// One endpoint on the Endpoints page: its name, a state pill and the reason when it is down,
// the scoring URI with a Copy button, its key (masked, with Show and Copy) when it needs one, Stop
// / Restart / Remove (run through core/serve's EndpointControl on background threads), live
// request-rate and latency charts, and tabs for the test panel and the server's streaming log.

#include "core/store/EndpointRepository.h"

#include <QWidget>
#include <functional>

class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QVBoxLayout;

namespace lb {
class Workspace;
}

namespace lb::ui {

class EndpointCharts;
class EndpointHttp;
class LogView;
class TestPanel;

class EndpointPanel : public QWidget {
    Q_OBJECT
    // Read by the end-to-end state hook.
    Q_PROPERTY(QString endpointName READ endpointName)
    Q_PROPERTY(QString state READ state)
public:
    explicit EndpointPanel(QString workspaceRoot, QWidget* parent = nullptr);

    // Shows `endpoint` as the store has it now (with `key` when it needs one). Called again on
    // every reload: the same endpoint keeps its charts, log and test panel.
    void setEndpoint(const EndpointRecord& endpoint, const QString& key);
    // Shows no endpoint (it was removed): the charts stop polling.
    void clear();
    const QString& endpointName() const { return endpoint_.name; }
    QString state() const;

    QLabel* statePill() const { return pill_; }
    QLineEdit* urlEdit() const { return url_; }
    QPushButton* copyButton() const { return copy_; }
    // The key row, shown for an endpoint with auth on: the key masked until Show.
    QWidget* keyRow() const { return keyRow_; }
    QLineEdit* keyEdit() const { return keyEdit_; }
    QPushButton* showKeyButton() const { return showKey_; }
    QPushButton* copyKeyButton() const { return copyKey_; }
    QPushButton* stopButton() const { return stop_; }
    QPushButton* restartButton() const { return restart_; }
    QPushButton* removeButton() const { return remove_; }
    TestPanel* testPanel() const { return test_; }
    EndpointCharts* charts() const { return charts_; }
    LogView* log() const { return log_; }
    QTabWidget* tabs() const { return tabs_; }
    // The last action's outcome ("Stopped.", or why it failed); empty before any.
    QString actionStatus() const;
    bool busy() const { return busy_; }

    void stop();
    void restart();
    // Stops the endpoint and deletes it with its folder; `ask` first confirms with the user.
    void remove(bool ask);

signals:
    // An action changed the endpoint: the page reloads the list now.
    void changed();

private:
    // Runs `work` (which returns a sentence for the status line) on a background thread.
    void runAction(const QString& progress, std::function<QString(Workspace&)> work);
    void updateButtons();
    void probeImageInput();
    QString root_;
    EndpointRecord endpoint_;
    QString key_;
    bool busy_ = false;
    QString probed_; // the endpoint whose /swagger.json was read for the canvas
    EndpointHttp* http_ = nullptr;
    QLabel* title_ = nullptr;
    QLabel* pill_ = nullptr;
    QLabel* facts_ = nullptr;
    QLabel* reason_ = nullptr;
    QLineEdit* url_ = nullptr;
    QPushButton* copy_ = nullptr;
    QWidget* keyRow_ = nullptr;
    QLineEdit* keyEdit_ = nullptr;
    QPushButton* showKey_ = nullptr;
    QPushButton* copyKey_ = nullptr;
    QPushButton* stop_ = nullptr;
    QPushButton* restart_ = nullptr;
    QPushButton* remove_ = nullptr;
    QLabel* status_ = nullptr;
    EndpointCharts* charts_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    TestPanel* test_ = nullptr;
    QWidget* logHolder_ = nullptr;
    LogView* log_ = nullptr;
};

} // namespace lb::ui
