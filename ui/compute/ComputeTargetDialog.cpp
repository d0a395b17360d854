#include "ui/compute/ComputeTargetDialog.h"

#include "core/compute/ComputeTarget.h"
#include "core/compute/TargetAdmin.h"
#include "core/live/BackgroundCall.h"
#include "core/workspace/Workspace.h"
#include "ui/common/FieldMarks.h"
#include "ui/common/TouchedFields.h"
#include "ui/common/AppStyle.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace lb::ui {

namespace {

struct Answer {
    bool ok = false;
    QString text;
};

struct GpuAnswer {
    QList<GpuSample> gpus;
    QString reason;
};

QString kindTitle(const QString& kind) {
    if (kind == QLatin1String("ssh")) return QStringLiteral("SSH");
    if (kind == QLatin1String("slurm")) return QStringLiteral("Slurm");
    return QStringLiteral("local");
}

// Label and placeholder of each field; the help is the CLI option's help in words.
struct FieldText {
    const char* label;
    const char* placeholder;
};

FieldText fieldText(const QString& kind, const QString& field) {
    static const QHash<QString, FieldText> texts = {
        {QStringLiteral("name"), {"Name", "e.g. gpu-box"}},
        {QStringLiteral("gpus"), {"GPUs", "none: CPU only; e.g. 0,1"}},
        {QStringLiteral("max-concurrent"), {"Max concurrent runs", "1, or one per GPU"}},
        {QStringLiteral("python"), {"Python", "python3"}},
        {QStringLiteral("host"), {"Host", "name or address, e.g. gpu1.example.org"}},
        {QStringLiteral("port"), {"Port", "22"}},
        {QStringLiteral("user"), {"User", "default: your user name or ~/.ssh/config"}},
        {QStringLiteral("identity"), {"Identity key file", "default: ssh's keys"}},
        {QStringLiteral("known-hosts"), {"Known-hosts file", "~/.ssh/known_hosts"}},
        {QStringLiteral("host-key-policy"), {"Host-key policy", ""}},
        {QStringLiteral("remote-dir"), {"Remote folder", "absolute, e.g. /scratch/labbench"}},
        {QStringLiteral("partition"), {"Partition", "default partition"}},
        {QStringLiteral("account"), {"Account", "default account"}},
        {QStringLiteral("time-limit"), {"Time limit (minutes)", "0: the partition's limit"}},
        {QStringLiteral("gpus-per-node"), {"GPUs per node", "1 (for runs that use a GPU)"}},
    };
    if (kind == QLatin1String("slurm") && field == QLatin1String("host"))
        return {"Login node", "empty: Slurm on this machine"};
    return texts.value(field, {"", ""});
}

} // namespace

