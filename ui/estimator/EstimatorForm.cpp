#include "ui/estimator/EstimatorForm.h"

#include "core/argparse/ArgparseReader.h"
#include "core/live/DropPlan.h"
#include "core/live/RunActions.h"
#include "core/util/Error.h"
#include "ui/common/AppStyle.h"
#include "ui/common/FormFooter.h"
#include "ui/common/FormPage.h"
#include "ui/common/FormSection.h"
#include "ui/common/TouchedFields.h"
#include "ui/estimator/ScriptParamsTable.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace lb::ui {

namespace {

struct Preset {
    const char* key;
    const char* label;
};
const Preset kPresets[] = {{"generic", "Generic"},
                           {"pytorch", "PyTorch"},
                           {"tensorflow", "TensorFlow"},
                           {"chainer", "Chainer"},
                           {"builtin-mnist", "Built-in MNIST DNN"}};

QStringList splitList(const QString& text) {
    return text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
}

} // namespace

EstimatorForm::EstimatorForm(RunActions* actions, QWidget* parent)
    : QWidget(parent)
    , actions_(actions) {
    setObjectName(QStringLiteral("estimatorForm"));
    reader_ = new ArgparseReader(this);
    connect(reader_, &ArgparseReader::finished, this, &EstimatorForm::onArguments);
    connect(reader_, &ArgparseReader::failed, this, [this](const QString&, const QString& m) {
        argumentsRead_ = true;
        paramsStatus_->setText(m);
        paramsStatus_->setObjectName(QStringLiteral("errorBanner"));
        restyle(paramsStatus_);
    });
    validateTimer_.setSingleShot(true);
    validateTimer_.setInterval(120);
    connect(&validateTimer_, &QTimer::timeout, this, &EstimatorForm::validateNow);
    // Long enough that a name being typed is not read at every letter.
    typedScriptTimer_.setSingleShot(true);
    typedScriptTimer_.setInterval(500);
    connect(&typedScriptTimer_, &QTimer::timeout, this, &EstimatorForm::readTypedScript);
    touched_ = new TouchedFields(this);
    build();
    RunActions* initial = actions_;
    actions_ = nullptr;
    setActions(initial);
    validateNow();
}

QPushButton* EstimatorForm::submitButton() const {
    return footer_->submitButton();
}

void EstimatorForm::build() {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* page = new FormPage;
    page->addSection(buildScriptSection());
    page->addSection(buildParametersSection());
    // Each section is built before the one right of it (arguments have no order in C++).
    QWidget* environment = buildEnvironmentSection();
    page->addSections(environment, buildDistributionSection());
    page->addSection(buildRunSection());
    page->addSection(buildSlurmSection());
    outer->addWidget(page, 1);
    outer->addWidget(buildFooter());
    watchFields();
}

QWidget* EstimatorForm::buildScriptSection() {
    auto* section = new FormSection(tr("Script"));
    framework_ = section->add(tr("Framework"), new QComboBox);
    for (const Preset& p : kPresets)
        framework_->addItem(tr(p.label), QString::fromLatin1(p.key));
    auto* sourceRow = new QHBoxLayout;
    source_ = makeLineEdit(tr("the folder snapshotted for the run"));
    auto* browseSource = new QPushButton(tr("Browse…"));
    sourceRow->addWidget(source_, 1);
    sourceRow->addWidget(browseSource);
    section->add(tr("Source folder"), sourceRow);
    auto* entryRow = new QHBoxLayout;
    entry_ = new QComboBox;
    entry_->setEditable(true);
    entry_->setInsertPolicy(QComboBox::NoInsert);
    entry_->setMinimumContentsLength(24);
    auto* browseEntry = new QPushButton(tr("Browse…"));
    entryRow->addWidget(entry_, 1);
    entryRow->addWidget(browseEntry);
    section->add(tr("Entry script"), entryRow);
    python_ = section->add(tr("Interpreter"),
                           makeLineEdit(tr("python3 on PATH (or the compute target's)")));

    connect(framework_, &QComboBox::currentIndexChanged, this, [this] {
        applyPreset(framework_->currentData().toString());
        scheduleValidation();
    });
    connect(browseSource, &QPushButton::clicked, this, &EstimatorForm::chooseSourceFolder);
    connect(browseEntry, &QPushButton::clicked, this, &EstimatorForm::chooseEntryScript);
    connect(source_, &QLineEdit::editingFinished, this, &EstimatorForm::refreshEntryChoices);
    connect(entry_, &QComboBox::textActivated, this, [this] { readArguments(); });
    connect(entry_, &QComboBox::editTextChanged, this, [this] {
        emit titleChanged(title());
        scheduleValidation();
    });
    return section;
}

