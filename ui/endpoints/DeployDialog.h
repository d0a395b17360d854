#pragma once
// Deploy…, from the Models page: serves one registered model version as an endpoint. It asks
// what `labbench endpoints deploy` asks (name, port, host, key authentication, the request time
// limit; workers, entry script, source folder, pip packages and the run() time limit for
// score.py models; the batching delay for native ones), checks the name, host and packages as
// the core does while the user types, and deploys through the same core routine as the CLI
// (deployEndpoint) on a background thread. What the core refuses (a taken port, a bad host, an
// init() that raised) shows in the dialog as its one sentence.

#include "core/store/EndpointRepository.h"
#include "core/store/Entities.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace lb::ui {

class DeployDialog : public QDialog {
    Q_OBJECT
public:
    DeployDialog(QString workspaceRoot, const ModelVersion& model, QWidget* parent = nullptr);

    enum class Kind { Native, Score };

    QLineEdit* nameEdit() const { return name_; }
    QComboBox* kindBox() const { return kind_; }
    QSpinBox* portBox() const { return port_; }
    QLineEdit* hostEdit() const { return host_; }
    QSpinBox* workersBox() const { return workers_; }
    QLineEdit* entryEdit() const { return entry_; }
    QLineEdit* sourceEdit() const { return source_; }
    QSpinBox* batchDelayBox() const { return batchDelay_; }
    QLineEdit* pipEdit() const { return pip_; }
    QCheckBox* authBox() const { return auth_; }
    QSpinBox* requestTimeoutBox() const { return requestTimeout_; }
    QSpinBox* runTimeoutBox() const { return runTimeout_; }
    // The pip requirements typed, one a word ("numpy tomli>=2,<3").
    QStringList pipPackages() const;
    QPushButton* deployButton() const { return deploy_; }
    Kind kind() const;
    // Why Deploy is held back, why the core refused, or what is under way; empty when none.
    QString problem() const;
    bool busy() const { return busy_; }

    // Window-modal over `parent`, deleted on close.
    static DeployDialog* openFor(QWidget* parent, const QString& workspaceRoot,
                                 const ModelVersion& model);

signals:
    // The endpoint was deployed and answered Healthy (or was still starting when the wait
    // ended); the dialog closes.
    void deployed(const lb::EndpointRecord& endpoint);

private:
    void validate();
    void updateKind();
    void updateAuth();
    void runDeploy();
    QString root_;
    QString model_; // name:version
    bool nativeModel_ = false;
    QLineEdit* name_ = nullptr;
    QComboBox* kind_ = nullptr;
    QSpinBox* port_ = nullptr;
    QLineEdit* host_ = nullptr;
    QSpinBox* workers_ = nullptr;
    QLineEdit* entry_ = nullptr;
    QLineEdit* source_ = nullptr;
    QPushButton* browse_ = nullptr;
    QSpinBox* batchDelay_ = nullptr;
    QLineEdit* pip_ = nullptr;
    QCheckBox* auth_ = nullptr;
    bool authChosen_ = false; // what the user ticked, kept while a non-loopback host forces it
    QSpinBox* requestTimeout_ = nullptr;
    QSpinBox* runTimeout_ = nullptr;
    QLabel* problem_ = nullptr;
    QPushButton* deploy_ = nullptr;
    bool busy_ = false;
};

} // namespace lb::ui

Q_DECLARE_METATYPE(lb::EndpointRecord)
