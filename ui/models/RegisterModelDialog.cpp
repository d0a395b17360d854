#include "ui/models/RegisterModelDialog.h"

#include "core/live/BackgroundCall.h"
#include "core/live/RunDetail.h"
#include "core/live/RunFilesModel.h"
#include "core/models/ModelRegistry.h"
#include "core/util/Error.h"
#include "core/workspace/Workspace.h"
#include "ui/common/FieldMarks.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace lb::ui {

namespace {

struct Outcome {
    bool ok = false;
    ModelVersion version;
    QString error;
};

QStringList tagWords(const QString& text) {
    QStringList words;
    for (const QString& line : text.split(QLatin1Char('\n'))) {
        if (!line.trimmed().isEmpty()) words.append(line.trimmed());
    }
    return words;
}

} // namespace

RegisterModelDialog::RegisterModelDialog(QString workspaceRoot, QString runId,
                                         const QList<RunFile>& files, const QString& suggestedName,
                                         QWidget* parent)
    : QDialog(parent)
    , root_(std::move(workspaceRoot))
    , runId_(std::move(runId)) {
    setWindowTitle(tr("Register model from run %1").arg(runId_));
    setMinimumSize(560, 480);
    auto* layout = new QVBoxLayout(this);
    auto* hint = new QLabel(tr("Choose the file or folder of the run's outputs that is the model. "
                               "It is copied into the workspace's registry as the next version of "
                               "the name."));
    hint->setWordWrap(true);
    hint->setObjectName(QStringLiteral("muted"));
    layout->addWidget(hint);
    QList<RunFile> outputs;
    for (const RunFile& f : files)
        if (f.path.startsWith(QLatin1String("outputs/"))) outputs.append(f);
    model_ = new RunFilesModel(this);
    model_->setFiles(outputs);
    files_ = new QTreeView;
    files_->setModel(model_);
    files_->setSelectionMode(QAbstractItemView::SingleSelection);
    files_->header()->setStretchLastSection(false);
    files_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    files_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    files_->expandAll();
    layout->addWidget(files_, 1);

    auto* form = new QFormLayout;
    name_ = new QLineEdit(suggestedName);
    name_->setPlaceholderText(tr("letters, digits, '.', '_' and '-'"));
    form->addRow(tr("Model name"), name_);
    tags_ = new QPlainTextEdit;
    tags_->setPlaceholderText(tr("key=value, one a line (optional)"));
    tags_->setMaximumHeight(70);
    form->addRow(tr("Tags"), tags_);
    description_ = new QLineEdit;
    description_->setPlaceholderText(tr("optional"));
    form->addRow(tr("Description"), description_);
    layout->addLayout(form);

    problem_ = makeProblemLabel();
    layout->addWidget(problem_);
    confirmation_ = new QLabel;
    confirmation_->setObjectName(QStringLiteral("registeredModel"));
    confirmation_->setWordWrap(true);
    confirmation_->setTextFormat(Qt::RichText);
    confirmation_->setTextInteractionFlags(Qt::TextBrowserInteraction);
    confirmation_->hide();
    layout->addWidget(confirmation_);

    auto* buttons = new QDialogButtonBox;
    register_ = buttons->addButton(tr("Register"), QDialogButtonBox::ActionRole);
    register_->setObjectName(QStringLiteral("primary"));
    close_ = buttons->addButton(QDialogButtonBox::Cancel);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(register_, &QPushButton::clicked, this, &RegisterModelDialog::runRegister);
    connect(name_, &QLineEdit::textChanged, this, &RegisterModelDialog::validate);
    connect(tags_, &QPlainTextEdit::textChanged, this, &RegisterModelDialog::validate);
    connect(files_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RegisterModelDialog::validate);
    connect(files_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RegisterModelDialog::proposeName);
    connect(name_, &QLineEdit::textEdited, this, [this] { nameTyped_ = true; });
    connect(confirmation_, &QLabel::linkActivated, this, [this](const QString& link) {
        // model:NAME:VERSION
        const QStringList parts = link.split(QLatin1Char(':'));
        if (parts.size() != 3) return;
        emit showModelRequested(parts[1], parts[2].toInt());
        accept();
    });
    fallbackName_ = suggestedName;
    // The likeliest model: the only file of outputs/, else nothing chosen yet.
    if (outputs.size() == 1) choosePath(outputs.first().path);
    proposeName();
    validate();
}

QString RegisterModelDialog::nameFromPath(const QString& path) {
    QString stem = QFileInfo(path).fileName();
    const qsizetype dot = stem.indexOf(QLatin1Char('.'));
    stem = dot >= 0 ? stem.left(dot) : stem;
    // ".hidden" has no stem; "outputs" is the folder, not a model.
    if (stem.isEmpty() || stem == QLatin1String("outputs")) return {};
    try {
        ModelRegistry::validateName(stem);
    } catch (const Error&) {
        return {};
    }
    return stem;
}