QWidget* EstimatorForm::buildParametersSection() {
    auto* box = new QGroupBox(tr("Script parameters"));
    auto* column = new QVBoxLayout(box);
    auto* statusRow = new QHBoxLayout;
    paramsStatus_ = makeMutedLabel(tr("Choose an entry script to read its arguments."));
    auto* reread = new QPushButton(tr("Read from script"));
    statusRow->addWidget(paramsStatus_, 1);
    statusRow->addWidget(reread);
    column->addLayout(statusRow);
    params_ = new ScriptParamsTable;
    column->addWidget(params_);
    connect(reread, &QPushButton::clicked, this, &EstimatorForm::readArguments);
    return box;
}

QWidget* EstimatorForm::buildEnvironmentSection() {
    auto* section = new FormSection(tr("Environment"));
    pip_ = section->add(tr("pip packages"), makeLineEdit(tr("numpy torch==2.1 …")));
    conda_ = section->add(tr("conda packages"), makeLineEdit());
    image_ = section->add(tr("Container image"), makeLineEdit(tr("none (run on the host)")));
    gpu_ = section->add(QString(), new QCheckBox(tr("Use GPU")));
    env_ = new QTableWidget(0, 2);
    env_->setHorizontalHeaderLabels({tr("Variable"), tr("Value")});
    env_->horizontalHeader()->setStretchLastSection(true);
    env_->verticalHeader()->setVisible(false);
    env_->setMaximumHeight(110);
    auto* envButtons = new QHBoxLayout;
    auto* addEnv = new QPushButton(tr("Add variable"));
    auto* removeEnv = new QPushButton(tr("Remove"));
    envButtons->addWidget(addEnv);
    envButtons->addWidget(removeEnv);
    envButtons->addStretch();
    auto* envColumn = new QVBoxLayout;
    envColumn->addWidget(env_);
    envColumn->addLayout(envButtons);
    section->add(tr("Variables"), envColumn);
    connect(addEnv, &QPushButton::clicked, this, &EstimatorForm::addVariable);
    connect(removeEnv, &QPushButton::clicked, this, &EstimatorForm::removeVariable);
    return section;
}

QWidget* EstimatorForm::buildDistributionSection() {
    auto* section = new FormSection(tr("Distribution"));
    nodes_ = makeSpinBox(1, 4096);
    processes_ = makeSpinBox(1, 1024);
    auto* nodesTimesProcesses = new QHBoxLayout;
    nodesTimesProcesses->addWidget(nodes_);
    nodesTimesProcesses->addWidget(new QLabel(QStringLiteral("×")));
    nodesTimesProcesses->addWidget(processes_);
    nodesTimesProcesses->addStretch();
    section->add(tr("Nodes × processes"), nodesTimesProcesses);
    backend_ = section->add(tr("Backend"), new QComboBox);
    backend_->addItems(knownDistributedBackends());
    workers_ = section->add(tr("Workers"), makeSpinBox(1, 4096));
    parameterServers_ = section->add(tr("Parameter servers"), makeSpinBox(0, 1024));
    return section;
}

QWidget* EstimatorForm::buildRunSection() {
    auto* section = new FormSection(tr("Run"));
    experiment_ = section->add(tr("Experiment"), makeLineEdit(QStringLiteral("default")));
    target_ = section->add(tr("Compute target"), new QComboBox);
    target_->setEditable(true);
    target_->addItem(QStringLiteral("local"));
    maxDuration_ = section->add(tr("Maximum duration"), makeSpinBox(0, 30 * 86400));
    maxDuration_->setSpecialValueText(tr("no limit"));
    maxDuration_->setSuffix(tr(" s"));
    return section;
}

