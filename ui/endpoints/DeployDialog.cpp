#include "ui/endpoints/DeployDialog.h"

#include "core/live/BackgroundCall.h"
#include "core/serve/EndpointDeploy.h"
#include "core/serve/EndpointFolder.h"
#include "core/util/Error.h"
#include "core/workspace/Workspace.h"
#include "ui/common/FieldMarks.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
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
    for (QLineEdit* edit : {name_, host_, entry_, source_})
        connect(edit, &QLineEdit::textChanged, this, &DeployDialog::validate);
    connect(browse_, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("The folder that holds %1").arg(entry_->text()), source_->text());
        if (!dir.isEmpty()) source_->setText(dir);
    });
    updateKind();
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

void DeployDialog::updateKind() {
    const bool native = kind() == Kind::Native;
    workers_->setEnabled(!native);
    entry_->setEnabled(!native);
    source_->setEnabled(!native);
    browse_->setEnabled(!native);
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
        }
    }
    for (QWidget* f : QList<QWidget*>{name_, host_, entry_, source_})
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
    if (kind() == Kind::Native) {
        r.batchDelayUs = batchDelay_->value();
        r.waitSeconds = 60;
    } else {
        r.entry = entry_->text().trimmed();
        r.source = source_->text().trimmed();
        r.workers = workers_->value();
        r.waitSeconds = 300; // a score.py's init() may load a large model
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