void RegisterModelDialog::proposeName() {
    if (nameTyped_) return; // the user's own name stays
    // An experiment someone named says what the model is for; failing that, the output's name.
    name_->setText(!fallbackName_.isEmpty() ? fallbackName_ : nameFromPath(chosenPath()));
}

void RegisterModelDialog::confirm(const ModelVersion& version) {
    // The dialog stays open to say what was made, with the way to it (#23 item 13).
    problem_->setText(QString());
    const QString id = QStringLiteral("%1:%2").arg(version.name).arg(version.version);
    confirmation_->setText(
        tr("Registered <b>%1</b> version <b>%2</b> from %3. <a href=\"model:%4\">Show %4 in the "
           "Models page</a>")
            .arg(version.name.toHtmlEscaped())
            .arg(version.version)
            .arg(chosenPath().toHtmlEscaped(), id.toHtmlEscaped()));
    confirmation_->show();
    register_->hide();
    close_->setText(tr("Close"));
    files_->setEnabled(false);
    name_->setReadOnly(true);
    tags_->setReadOnly(true);
    description_->setReadOnly(true);
}

RegisterModelDialog* RegisterModelDialog::openFor(QWidget* parent, const QString& workspaceRoot,
                                                  const RunDetail& detail) {
    QString name = detail.run.experiment;
    try {
        ModelRegistry::validateName(name);
    } catch (const Error&) {
        name.clear(); // an experiment name that is no model name: let the user choose
    }
    // "default" is where runs go when nobody named an experiment: it names no model.
    if (name == QLatin1String("default")) name.clear();
    auto* dialog =
        new RegisterModelDialog(workspaceRoot, detail.run.id, detail.files, name, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

bool RegisterModelDialog::choosePath(const QString& path) {
    std::function<QModelIndex(const QModelIndex&)> find = [&](const QModelIndex& parent) {
        for (int r = 0; r < model_->rowCount(parent); ++r) {
            const QModelIndex i = model_->index(r, 0, parent);
            if (i.data(RunFilesModel::PathRole).toString() == path) return i;
            if (const QModelIndex deeper = find(i); deeper.isValid()) return deeper;
        }
        return QModelIndex();
    };
    const QModelIndex at = find({});
    if (!at.isValid()) return false;
    files_->selectionModel()->select(at, QItemSelectionModel::ClearAndSelect |
                                             QItemSelectionModel::Rows);
    files_->setCurrentIndex(at);
    return true;
}

QString RegisterModelDialog::chosenPath() const {
    const QModelIndexList rows = files_->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(RunFilesModel::PathRole).toString();
}

QString RegisterModelDialog::problem() const {
    return problem_->text();
}

void RegisterModelDialog::validate() {
    QString reason;
    bool badName = false, badTags = false;
    try {
        ModelRegistry::validateName(name_->text().trimmed());
    } catch (const Error& e) {
        reason = e.message();
        badName = true;
    }
    try {
        ModelRegistry::parsePairs(tagWords(tags_->toPlainText()), tr("a tag"));
    } catch (const Error& e) {
        if (reason.isEmpty()) reason = e.message();
        badTags = true;
    }
    if (reason.isEmpty() && chosenPath().isEmpty())
        reason = model_->rowCount() == 0
                     ? tr("This run has no outputs to register; a script writes them to ./outputs.")
                     : tr("Choose the file or folder of the outputs that is the model.");
    markField(name_, badName ? reason : QString());
    markField(tags_, badTags ? reason : QString());
    problem_->setText(reason);
    register_->setEnabled(reason.isEmpty() && !busy_);
}

void RegisterModelDialog::runRegister() {
    validate();
    if (!register_->isEnabled()) return;
    ModelRegistration r;
    r.runId = runId_;
    r.name = name_->text().trimmed();
    r.path = chosenPath();
    r.tags = ModelRegistry::parsePairs(tagWords(tags_->toPlainText()), tr("a tag"));
    r.description = description_->text().trimmed();
    busy_ = true;
    register_->setEnabled(false);
    setProblemTone(problem_, ProblemTone::Progress);
    problem_->setText(tr("Copying %1 into the registry…").arg(r.path));
    runInBackground<Outcome>(
        this,
        [root = root_, r] {
            try {
                Workspace workspace = Workspace::open(root);
                return Outcome{true, ModelRegistry(workspace).registerModel(r), {}};
            } catch (const std::exception& e) {
                return Outcome{false, {}, QString::fromUtf8(e.what())};
            }
        },
        [this](Outcome o) {
            busy_ = false;
            setProblemTone(problem_, ProblemTone::Problem);
            if (!o.ok) {
                validate();
                problem_->setText(o.error);
                return;
            }
            confirm(o.version);
            emit registered(o.version);
        });
}

} // namespace lb::ui