FormFooter* EstimatorForm::buildFooter() {
    // The reason the estimator is invalid, and the actions.
    footer_ = new FormFooter(tr("Submit"));
    footer_->setAutoFillBackground(true);
    footer_->submitButton()->setDefault(true);
    auto* sweep = new QPushButton(tr("Sweep…"));
    sweep->setObjectName(QStringLiteral("sweepEstimator"));
    sweep->setToolTip(tr("Tune this estimator's hyperparameters with a sweep"));
    footer_->addAction(sweep);
    footer_->setJsonFiles(
        {tr("Load estimator"), tr("Save estimator"), tr("Estimator JSON (*.json)"),
         [this] { return source_->text(); },
         [this] { return QDir(source_->text()).filePath(QStringLiteral("estimator.json")); }});
    connect(footer_->submitButton(), &QPushButton::clicked, this, &EstimatorForm::submit);
    connect(sweep, &QPushButton::clicked, this, [this] { emit sweepRequested(estimator()); });
    connect(footer_, &FormFooter::loadChosen, this, &EstimatorForm::loadJson);
    connect(footer_, &FormFooter::saveChosen, this, &EstimatorForm::saveJson);
    connect(footer_, &FormFooter::message, this, &EstimatorForm::message);
    return footer_;
}

void EstimatorForm::watchFields() {
    for (QLineEdit* e : {source_, python_, pip_, conda_, image_, experiment_, slurmTime_, slurmMem_, slurmGres_})
        connect(e, &QLineEdit::textChanged, this, &EstimatorForm::scheduleValidation);
    connect(target_, &QComboBox::editTextChanged, this, &EstimatorForm::scheduleValidation);
    connect(target_, &QComboBox::editTextChanged, this, &EstimatorForm::showSlurmSection);
    for (QSpinBox* s : {nodes_, processes_, workers_, parameterServers_, maxDuration_, slurmRequeues_})
        connect(s, &QSpinBox::valueChanged, this, &EstimatorForm::scheduleValidation);
    connect(backend_, &QComboBox::currentIndexChanged, this, &EstimatorForm::scheduleValidation);
    connect(gpu_, &QCheckBox::toggled, this, &EstimatorForm::scheduleValidation);
    connect(env_, &QTableWidget::itemChanged, this, &EstimatorForm::scheduleValidation);
    connect(params_, &ScriptParamsTable::changed, this, &EstimatorForm::scheduleValidation);
    for (QWidget* field : fields())
        touched_->watch(field);
    // A field the user leaves may now show its problem.
    // Queued: focus also moves while the form's children are being destroyed, after its own
    // members are gone; a posted call to a destroyed form is dropped, a direct one is not.
    connect(touched_, &TouchedFields::touched, this, &EstimatorForm::scheduleValidation,
            Qt::QueuedConnection);
    // Only what the user types: a form filled from an estimator keeps that estimator's params.
    connect(entry_->lineEdit(), &QLineEdit::textEdited, this,
            [this] { typedScriptTimer_.start(); });
    connect(source_, &QLineEdit::textEdited, this, [this] { typedScriptTimer_.start(); });
}

void EstimatorForm::readTypedScript() {
    const Estimator e = estimator();
    if (e.sourceDirectory.isEmpty() || !e.entryScript.endsWith(QLatin1String(".py"))) return;
    const QString script = QDir(e.sourceDirectory).filePath(e.entryScript);
    if (QFileInfo(script).isFile() && script != lastReadScript_) readArguments();
}

void EstimatorForm::chooseSourceFolder() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Source folder"), source_->text());
    if (!dir.isEmpty()) source_->setText(dir);
}

void EstimatorForm::chooseEntryScript() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Entry script"), source_->text(),
                                                      tr("Scripts (*.py *.sh);;All files (*)"));
    if (file.isEmpty()) return;
    const QFileInfo info(file);
    if (source_->text().isEmpty() ||
        !QDir(source_->text()).relativeFilePath(file).startsWith(QLatin1String(".."))) {
        if (source_->text().isEmpty()) source_->setText(info.absolutePath());
        entry_->setEditText(QDir(source_->text()).relativeFilePath(file));
    } else {
        source_->setText(info.absolutePath());
        entry_->setEditText(info.fileName());
    }
    readArguments();
}

