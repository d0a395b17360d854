#include "ui/sweep/SweepForm.h"

#include "ui/common/AppStyle.h"
#include "ui/estimator/EstimatorForm.h"
#include "core/live/SweepActions.h"
#include "ui/sweep/ParameterSpaceTable.h"
#include "core/util/Error.h"
#include "core/util/Json.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStyle>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <climits>

namespace lb::ui {

SweepForm::SweepForm(const QString& workspaceRoot, QWidget* parent)
    : QWidget(parent) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    tabs_ = new QTabWidget;
    tabs_->setDocumentMode(true);
    tabs_->addTab(buildSweepPage(), tr("Sweep"));
    estimator_ = new EstimatorForm(nullptr);
    estimator_->setFooterVisible(false);
    tabs_->addTab(estimator_, tr("Estimator"));
    outer->addWidget(tabs_, 1);

    auto* footer = new QWidget;
    auto* fl = new QHBoxLayout(footer);
    fl->setContentsMargins(16, 8, 16, 10);
    errorLabel_ = new QLabel;
    errorLabel_->setObjectName(QStringLiteral("errorBanner"));
    errorLabel_->setWordWrap(true);
    errorLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    fl->addWidget(errorLabel_, 1);
    auto* load = new QPushButton(tr("Load JSON…"));
    auto* save = new QPushButton(tr("Save as JSON…"));
    submit_ = new QPushButton(tr("Submit sweep"));
    submit_->setObjectName(QStringLiteral("primary"));
    fl->addWidget(load);
    fl->addWidget(save);
    fl->addWidget(submit_);
    outer->addWidget(footer);

    validateTimer_.setSingleShot(true);
    validateTimer_.setInterval(120);
    connect(&validateTimer_, &QTimer::timeout, this, &SweepForm::validateNow);
    connect(estimator_, &EstimatorForm::validated, this, &SweepForm::scheduleValidation);
    connect(estimator_, &EstimatorForm::titleChanged, this, [this] { emit titleChanged(title()); });
    connect(submit_, &QPushButton::clicked, this, &SweepForm::submit);
    connect(load, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Load sweep spec"), QString(),
                                                          tr("Sweep spec (*.json)"));
        if (!file.isEmpty()) loadJson(file);
    });
    connect(save, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(
            this, tr("Save sweep spec"),
            QDir(estimator_->estimator().sourceDirectory).filePath(QStringLiteral("sweep.json")),
            tr("Sweep spec (*.json)"));
        if (!file.isEmpty()) saveJson(file);
    });
    setWorkspaceRoot(workspaceRoot);
}