ComputeTargetDialog::ComputeTargetDialog(QString workspaceRoot, QString kind,
                                         QStringList takenNames,
                                         std::optional<ComputeTargetRecord> existing,
                                         QWidget* parent)
    : QDialog(parent)
    , root_(std::move(workspaceRoot))
    , kind_(std::move(kind))
    , taken_(std::move(takenNames))
    , existing_(std::move(existing)) {
    // A new dialog is not red: a blank field shows its problem once the user has been there
    // (#23 item 9).
    touched_ = new TouchedFields(this);
    // Queued, as in EstimatorForm: focus moves while the dialog is being destroyed too. A
    // touch from setValue() is followed by the value's own validate() anyway.
    connect(touched_, &TouchedFields::touched, this, &ComputeTargetDialog::validate,
            Qt::QueuedConnection);
    setWindowTitle(existing_ ? tr("Edit compute target %1").arg(existing_->name)
                             : tr("New %1 compute target").arg(kindTitle(kind_)));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    for (const QString& field : targetFieldNames(kind_))
        addField(form, field);
    layout->addLayout(form);

    busy_ = new QLabel;
    auto* progress = new QProgressBar;
    progress->setRange(0, 0); // a moving bar: busy, length unknown
    progress->setMaximumHeight(6);
    progress->setTextVisible(false);
    progress->hide();
    progress_ = progress;
    auto* busyRow = new QHBoxLayout;
    busyRow->addWidget(busy_);
    busyRow->addWidget(progress, 1);
    layout->addLayout(busyRow);
    busy_->setObjectName(QStringLiteral("muted"));

    answer_ = new QLabel;
    answer_->setWordWrap(true);
    answer_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    answer_->hide();
    layout->addWidget(answer_);
    layout->addStretch();

    auto* buttons = new QDialogButtonBox;
    test_ = buttons->addButton(tr("Test connection"), QDialogButtonBox::ActionRole);
    save_ = buttons->addButton(tr("Save"), QDialogButtonBox::AcceptRole);
    save_->setObjectName(QStringLiteral("primary"));
    save_->setDefault(true);
    buttons->addButton(QDialogButtonBox::Cancel);
    layout->addWidget(buttons);
    // Save's accepted() is left unconnected: the dialog closes only once the store write has
    // succeeded on its background thread (runSave).
    connect(save_, &QPushButton::clicked, this, &ComputeTargetDialog::runSave);
    connect(test_, &QPushButton::clicked, this, &ComputeTargetDialog::runTest);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    if (existing_) {
        const TargetFields fields = targetFields(*existing_);
        for (auto it = fields.begin(); it != fields.end(); ++it)
            setValue(it.key(), it.value());
        if (auto* name = qobject_cast<QLineEdit*>(editor(QStringLiteral("name"))))
            name->setReadOnly(true);
    }
    if (kind_ == QLatin1String("local")) detectGpus();
    validate();
}

ComputeTargetDialog::~ComputeTargetDialog() = default;

void ComputeTargetDialog::changeEvent(QEvent* event) {
    QDialog::changeEvent(event);
    if (event->type() == QEvent::ActivationChange && isActiveWindow()) validate();
}

void ComputeTargetDialog::addField(QFormLayout* form, const QString& field) {
    const FieldText text = fieldText(kind_, field);
    QWidget* editor = nullptr;
    auto* cell = new QWidget;
    auto* column = new QVBoxLayout(cell);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    auto* row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    if (field == QLatin1String("host-key-policy")) {
        auto* combo = new QComboBox;
        combo->addItems({QStringLiteral("strict"), QStringLiteral("accept-new")});
        combo->setToolTip(tr("strict: the host key must already be known; accept-new: remember "
                             "a new host's key on first contact"));
        connect(combo, &QComboBox::currentTextChanged, this, &ComputeTargetDialog::validate);
        editor = combo;
    } else {
        auto* line = new QLineEdit;
        line->setPlaceholderText(QString::fromUtf8(text.placeholder));
        connect(line, &QLineEdit::textChanged, this, &ComputeTargetDialog::validate);
        editor = line;
    }
    editor->setObjectName(field);
    // Width from the fields, not the window: the layout then keeps the window's minimum size,
    // so it grows when reasons appear under fields instead of squeezing them.
    editor->setMinimumWidth(360);
    row->addWidget(editor, 1);
    if (field == QLatin1String("identity") || field == QLatin1String("known-hosts")) {
        auto* browse = new QPushButton(tr("Browse…"));
        connect(browse, &QPushButton::clicked, this, [this, field] {
            const QString start =
                value(field).isEmpty() ? QDir::homePath() + QStringLiteral("/.ssh") : value(field);
            const QString file = QFileDialog::getOpenFileName(
                this,
                field == QLatin1String("identity") ? tr("Private key") : tr("known_hosts file"),
                start, QString(), nullptr, QFileDialog::DontResolveSymlinks);
            if (!file.isEmpty()) setValue(field, file);
        });
        row->addWidget(browse);
    }
    column->addLayout(row);
    if (field == QLatin1String("gpus")) {
        gpuRow_ = new QHBoxLayout;
        gpuInfo_ = makeMutedLabel(tr("Detecting GPUs…"));
        gpuRow_->addWidget(gpuInfo_, 1);
        column->addLayout(gpuRow_);
        connect(static_cast<QLineEdit*>(editor), &QLineEdit::textChanged, this,
                &ComputeTargetDialog::syncGpuBoxes);
    }
    QLabel* problem = makeProblemLabel();
    problem->setObjectName(field + QStringLiteral("Problem"));
    problem->hide();
    column->addWidget(problem);
    editors_.insert(field, editor);
    problems_.insert(field, problem);
    touched_->watch(editor);
    form->addRow(tr(text.label), cell);
}

