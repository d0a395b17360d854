#include "ui/endpoints/DeployDialog.h"

#include "core/environment/EnvironmentSpec.h"
#include "core/estimator/Estimator.h"
#include "core/live/BackgroundCall.h"
#include "core/serve/EndpointDeploy.h"
#include "core/serve/EndpointFolder.h"
#include "core/util/Error.h"
#include "core/workspace/Workspace.h"
#include "ui/common/FieldMarks.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace lb::ui {

namespace {

struct Outcome {
    bool ok = false;
    EndpointRecord endpoint;
    QString error;
};

// What the core serves natively: a model.npz, or a folder that holds one.
bool isNativeModel(const ModelVersion& m) {
    return m.path.endsWith(QLatin1String(".npz")) ||
           QFileInfo(m.path + QStringLiteral("/model.npz")).isFile();
}

// An endpoint name from the model's ("mnist" version 2 -> "mnist-2"), cut to the 64 allowed.
QString suggestedName(const ModelVersion& m) {
    return (m.name + QLatin1Char('-') + QString::number(m.version)).left(64);
}

} // namespace

DeployDialog::DeployDialog(QString workspaceRoot, const ModelVersion& model, QWidget* parent)
    : QDialog(parent)
    , root_(std::move(workspaceRoot))
    , model_(model.name + QLatin1Char(':') + QString::number(model.version))
    , nativeModel_(isNativeModel(model)) {
    setObjectName(QStringLiteral("deployDialog"));
    setWindowTitle(tr("Deploy %1").arg(model_));
    setMinimumWidth(520);
    auto* layout = new QVBoxLayout(this);
    auto* hint = new QLabel(tr("Serve %1 over HTTP as an endpoint: a labbench-serve process that "
                               "keeps running after the workbench closes.")
                                .arg(model_));
    hint->setWordWrap(true);
    hint->setObjectName(QStringLiteral("muted"));
    layout->addWidget(hint);

    auto* form = new QFormLayout;
    name_ = new QLineEdit(suggestedName(model));
    name_->setPlaceholderText(tr("letters, digits, '.', '_' and '-'"));
    form->addRow(tr("Endpoint name"), name_);
    kind_ = new QComboBox;
    kind_->addItem(tr("Native: model.npz scored in C++"));
    kind_->addItem(tr("score.py: an Azure-style entry script"));
    form->addRow(tr("Scoring"), kind_);
    port_ = new QSpinBox;
    port_->setRange(0, 65535);
    port_->setSpecialValueText(tr("any free port"));
    form->addRow(tr("Port"), port_);
    host_ = new QLineEdit(QStringLiteral("127.0.0.1"));
    host_->setToolTip(tr("127.0.0.1 serves this machine only; any other address needs a key."));
    form->addRow(tr("Host"), host_);
    auth_ = new QCheckBox(tr("Require a key (Authorization: Bearer KEY)"));
    auth_->setObjectName(QStringLiteral("deployAuth"));
    form->addRow(tr("Authentication"), auth_);
    requestTimeout_ = new QSpinBox;
    requestTimeout_->setRange(1, 3600);
    requestTimeout_->setValue(DeployRequest().requestTimeoutS);
    requestTimeout_->setSuffix(tr(" s"));
    requestTimeout_->setToolTip(tr("A client that takes longer to send its request is cut off"));
    form->addRow(tr("Request time limit"), requestTimeout_);
    workers_ = new QSpinBox;
    workers_->setRange(1, 64);
    workers_->setToolTip(tr("Python worker processes that run score.py"));
    form->addRow(tr("Workers"), workers_);
    entry_ = new QLineEdit(QStringLiteral("score.py"));
    form->addRow(tr("Entry script"), entry_);
    source_ = new QLineEdit;
    source_->setPlaceholderText(tr("the folder that holds the entry script"));
    browse_ = new QPushButton(tr("Browse…"));
    auto* sourceRow = new QHBoxLayout;
    sourceRow->addWidget(source_, 1);
    sourceRow->addWidget(browse_);
    form->addRow(tr("Source folder"), sourceRow);
    pip_ = new QLineEdit;
    pip_->setObjectName(QStringLiteral("deployPip"));
    pip_->setPlaceholderText(tr("none: the system Python's packages"));
    pip_->setToolTip(tr("pip requirements for score.py, separated by spaces (numpy tomli>=2,<3); "
                        "built once into a cached environment"));
    form->addRow(tr("Python packages"), pip_);
    runTimeout_ = new QSpinBox;
    runTimeout_->setRange(1, 3600);
    runTimeout_->setValue(DeployRequest().runTimeoutS);
    runTimeout_->setSuffix(tr(" s"));
    runTimeout_->setToolTip(
        tr("A run() that takes longer is answered 504 and its worker restarted"));
    form->addRow(tr("run() time limit"), runTimeout_);
    batchDelay_ = new QSpinBox;
    batchDelay_->setRange(0, 1000000);
    batchDelay_->setSuffix(tr(" µs"));
    batchDelay_->setSpecialValueText(tr("off"));
    batchDelay_->setToolTip(tr("Gather concurrent requests for up to this long into one batch"));
    form->addRow(tr("Batching delay"), batchDelay_);
    layout->addLayout(form);

    problem_ = makeProblemLabel();
    problem_->setObjectName(QStringLiteral("deployProblem"));
    problem_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(problem_);
    auto* buttons = new QDialogButtonBox;
    deploy_ = buttons->addButton(tr("Deploy"), QDialogButtonBox::ActionRole);
    deploy_->setObjectName(QStringLiteral("primary"));
    buttons->addButton(QDialogButtonBox::Cancel);
    layout->addWidget(buttons);

    // A model that is no model.npz can only be served by a score.py.
    if (!nativeModel_) {
        kind_->setCurrentIndex(1);
        kind_->setEnabled(false);
        kind_->setToolTip(tr("%1 is not a model.npz that labbench-train wrote.").arg(model_));
    }
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(deploy_, &QPushButton::clicked, this, &DeployDialog::runDeploy);
    connect(kind_, &QComboBox::currentIndexChanged, this, &DeployDialog::updateKind);
    for (QLineEdit* edit : {name_, host_, entry_, source_, pip_})
        connect(edit, &QLineEdit::textChanged, this, &DeployDialog::validate);
    connect(host_, &QLineEdit::textChanged, this, &DeployDialog::updateAuth);
    connect(auth_, &QCheckBox::toggled, this, [this](bool on) {
        if (auth_->isEnabled()) authChosen_ = on;
    });
    connect(browse_, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("The folder that holds %1").arg(entry_->text()), source_->text());
        if (!dir.isEmpty()) source_->setText(dir);
    });
    updateKind();
    updateAuth();
}