QWidget* SweepForm::buildSweepPage() {
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(10);

    auto* space = new QGroupBox(tr("Parameter space"));
    auto* sv = new QVBoxLayout(space);
    auto* note = new QLabel(tr("Each sampled value is appended to the estimator's script "
                               "parameters as \"NAME VALUE\"."));
    note->setObjectName(QStringLiteral("muted"));
    note->setWordWrap(true);
    sv->addWidget(note);
    params_ = new ParameterSpaceTable;
    sv->addWidget(params_);
    paramsError_ = makeErrorBanner();
    sv->addWidget(paramsError_);
    layout->addWidget(space);

    auto* row = new QHBoxLayout;
    auto* sampling = new QGroupBox(tr("Sampling"));
    auto* sf = new QFormLayout(sampling);
    method_ = new QComboBox;
    method_->addItem(tr("Random"), QStringLiteral("random"));
    method_->addItem(tr("Grid (choices only)"), QStringLiteral("grid"));
    method_->addItem(tr("Bayesian (Gaussian process)"), QStringLiteral("bayesian"));
    sf->addRow(tr("Method"), method_);
    seed_ = new QSpinBox;
    seed_->setRange(-1, INT_MAX);
    seed_->setSpecialValueText(tr("drawn at submit"));
    seed_->setValue(-1);
    sf->addRow(tr("Seed"), seed_);
    row->addWidget(sampling, 1);

    auto* metricBox = new QGroupBox(tr("Primary metric"));
    auto* mf = new QFormLayout(metricBox);
    metric_ = new QLineEdit;
    metric_->setPlaceholderText(QStringLiteral("Accuracy"));
    mf->addRow(tr("Name"), metric_);
    goal_ = new QComboBox;
    goal_->addItem(tr("Maximize"), true);
    goal_->addItem(tr("Minimize"), false);
    mf->addRow(tr("Goal"), goal_);
    row->addWidget(metricBox, 1);
    layout->addLayout(row);

    auto* row2 = new QHBoxLayout;
    auto* policyBox = new QGroupBox(tr("Early termination"));
    auto* pf = new QFormLayout(policyBox);
    policy_ = new QComboBox;
    policy_->addItem(tr("None"), QStringLiteral("none"));
    policy_->addItem(tr("Bandit"), QStringLiteral("bandit"));
    policy_->addItem(tr("Median stopping"), QStringLiteral("median_stopping"));
    policy_->addItem(tr("Truncation selection"), QStringLiteral("truncation_selection"));
    pf->addRow(tr("Policy"), policy_);
    interval_ = new QSpinBox;
    interval_->setRange(0, 1000000);
    interval_->setValue(1);
    pf->addRow(tr("Evaluation interval"), interval_);
    delay_ = new QSpinBox;
    delay_->setRange(0, 1000000);
    pf->addRow(tr("Delay evaluation"), delay_);
    auto* slackRow = new QHBoxLayout;
    slackKind_ = new QComboBox;
    slackKind_->addItem(tr("Slack factor"), QStringLiteral("slack_factor"));
    slackKind_->addItem(tr("Slack amount"), QStringLiteral("slack_amount"));
    slack_ = new QDoubleSpinBox;
    slack_->setDecimals(4);
    slack_->setRange(-1, 1e9); // the parser, not the spin box, says what is allowed
    slack_->setSingleStep(0.05);
    slack_->setValue(0.1);
    slackRow->addWidget(slackKind_);
    slackRow->addWidget(slack_, 1);
    pf->addRow(tr("Slack"), slackRow);
    truncation_ = new QDoubleSpinBox;
    truncation_->setRange(0, 100);
    truncation_->setSuffix(QStringLiteral(" %"));
    truncation_->setValue(20);
    pf->addRow(tr("Truncation"), truncation_);
    row2->addWidget(policyBox, 1);

    auto* limits = new QGroupBox(tr("Limits"));
    auto* lf = new QFormLayout(limits);
    maxTotal_ = new QSpinBox;
    maxTotal_->setRange(0, 100000);
    maxTotal_->setSpecialValueText(tr("not set"));
    maxTotal_->setValue(8);
    lf->addRow(tr("Max total runs"), maxTotal_);
    maxConcurrent_ = new QSpinBox;
    maxConcurrent_->setRange(0, 100000);
    maxConcurrent_->setSpecialValueText(tr("as many as the total"));
    maxConcurrent_->setValue(2);
    lf->addRow(tr("Max concurrent runs"), maxConcurrent_);
    maxDuration_ = new QDoubleSpinBox;
    maxDuration_->setRange(0, 1e7);
    maxDuration_->setDecimals(1);
    maxDuration_->setSpecialValueText(tr("no limit"));
    maxDuration_->setSuffix(tr(" min"));
    lf->addRow(tr("Max duration"), maxDuration_);
    experiment_ = new QLineEdit;
    experiment_->setPlaceholderText(tr("the estimator's experiment"));
    lf->addRow(tr("Experiment"), experiment_);
    row2->addWidget(limits, 1);
    layout->addLayout(row2);
    layout->addStretch();
    scroll->setWidget(page);

    connect(params_, &ParameterSpaceTable::changed, this, &SweepForm::scheduleValidation);
    for (QComboBox* c : {method_, goal_, policy_, slackKind_})
        connect(c, &QComboBox::currentIndexChanged, this, &SweepForm::scheduleValidation);
    connect(policy_, &QComboBox::currentIndexChanged, this, &SweepForm::updatePolicyFields);
    for (QSpinBox* s : {seed_, interval_, delay_, maxTotal_, maxConcurrent_})
        connect(s, &QSpinBox::valueChanged, this, &SweepForm::scheduleValidation);
    for (QDoubleSpinBox* s : {slack_, truncation_, maxDuration_})
        connect(s, &QDoubleSpinBox::valueChanged, this, &SweepForm::scheduleValidation);
    for (QLineEdit* e : {metric_, experiment_})
        connect(e, &QLineEdit::textChanged, this, &SweepForm::scheduleValidation);
    updatePolicyFields();
    return scroll;
}