void EstimatorForm::addVariable() {
    env_->insertRow(env_->rowCount());
    env_->setItem(env_->rowCount() - 1, 0, new QTableWidgetItem);
    env_->setItem(env_->rowCount() - 1, 1, new QTableWidgetItem);
    env_->editItem(env_->item(env_->rowCount() - 1, 0));
}

void EstimatorForm::removeVariable() {
    if (env_->currentRow() >= 0) env_->removeRow(env_->currentRow());
    scheduleValidation();
}

void EstimatorForm::applyPreset(const QString& framework) {
    if (framework == QLatin1String("builtin-mnist")) {
        if (entry_->currentText().isEmpty()) entry_->setEditText(Estimator::kBuiltinTrainer);
    } else if (framework == QLatin1String("pytorch") || framework == QLatin1String("chainer") ||
               framework == QLatin1String("tensorflow")) {
        // The preset's backend applies when more than one process is asked for.
        Estimator e = estimator();
        e.distributedBackend = QStringLiteral("none");
        e.applyFrameworkDefaults();
        backend_->setCurrentText(e.distributedBackend);
        workers_->setValue(e.workerCount);
        parameterServers_->setValue(e.parameterServerCount);
    }
}

QString EstimatorForm::title() const {
    const QString entry = entry_->currentText();
    return entry.isEmpty() ? tr("New estimator") : QFileInfo(entry).fileName();
}

void EstimatorForm::setComputeTargets(const QStringList& names) {
    const QString current = target_->currentText();
    const QSignalBlocker block(target_);
    target_->clear();
    target_->addItems(names);
    target_->setEditText(current.isEmpty() && !names.isEmpty() ? names.front() : current);
}

void EstimatorForm::setEstimator(const Estimator& e, bool readArgs) {
    const int f = framework_->findData(e.framework);
    {
        const QSignalBlocker block(framework_);
        framework_->setCurrentIndex(f >= 0 ? f : 0);
    }
    source_->setText(e.sourceDirectory);
    refreshEntryChoices();
    entry_->setEditText(e.entryScript);
    python_->setText(e.python);
    params_->setWords(e.scriptParams);
    pip_->setText(e.pipPackages.join(QLatin1Char(' ')));
    conda_->setText(e.condaPackages.join(QLatin1Char(' ')));
    image_->setText(e.customDockerImage);
    gpu_->setChecked(e.useGpu);
    nodes_->setValue(e.nodeCount);
    processes_->setValue(e.processCountPerNode);
    backend_->setCurrentText(e.distributedBackend);
    workers_->setValue(e.workerCount);
    parameterServers_->setValue(e.parameterServerCount);
    secretVariables_ = e.secretVariables;
    publicVariables_ = e.publicVariables;
    env_->setRowCount(0);
    for (auto it = e.environmentVariables.begin(); it != e.environmentVariables.end(); ++it) {
        env_->insertRow(env_->rowCount());
        env_->setItem(env_->rowCount() - 1, 0, new QTableWidgetItem(it.key()));
        env_->setItem(env_->rowCount() - 1, 1, new QTableWidgetItem(it.value()));
    }
    experiment_->setText(e.experiment);
    if (!e.computeTarget.isEmpty()) target_->setEditText(e.computeTarget);
    maxDuration_->setValue(e.maxRunDurationSeconds.value_or(0));
    slurmTime_->setText(e.slurmTime);
    slurmMem_->setText(e.slurmMem);
    slurmGres_->setText(e.slurmGres);
    slurmRequeues_->setValue(e.slurmMaxRequeues.value_or(-1));
    // What the estimator gave, the user brought (a drop, a file, a clone): its problems show.
    for (QWidget* field : fields())
        if (!TouchedFields::isBlank(field)) touched_->touch(field);
    emit titleChanged(title());
    if (readArgs)
        readArguments();
    else
        paramsStatus_->setText(tr("Parameters from the estimator."));
    validateNow();
}