DeployDialog* DeployDialog::openFor(QWidget* parent, const QString& workspaceRoot,
                                    const ModelVersion& model) {
    auto* dialog = new DeployDialog(workspaceRoot, model, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

DeployDialog::Kind DeployDialog::kind() const {
    return kind_->currentIndex() == 0 ? Kind::Native : Kind::Score;
}

QString DeployDialog::problem() const {
    return problem_->text();
}

QStringList DeployDialog::pipPackages() const {
    static const QRegularExpression space(QStringLiteral("\\s+"));
    return pip_->text().split(space, Qt::SkipEmptyParts);
}

void DeployDialog::updateAuth() {
    // As the core decides: off this machine, never without a key.
    const QString host = host_->text().trimmed();
    const bool forced = !host.isEmpty() && !isLoopbackHost(host);
    const QSignalBlocker quiet(auth_);
    auth_->setEnabled(!forced);
    auth_->setChecked(forced || authChosen_);
    auth_->setToolTip(forced ? tr("%1 is not this machine only: the endpoint always needs a key "
                                  "there.")
                                   .arg(host)
                             : tr("Clients send the endpoint's key; the Endpoints page shows it."));
}

void DeployDialog::updateKind() {
    const bool native = kind() == Kind::Native;
    workers_->setEnabled(!native);
    entry_->setEnabled(!native);
    source_->setEnabled(!native);
    browse_->setEnabled(!native);
    pip_->setEnabled(!native);
    runTimeout_->setEnabled(!native);
    batchDelay_->setEnabled(native);
    validate();
}

void DeployDialog::validate() {
    if (busy_) return;
    // Only what can be told without the disk or the network: the core checks the rest.
    QString reason;
    QWidget* field = nullptr;
    try {
        validateEndpointName(name_->text().trimmed());
    } catch (const Error& e) {
        reason = e.message();
        field = name_;
    }
    if (reason.isEmpty() && host_->text().trimmed().isEmpty()) {
        reason = tr("Give the address to listen on, such as 127.0.0.1 (this machine only).");
        field = host_;
    }
    if (reason.isEmpty() && kind() == Kind::Score) {
        if (entry_->text().trimmed().isEmpty()) {
            reason = tr("Name the entry script, such as score.py.");
            field = entry_;
        } else if (source_->text().trimmed().isEmpty()) {
            reason = tr("Choose the folder that holds %1.").arg(entry_->text().trimmed());
            field = source_;
        } else if (!pip_->text().trimmed().isEmpty()) {
            Estimator estimator; // the core's own check of --pip (deployEndpoint repeats it)
            estimator.pipPackages = pipPackages();
            try {
                (void)EnvironmentSpec::fromEstimator(estimator, QStringLiteral("python3"));
            } catch (const Error& e) {
                reason = e.message();
                field = pip_;
            }
        }
    }
    for (QWidget* f : QList<QWidget*>{name_, host_, entry_, source_, pip_})
        markField(f, f == field ? reason : QString());
    setProblemTone(problem_, ProblemTone::Problem);
    problem_->setText(reason);
    deploy_->setEnabled(reason.isEmpty());
}

void DeployDialog::runDeploy() {
    validate();
    if (!deploy_->isEnabled()) return;
    DeployRequest r;
    r.name = name_->text().trimmed();
    r.models = {model_};
    r.port = port_->value();
    r.host = host_->text().trimmed();
    r.auth = auth_->isChecked();
    r.requestTimeoutS = requestTimeout_->value();
    if (kind() == Kind::Native) {
        r.batchDelayUs = batchDelay_->value();
        r.waitSeconds = 60;
    } else {
        r.entry = entry_->text().trimmed();
        r.source = source_->text().trimmed();
        r.workers = workers_->value();
        r.pipPackages = pipPackages();
        r.runTimeoutS = runTimeout_->value();
        r.waitSeconds = 300; // pip may build an environment; init() may load a large model
    }
    busy_ = true;
    deploy_->setEnabled(false);
    setProblemTone(problem_, ProblemTone::Progress);
    problem_->setText(
        tr("Deploying %1: starting its server and waiting until it is Healthy…").arg(r.name));
    runInBackground<Outcome>(
        this,
        [root = root_, r] {
            try {
                Workspace workspace = Workspace::open(root);
                return Outcome{true, deployEndpoint(workspace, r), {}};
            } catch (const std::exception& e) {
                return Outcome{false, {}, QString::fromUtf8(e.what())};
            }
        },
        [this](Outcome o) {
            busy_ = false;
            if (o.ok && o.endpoint.state == EndpointState::Failed) {
                o.ok = false;
                o.error = tr("The endpoint '%1' failed to start: %2")
                              .arg(o.endpoint.name, o.endpoint.reason);
            }
            if (!o.ok) {
                validate();
                setProblemTone(problem_, ProblemTone::Problem);
                problem_->setText(o.error);
                return;
            }
            problem_->clear();
            emit deployed(o.endpoint);
            accept();
        });
}

} // namespace lb::ui