void SweepForm::updatePolicyFields() {
    const QString p = policy_->currentData().toString();
    const bool any = p != QLatin1String("none");
    interval_->setEnabled(any);
    delay_->setEnabled(any);
    slackKind_->setEnabled(p == QLatin1String("bandit"));
    slack_->setEnabled(p == QLatin1String("bandit"));
    truncation_->setEnabled(p == QLatin1String("truncation_selection"));
}

void SweepForm::setWorkspaceRoot(const QString& root) {
    if (root == root_ && (actions_ || root.isEmpty())) {
        validateNow();
        return;
    }
    delete actions_;
    actions_ = nullptr;
    root_ = root;
    submitting_ = false;
    if (!root_.isEmpty()) {
        actions_ = new SweepActions(root_, this);
        connect(actions_, &SweepActions::submitted, this,
                [this](quint64 request, const QString& id) {
                    if (!submitting_ || request != request_) return;
                    submitting_ = false;
                    submit_->setText(tr("Submit sweep"));
                    validateNow();
                    emit message(tr("Submitted sweep %1").arg(id));
                    emit submitted(id);
                });
        connect(actions_, &SweepActions::submitFailed, this,
                [this](quint64 request, const QString& m) {
                    if (!submitting_ || request != request_) return;
                    submitting_ = false;
                    submit_->setText(tr("Submit sweep"));
                    validateNow();
                    errorLabel_->setText(m);
                    errorLabel_->show();
                });
    }
    validateNow();
}

void SweepForm::setEstimator(const Estimator& estimator) {
    estimator_->setEstimator(estimator, false);
    emit titleChanged(title());
}

void SweepForm::setComputeTargets(const QStringList& names) {
    estimator_->setComputeTargets(names);
}

QString SweepForm::title() const {
    return tr("Sweep · %1").arg(estimator_->title());
}

SweepFormData SweepForm::formData() const {
    SweepFormData f;
    f.parameters = params_->rows();
    f.method = method_->currentData().toString();
    if (seed_->value() >= 0) f.seed = seed_->value();
    f.metric = metric_->text().trimmed();
    f.maximize = goal_->currentData().toBool();
    f.policy = policy_->currentData().toString();
    f.evaluationInterval = interval_->value();
    f.delayEvaluation = delay_->value();
    if (slackKind_->currentData().toString() == QLatin1String("slack_factor"))
        f.slackFactor = slack_->value();
    else
        f.slackAmount = slack_->value();
    f.truncationPercentage = truncation_->value();
    f.maxTotalRuns = maxTotal_->value();
    f.maxConcurrentRuns = maxConcurrent_->value();
    f.maxDurationMinutes = maxDuration_->value();
    f.experiment = experiment_->text().trimmed();
    return f;
}

void SweepForm::setFormData(const SweepFormData& f) {
    params_->setRows(f.parameters);
    const auto pick = [](QComboBox* c, const QVariant& v) {
        const int i = c->findData(v);
        if (i >= 0) c->setCurrentIndex(i);
    };
    pick(method_, f.method);
    seed_->setValue(f.seed ? static_cast<int>(std::min<qint64>(*f.seed, INT_MAX)) : -1);
    metric_->setText(f.metric);
    pick(goal_, f.maximize);
    pick(policy_, f.policy);
    interval_->setValue(f.evaluationInterval);
    delay_->setValue(f.delayEvaluation);
    pick(slackKind_, f.slackAmount && !f.slackFactor ? QStringLiteral("slack_amount")
                                                     : QStringLiteral("slack_factor"));
    slack_->setValue(f.slackFactor ? *f.slackFactor : f.slackAmount.value_or(0.1));
    truncation_->setValue(f.truncationPercentage);
    maxTotal_->setValue(f.maxTotalRuns);
    maxConcurrent_->setValue(f.maxConcurrentRuns);
    maxDuration_->setValue(f.maxDurationMinutes);
    experiment_->setText(f.experiment);
    updatePolicyFields();
    validateNow();
}