void ComputeTargetDialog::setValue(const QString& field, const QString& value) {
    touched_->touch(editor(field)); // a value given (a file chosen, a target loaded) is the user's
    if (auto* line = qobject_cast<QLineEdit*>(editor(field)))
        line->setText(value);
    else if (auto* combo = qobject_cast<QComboBox*>(editor(field)))
        combo->setCurrentText(value);
    validate(); // the touch shows a problem even when the value did not change
}

QString ComputeTargetDialog::value(const QString& field) const {
    if (auto* line = qobject_cast<QLineEdit*>(editor(field))) return line->text();
    if (auto* combo = qobject_cast<QComboBox*>(editor(field))) return combo->currentText();
    return {};
}

QString ComputeTargetDialog::problemShown(const QString& field) const {
    QLabel* label = problems_.value(field);
    return label && !label->isHidden() ? label->text() : QString();
}

QString ComputeTargetDialog::busyText() const {
    return busy_->text();
}

QString ComputeTargetDialog::testAnswer() const {
    return answer_->isHidden() ? QString() : answer_->text();
}

void ComputeTargetDialog::validate() {
    TargetFields fields;
    for (auto it = editors_.begin(); it != editors_.end(); ++it)
        fields.insert(it.key(), value(it.key()));
    draft_ = draftComputeTarget(kind_, fields, existing_ ? QStringList() : taken_);
    for (auto it = editors_.begin(); it != editors_.end(); ++it) {
        const bool shown = touched_->isTouched(it.value()) || !TouchedFields::isBlank(it.value());
        const QString reason = shown ? draft_.problemFor(it.key()) : QString();
        markField(it.value(), reason);
        QLabel* label = problems_.value(it.key());
        label->setText(reason);
        label->setVisible(!reason.isEmpty());
    }
    const QString kindProblem = draft_.problemFor(QStringLiteral("kind"));
    if (!kindProblem.isEmpty()) {
        answer_->setText(kindProblem);
        answer_->show();
    }
    save_->setEnabled(draft_.ok() && !saving_);
    save_->setToolTip(draft_.ok() ? QString() : tr("Fill in the fields, or fix the marked ones, first."));
    // A test needs everything but a name (an unsaved target may not have one yet).
    bool testable = kindProblem.isEmpty();
    for (const FieldProblem& p : draft_.problems)
        testable = testable && p.field == QLatin1String("name");
    test_->setEnabled(testable && !testing_);
    growToFit();
}

void ComputeTargetDialog::growToFit() {
    // Wrapped reasons and answers need the height their width gives them, which the layout's
    // minimum size does not include: grow (never shrink, so the window does not jump).
    layout()->activate();
    const int need = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width())
                                                   : layout()->totalSizeHint().height();
    if (need > height()) resize(width(), need);
}

void ComputeTargetDialog::setBusy(const QString& text) {
    busy_->setText(text);
    progress_->setVisible(!text.isEmpty());
}