Estimator EstimatorForm::estimator() const {
    Estimator e;
    e.origin = tr("the form");
    e.framework = framework_->currentData().toString();
    e.sourceDirectory = source_->text().trimmed();
    e.entryScript = entry_->currentText().trimmed();
    e.python = python_->text().trimmed();
    e.scriptParams = params_->words();
    e.pipPackages = splitList(pip_->text());
    e.condaPackages = splitList(conda_->text());
    e.customDockerImage = image_->text().trimmed();
    e.useGpu = gpu_->isChecked();
    e.nodeCount = nodes_->value();
    e.processCountPerNode = processes_->value();
    e.distributedBackend = backend_->currentText();
    e.workerCount = workers_->value();
    e.parameterServerCount = parameterServers_->value();
    for (int r = 0; r < env_->rowCount(); ++r) {
        const QString key = env_->item(r, 0) ? env_->item(r, 0)->text().trimmed() : QString();
        if (!key.isEmpty())
            e.environmentVariables.insert(key,
                                          env_->item(r, 1) ? env_->item(r, 1)->text() : QString());
    }
    for (const QString& name : secretVariables_)
        if (e.environmentVariables.contains(name)) e.secretVariables.append(name);
    for (const QString& name : publicVariables_)
        if (e.environmentVariables.contains(name)) e.publicVariables.append(name);
    e.experiment = experiment_->text().trimmed();
    e.computeTarget = target_->currentText().trimmed();
    if (maxDuration_->value() > 0) e.maxRunDurationSeconds = maxDuration_->value();
    // A run on another target keeps no Slurm requests: the section is hidden there.
    if (slurmSection_->isVisibleTo(this)) {
        e.slurmTime = slurmTime_->text().trimmed();
        e.slurmMem = slurmMem_->text().trimmed();
        e.slurmGres = slurmGres_->text().trimmed();
        if (slurmRequeues_->value() >= 0) e.slurmMaxRequeues = slurmRequeues_->value();
    }
    return e;
}

void EstimatorForm::refreshEntryChoices() {
    const QString current = entry_->currentText();
    const QSignalBlocker block(entry_);
    entry_->clear();
    // A short listing of one folder's names; validation stats the same folder anyway.
    entry_->addItems(listScripts(source_->text()));
    entry_->setEditText(current);
}

void EstimatorForm::readArguments() {
    const Estimator e = estimator();
    if (e.sourceDirectory.isEmpty() || e.entryScript.isEmpty() ||
        !e.entryScript.endsWith(QLatin1String(".py"))) {
        argumentsRead_ = true;
        return;
    }
    argumentsRead_ = false;
    lastReadScript_ = QDir(e.sourceDirectory).filePath(e.entryScript);
    paramsStatus_->setObjectName(QStringLiteral("muted"));
    restyle(paramsStatus_);
    paramsStatus_->setText(tr("Reading the arguments of %1…").arg(e.entryScript));
    if (!e.python.isEmpty()) reader_->setPython(e.python);
    reader_->start(QDir(e.sourceDirectory).filePath(e.entryScript));
}

void EstimatorForm::onArguments(const QString& script, const ScriptArguments& arguments) {
    argumentsRead_ = true;
    params_->setArguments(arguments);
    QString text = tr("%n argument(s) read from %1 (the script was parsed, not run).", nullptr,
                      static_cast<int>(arguments.arguments.size()))
                       .arg(QFileInfo(script).fileName());
    if (!arguments.subcommands.isEmpty())
        text += tr(" Subcommands: %1.").arg(arguments.subcommands.join(QStringLiteral(", ")));
    paramsStatus_->setText(text);
    validateNow();
}

QString EstimatorForm::argumentsStatus() const {
    return paramsStatus_->text();
}

void EstimatorForm::scheduleValidation() {
    validateTimer_.start();
}

void EstimatorForm::setFooterVisible(bool visible) {
    footer_->setVisible(visible);
}

bool EstimatorForm::canSubmit() const {
    return error_.isEmpty() && actions_ && !footer_->submitting();
}

void EstimatorForm::loadJson(const QString& path) {
    footer_->loadJson(path, [&] { setEstimator(Estimator::load(path)); });
}

void EstimatorForm::saveJson(const QString& path) {
    footer_->saveJson(path, [this] { return estimator().toJson(); });
}

} // namespace lb::ui