Json SweepForm::specJson() const {
    return sweepFormJson(formData(), estimator_->estimator());
}

void SweepForm::scheduleValidation() {
    validateTimer_.start();
}

void SweepForm::mark(QWidget* field, const QString& reason) {
    field->setProperty("invalid", !reason.isEmpty());
    field->setToolTip(reason);
    field->style()->unpolish(field);
    field->style()->polish(field);
    if (!reason.isEmpty()) marked_.append(field);
}

void SweepForm::validateNow() {
    validateTimer_.stop();
    for (QWidget* w : marked_)
        mark(w, QString());
    marked_.clear();
    const Estimator e = estimator_->estimator();
    check_ = checkSweepForm(formData(), e, QDir::currentPath());
    params_->setRowErrors(check_.rows);
    const QString tableError = !check_.rows.isEmpty() ? check_.rows.first() : check_.parameters;
    paramsError_->setText(tableError);
    paramsError_->setVisible(!tableError.isEmpty());
    if (!check_.parameters.isEmpty()) mark(params_->table(), check_.parameters);
    if (!check_.sampling.isEmpty()) mark(method_, check_.sampling);
    if (!check_.metric.isEmpty()) mark(metric_, check_.metric);
    if (!check_.policy.isEmpty()) {
        const QString m = check_.policy;
        QWidget* field = policy_;
        if (m.contains(QLatin1String("evaluation_interval")))
            field = interval_;
        else if (m.contains(QLatin1String("delay_evaluation")))
            field = delay_;
        else if (m.contains(QLatin1String("slack")))
            field = slack_;
        else if (m.contains(QLatin1String("truncation_percentage")))
            field = truncation_;
        mark(field, m);
    }
    if (!check_.limits.isEmpty()) {
        const QString m = check_.limits;
        mark(m.contains(QLatin1String("max_concurrent")) ? static_cast<QWidget*>(maxConcurrent_)
             : m.contains(QLatin1String("max_duration")) ? static_cast<QWidget*>(maxDuration_)
                                                         : static_cast<QWidget*>(maxTotal_),
             m);
    }
    const QString error = validationError();
    errorLabel_->setText(error);
    errorLabel_->setVisible(!error.isEmpty());
    submit_->setEnabled(canSubmit());
    submit_->setToolTip(error.isEmpty() ? tr("Start the sweep") : error);
}

QString SweepForm::validationError() const {
    if (!check_.ok()) return check_.first();
    if (!estimator_->validationError().isEmpty())
        return tr("Estimator: %1").arg(estimator_->validationError());
    if (!actions_) return tr("Open a workspace to submit sweeps.");
    return {};
}

bool SweepForm::canSubmit() const {
    return validationError().isEmpty() && !submitting_;
}

void SweepForm::submit() {
    validateNow();
    if (!canSubmit()) return;
    submitting_ = true;
    submit_->setEnabled(false);
    submit_->setText(tr("Submitting…"));
    request_ = actions_->submit(*check_.spec);
}

void SweepForm::loadJson(const QString& path) {
    try {
        const Json j = readJsonFile(path);
        const SweepFormData f = sweepFormFromJson(j);
        if (j.contains("estimator") && j["estimator"].is_object()) {
            Estimator e = Estimator::fromJson(j["estimator"], path);
            // A relative source folder is relative to the spec file, as for the CLI.
            if (!e.sourceDirectory.isEmpty() && QDir::isRelativePath(e.sourceDirectory))
                e.sourceDirectory = QDir::cleanPath(
                    QFileInfo(path).absoluteDir().absoluteFilePath(e.sourceDirectory));
            estimator_->setEstimator(e, false);
        }
        setFormData(f);
        emit titleChanged(title());
        emit message(tr("Loaded %1").arg(QFileInfo(path).fileName()));
    } catch (const Error& e) {
        errorLabel_->setText(e.message());
        errorLabel_->show();
    }
}

void SweepForm::saveJson(const QString& path) {
    try {
        writeJsonFile(path, specJson());
        emit message(tr("Saved %1").arg(QFileInfo(path).fileName()));
    } catch (const Error& e) {
        errorLabel_->setText(e.message());
        errorLabel_->show();
    }
}

} // namespace lb::ui