void ComputeTargetDialog::runTest() {
    if (testing_) return;
    validate();
    if (!test_->isEnabled()) return;
    ComputeTargetRecord record = draft_.record;
    if (record.name.isEmpty() || !draft_.problemFor(QStringLiteral("name")).isEmpty())
        record.name = tr("new target"); // only named in the answer
    testing_ = true;
    test_->setEnabled(false);
    setBusy(kind_ == QLatin1String("local") ? tr("Checking this machine…")
                                            : tr("Connecting to %1…")
                                                  .arg(value(QStringLiteral("host")).isEmpty()
                                                           ? tr("this machine")
                                                           : value(QStringLiteral("host"))));
    answer_->hide();
    runInBackground<Answer>(
        this,
        [record] {
            try {
                const auto target = makeComputeTarget(record);
                return Answer{true, testComputeTarget(*target).join(QLatin1Char('\n'))};
            } catch (const std::exception& e) {
                return Answer{false, QString::fromUtf8(e.what())};
            }
        },
        [this](Answer a) {
            testing_ = false;
            lastTestOk_ = a.ok;
            setBusy(QString());
            answer_->setObjectName(a.ok ? QStringLiteral("banner") : QStringLiteral("errorBanner"));
            answer_->setStyleSheet(
                a.ok ? QStringLiteral("background: #dafbe1; border: 1px solid #4ac26b; "
                                      "border-radius: 4px; padding: 6px 10px;")
                     : QString());
            restyle(answer_);
            answer_->setText(a.ok ? tr("Connection OK.\n%1").arg(a.text) : a.text);
            answer_->show();
            validate();
            emit testFinished(a.ok, answer_->text());
        });
}

void ComputeTargetDialog::runSave() {
    validate();
    if (!draft_.ok() || saving_) return;
    saving_ = true;
    save_->setEnabled(false);
    setBusy(tr("Saving…"));
    const ComputeTargetRecord record = draft_.record;
    const bool update = editing();
    runInBackground<QString>(
        this,
        [root = root_, record, update] {
            try {
                Workspace workspace = Workspace::open(root);
                if (update)
                    updateComputeTarget(workspace, record);
                else
                    createComputeTarget(workspace, record);
                return QString();
            } catch (const std::exception& e) {
                return QString::fromUtf8(e.what());
            }
        },
        [this, name = record.name](QString error) {
            saving_ = false;
            setBusy(QString());
            if (error.isEmpty()) {
                emit saved(name);
                accept();
                return;
            }
            answer_->setObjectName(QStringLiteral("errorBanner"));
            answer_->setStyleSheet(QString());
            restyle(answer_);
            answer_->setText(error);
            answer_->show();
            validate();
        });
}

void ComputeTargetDialog::detectGpus() {
    runInBackground<GpuAnswer>(
        this,
        [] {
            GpuAnswer a;
            a.gpus = detectLocalGpus(&a.reason);
            return a;
        },
        [this](GpuAnswer a) {
            if (a.gpus.isEmpty()) {
                gpuInfo_->setText(a.reason.isEmpty()
                                      ? tr("No GPUs found on this machine: runs use "
                                           "the CPU.")
                                      : tr("No GPUs detected; runs use the CPU. %1").arg(a.reason));
                return;
            }
            gpuInfo_->setText(tr("Detected:"));
            gpuInfo_->setWordWrap(false);
            for (const GpuSample& g : a.gpus) {
                auto* box = new QCheckBox(tr("%1: %2").arg(g.index).arg(g.name));
                box->setProperty("gpu", g.index);
                connect(box, &QCheckBox::toggled, this, [this] {
                    QStringList chosen;
                    for (QCheckBox* b : gpuBoxes_)
                        if (b->isChecked())
                            chosen.append(QString::number(b->property("gpu").toInt()));
                    if (value(QStringLiteral("gpus")) != chosen.join(QLatin1Char(',')))
                        setValue(QStringLiteral("gpus"), chosen.join(QLatin1Char(',')));
                });
                gpuBoxes_.append(box);
                gpuRow_->addWidget(box);
            }
            gpuRow_->setStretch(0, 0);
            gpuRow_->addStretch(1);
            syncGpuBoxes();
        });
}

void ComputeTargetDialog::syncGpuBoxes() {
    QList<int> chosen;
    for (const QString& part :
         value(QStringLiteral("gpus")).split(QLatin1Char(','), Qt::SkipEmptyParts))
        chosen.append(part.trimmed().toInt());
    for (QCheckBox* b : gpuBoxes_) {
        const QSignalBlocker block(b);
        b->setChecked(chosen.contains(b->property("gpu").toInt()));
    }
}

} // namespace lb::ui
