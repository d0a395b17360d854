#include "ui/sweep/SweepForm.h"

#include "core/live/SweepActions.h"
#include "core/util/Json.h"
#include "ui/common/AppStyle.h"
#include "ui/common/FormFooter.h"
#include "ui/common/FormPage.h"
#include "ui/common/FormSection.h"
#include "ui/common/TouchedFields.h"
#include "ui/estimator/EstimatorForm.h"
#include "ui/sweep/ParameterSpaceTable.h"
#include "ui/sweep/SweepWords.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <climits>

namespace lb::ui {

SweepForm::SweepForm(const QString& workspaceRoot, QWidget* parent)
    : QWidget(parent) {
    touched_ = new TouchedFields(this);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    tabs_ = new QTabWidget;
    tabs_->setDocumentMode(true);
    tabs_->addTab(buildSweepPage(), tr("Sweep"));
    estimator_ = new EstimatorForm(nullptr);
    estimator_->setFooterVisible(false);
    tabs_->addTab(estimator_, tr("Estimator"));
    outer->addWidget(tabs_, 1);
    outer->addWidget(buildFooter());

    validateTimer_.setSingleShot(true);
    validateTimer_.setInterval(120);
    connect(&validateTimer_, &QTimer::timeout, this, &SweepForm::validateNow);
    connect(estimator_, &EstimatorForm::validated, this, &SweepForm::scheduleValidation);
    connect(estimator_, &EstimatorForm::titleChanged, this, [this] { emit titleChanged(title()); });
    setWorkspaceRoot(workspaceRoot);
}

QPushButton* SweepForm::submitButton() const {
    return footer_->submitButton();
}

FormFooter* SweepForm::buildFooter() {
    footer_ = new FormFooter(tr("Submit sweep"));
    footer_->errorLabel()->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    // Load starts where the file dialog likes; Save proposes sweep.json beside the script.
    footer_->setJsonFiles(
        {tr("Load sweep spec"), tr("Save sweep spec"), tr("Sweep spec (*.json)"), nullptr, [this] {
             return QDir(estimator_->estimator().sourceDirectory)
                 .filePath(QStringLiteral("sweep.json"));
         }});
    connect(footer_->submitButton(), &QPushButton::clicked, this, &SweepForm::submit);
    connect(footer_, &FormFooter::loadChosen, this, &SweepForm::loadJson);
    connect(footer_, &FormFooter::saveChosen, this, &SweepForm::saveJson);
    connect(footer_, &FormFooter::message, this, &SweepForm::message);
    return footer_;
}

QWidget* SweepForm::buildSweepPage() {
    auto* page = new FormPage;
    page->addSection(buildSpaceSection());
    // Each section is built before the one right of it (arguments have no order in C++).
    QWidget* sampling = buildSamplingSection();
    page->addSections(sampling, buildMetricSection());
    QWidget* policy = buildPolicySection();
    page->addSections(policy, buildLimitsSection());
    watchFields();
    updatePolicyFields();
    updateSamplingFields();
    return page;
}

QWidget* SweepForm::buildSpaceSection() {
    auto* box = new QGroupBox(tr("Parameter space"));
    auto* column = new QVBoxLayout(box);
    auto* note = new QLabel(tr("Each sampled value is appended to the estimator's script "
                               "parameters as \"NAME VALUE\"."));
    note->setObjectName(QStringLiteral("muted"));
    note->setWordWrap(true);
    column->addWidget(note);
    params_ = new ParameterSpaceTable;
    column->addWidget(params_);
    paramsError_ = makeErrorBanner();
    column->addWidget(paramsError_);
    return box;
}

QWidget* SweepForm::buildSamplingSection() {
    auto* section = new FormSection(tr("Sampling"));
    method_ = section->add(
        tr("Method"),
        makeChoiceBox({{tr("Random"), QStringLiteral("random")},
                       {tr("Grid (choices only)"), QStringLiteral("grid")},
                       {tr("Bayesian (Gaussian process)"), QStringLiteral("bayesian")}}));
    seed_ = section->add(tr("Seed"), makeSpinBox(-1, INT_MAX));
    seed_->setSpecialValueText(tr("drawn at submit"));
    seed_->setValue(-1);
    return section;
}

QWidget* SweepForm::buildMetricSection() {
    auto* section = new FormSection(tr("Primary metric"));
    // A hint, not a name that looks already filled in (#23 item 12).
    metric_ = section->add(tr("Name"), makeLineEdit(tr("the metric your script logs, e.g. accuracy")));
    goal_ =
        section->add(tr("Goal"), makeChoiceBox({{tr("Maximize"), true}, {tr("Minimize"), false}}));
    return section;
}

QWidget* SweepForm::buildPolicySection() {
    auto* section = new FormSection(tr("Early termination"));
    policy_ = section->add(
        tr("Policy"),
        makeChoiceBox({{tr("None"), QStringLiteral("none")},
                       {tr("Bandit"), QStringLiteral("bandit")},
                       {tr("Median stopping"), QStringLiteral("median_stopping")},
                       {tr("Truncation selection"), QStringLiteral("truncation_selection")}}));
    interval_ = section->add(tr("Evaluation interval"), makeSpinBox(0, 1000000));
    interval_->setValue(1);
    delay_ = section->add(tr("Delay evaluation"), makeSpinBox(0, 1000000));
    auto* slackRow = new QHBoxLayout;
    slackKind_ = makeChoiceBox({{tr("Slack factor"), QStringLiteral("slack_factor")},
                                {tr("Slack amount"), QStringLiteral("slack_amount")}});
    slack_ = new QDoubleSpinBox;
    slack_->setDecimals(4);
    slack_->setRange(-1, 1e9); // the parser, not the spin box, says what is allowed
    slack_->setSingleStep(0.05);
    slack_->setValue(0.1);
    slackRow->addWidget(slackKind_);
    slackRow->addWidget(slack_, 1);
    section->add(tr("Slack"), slackRow);
    truncation_ = section->add(tr("Truncation"), new QDoubleSpinBox);
    truncation_->setRange(0, 100);
    truncation_->setSuffix(QStringLiteral(" %"));
    truncation_->setValue(20);
    return section;
}

QWidget* SweepForm::buildLimitsSection() {
    auto* section = new FormSection(tr("Limits"));
    maxTotal_ = makeSpinBox(0, 100000);
    maxTotal_->setSpecialValueText(tr("not set"));
    maxTotal_->setValue(8);
    combinations_ = new QLabel;
    combinations_->setObjectName(QStringLiteral("muted"));
    auto* totalRow = new QHBoxLayout;
    totalRow->addWidget(maxTotal_);
    totalRow->addWidget(combinations_, 1);
    section->add(tr("Max total runs"), totalRow);
    maxConcurrent_ = section->add(tr("Max concurrent runs"), makeSpinBox(0, 100000));
    maxConcurrent_->setSpecialValueText(tr("as many as the total"));
    maxConcurrent_->setValue(2);
    maxDuration_ = section->add(tr("Max duration"), new QDoubleSpinBox);
    maxDuration_->setRange(0, 1e7);
    maxDuration_->setDecimals(1);
    maxDuration_->setSpecialValueText(tr("no limit"));
    maxDuration_->setSuffix(tr(" min"));
    experiment_ = section->add(tr("Experiment"), makeLineEdit(tr("the estimator's experiment")));
    return section;
}

void SweepForm::watchFields() {
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
    connect(method_, &QComboBox::currentIndexChanged, this, &SweepForm::updateSamplingFields);
    for (QWidget* field : std::initializer_list<QWidget*>{params_->table(), metric_, experiment_})
        touched_->watch(field);
    // Queued, as in EstimatorForm: focus moves while the form is being destroyed too.
    connect(touched_, &TouchedFields::touched, this, &SweepForm::scheduleValidation,
            Qt::QueuedConnection);
}

void SweepForm::updateSamplingFields() {
    const bool grid = method_->currentData().toString() == QLatin1String("grid");
    seed_->setEnabled(!grid);
    seed_->setToolTip(grid ? tr("Grid sampling runs every combination in order: nothing is drawn.")
                           : tr("The same seed draws the same runs again."));
}

void SweepForm::updateCombinations() {
    // A grid's size, from the choice rows as typed; any other expression is a continuous range.
    const QList<SweepFormData::Row> rows = params_->rows();
    long long combinations = 1;
    bool finite = !rows.isEmpty();
    for (const SweepFormData::Row& row : rows) {
        const Json values = parseArgumentsText(row.arguments);
        if (row.expression.trimmed() != QLatin1String("choice") || values.empty()) {
            finite = false;
            break;
        }
        combinations = std::min<long long>(combinations * static_cast<long long>(values.size()),
                                           1000000000LL);
    }
    if (rows.isEmpty())
        combinations_->setText(QString());
    else if (!finite)
        combinations_->setText(tr("of a continuous space"));
    else
        combinations_->setText(combinations == 1 ? tr("of 1 combination")
                                                  : tr("of %1 combinations").arg(combinations));
}

QString SweepForm::combinationsText() const {
    return combinations_->text();
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
    footer_->forgetSubmit();
    if (!root_.isEmpty()) {
        actions_ = new SweepActions(root_, this);
        connect(actions_, &SweepActions::submitted, this,
                [this](quint64 request, const QString& id) {
                    if (!footer_->finishSubmit(request)) return;
                    validateNow();
                    emit message(tr("Submitted sweep %1").arg(id));
                    emit submitted(id);
                });
        connect(actions_, &SweepActions::submitFailed, this,
                [this](quint64 request, const QString& m) {
                    if (!footer_->finishSubmit(request)) return;
                    validateNow();
                    footer_->setError(m);
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
    // A new sweep is a sweep, not "Sweep · New estimator" (#23 item 12).
    if (estimator_->estimator().entryScript.isEmpty())
        return tr("New sweep");
    return tr("Sweep · %1").arg(estimator_->title());
}

SweepFormData SweepForm::formData() const {
    SweepFormData f;
    f.parameters = params_->rows();
    f.method = method_->currentData().toString();
    if (seed_->value() >= 0 && seed_->isEnabled()) f.seed = seed_->value();
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
    updateSamplingFields();
    // A spec given whole (a loaded file) is the user's, blanks included: its problems show red.
    for (QWidget* field : std::initializer_list<QWidget*>{params_->table(), metric_, experiment_})
        touched_->touch(field);
    validateNow();
}

Json SweepForm::specJson() const {
    return sweepFormJson(formData(), estimator_->estimator());
}

void SweepForm::scheduleValidation() {
    validateTimer_.start();
}

void SweepForm::validateNow() {
    validateTimer_.stop();
    marks_.clear();
    const Estimator e = estimator_->estimator();
    check_ = checkSweepForm(formData(), e, QDir::currentPath());
    QMap<int, QString> rows;
    for (auto it = check_.rows.cbegin(); it != check_.rows.cend(); ++it)
        rows.insert(it.key(), sweepFormWords(it.value()));
    params_->setRowErrors(rows, check_.rowFields);
    updateCombinations();

    const QList<Refusal> refused = refusals();
    for (const Refusal& r : refused)
        if (r.field && r.loud) marks_.mark(r.field, r.text);
    // The table's own banner: the first problem of the table, when it shows.
    QString tableError;
    for (const Refusal& r : refused)
        if (r.field == params_->table() && r.loud && tableError.isEmpty()) tableError = r.text;
    paramsError_->setText(tableError);
    paramsError_->setVisible(!tableError.isEmpty());

    error_.clear();
    bool loud = false;
    if (!refused.isEmpty()) {
        error_ = refused.first().text;
        loud = refused.first().loud;
    } else if (!actions_) {
        error_ = tr("Open a workspace to submit sweeps.");
    }
    if (loud)
        footer_->setError(error_);
    else
        footer_->setHint(error_);
    footer_->submitButton()->setEnabled(canSubmit());
    footer_->submitButton()->setToolTip(error_.isEmpty() ? tr("Start the sweep") : error_);
}

bool SweepForm::shownLoud(QWidget* field) const {
    return touched_->isTouched(field) || !TouchedFields::isBlank(field);
}

QList<SweepForm::Refusal> SweepForm::refusals() const {
    QList<Refusal> out;
    const auto add = [&](QWidget* field, const QString& raw) {
        if (!raw.isEmpty()) out.append({field, sweepFormWords(raw), shownLoud(field)});
    };
    for (auto it = check_.rows.cbegin(); it != check_.rows.cend(); ++it)
        add(params_->table(), it.value());
    add(params_->table(), check_.parameters);
    add(method_, check_.sampling);
    add(metric_, check_.metric);
    if (!check_.policy.isEmpty()) {
        const QString& m = check_.policy;
        QWidget* field = policy_;
        if (m.contains(QLatin1String("evaluation_interval")))
            field = interval_;
        else if (m.contains(QLatin1String("delay_evaluation")))
            field = delay_;
        else if (m.contains(QLatin1String("slack")))
            field = slack_;
        else if (m.contains(QLatin1String("truncation_percentage")))
            field = truncation_;
        add(field, m);
    }
    if (!check_.limits.isEmpty()) {
        const QString& m = check_.limits;
        add(m.contains(QLatin1String("max_concurrent")) ? static_cast<QWidget*>(maxConcurrent_)
            : m.contains(QLatin1String("max_duration")) ? static_cast<QWidget*>(maxDuration_)
                                                        : static_cast<QWidget*>(maxTotal_),
            m);
    }
    // The estimator's problem in the Estimator tab's words, red when that tab shows it red.
    const QString estimatorError = estimator_->validationError();
    if (!estimatorError.isEmpty())
        out.append({nullptr, tr("Estimator: %1").arg(estimatorError),
                    !estimator_->footer()->error().isEmpty()});
    else if (!check_.estimator.isEmpty())
        out.append({nullptr, tr("Estimator: %1").arg(sweepFormWords(check_.estimator)), true});
    if (!check_.other.isEmpty()) out.append({nullptr, sweepFormWords(check_.other), true});
    return out;
}

bool SweepForm::canSubmit() const {
    return validationError().isEmpty() && !footer_->submitting();
}

void SweepForm::submit() {
    touched_->touchAll(); // Submit asks about every field, the estimator's too
    estimator_->touchedFields()->touchAll();
    estimator_->validateNow();
    validateNow();
    if (!canSubmit()) return;
    footer_->startSubmit([this] { return actions_->submit(*check_.spec); });
}

void SweepForm::loadJson(const QString& path) {
    footer_->loadJson(path, [&] {
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
    });
}

void SweepForm::saveJson(const QString& path) {
    footer_->saveJson(path, [this] { return specJson(); });
}

} // namespace lb::ui
