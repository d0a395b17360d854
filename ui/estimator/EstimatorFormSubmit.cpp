// The estimator form's Submit: through RunActions, off the GUI thread, with a question first
// when the source folder's snapshot would be large (the CLI's warning, #23 item 4).
#include "core/live/RunActions.h"
#include "ui/common/FormFooter.h"
#include "ui/common/TouchedFields.h"
#include "ui/estimator/EstimatorForm.h"

#include <QMessageBox>
#include <QPushButton>

namespace lb::ui {

namespace {

// Whether the user submits a large snapshot anyway; `warning` is the core's sentence, which
// names the size, the biggest items and the ignore file.
bool submitLargeSnapshotAnyway(QWidget* parent, const QString& warning) {
    QMessageBox box(QMessageBox::Warning, QObject::tr("Large snapshot"), warning,
                    QMessageBox::NoButton, parent);
    box.setObjectName(QStringLiteral("largeSnapshotQuestion"));
    box.setInformativeText(QObject::tr("Every run copies this folder. Submit anyway?"));
    QPushButton* anyway = box.addButton(QObject::tr("Submit anyway"), QMessageBox::AcceptRole);
    QPushButton* cancel = box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(cancel);
    box.setEscapeButton(cancel);
    box.exec();
    return box.clickedButton() == anyway;
}

} // namespace

void EstimatorForm::setActions(RunActions* actions) {
    if (actions_) disconnect(actions_, nullptr, this, nullptr);
    actions_ = actions;
    footer_->forgetSubmit();
    if (actions_) {
        connect(actions_, &RunActions::submitted, this,
                [this](quint64 request, const QString& runId) {
                    if (!footer_->finishSubmit(request)) return;
                    validateNow();
                    emit message(tr("Submitted run %1").arg(runId));
                    emit submitted(runId);
                });
        connect(actions_, &RunActions::submitFailed, this,
                [this](quint64 request, const QString& m) {
                    if (!footer_->finishSubmit(request)) return;
                    validateNow();
                    footer_->setError(m);
                });
        connect(actions_, &RunActions::largeSnapshot, this, &EstimatorForm::askAboutLargeSnapshot);
    }
    validateNow();
}

void EstimatorForm::submit() {
    touched_->touchAll(); // Submit asks about every field
    validateNow();
    if (!canSubmit()) return;
    sent_ = estimator();
    sent_.applyFrameworkDefaults();
    footer_->startSubmit([this] { return actions_->submit(sent_, sent_.experiment); });
}

void EstimatorForm::askAboutLargeSnapshot(quint64 request, const QString& warning) {
    if (!footer_->finishSubmit(request)) return;
    validateNow();
    if (!submitLargeSnapshotAnyway(this, warning)) {
        emit message(tr("Not submitted: the snapshot would be large."));
        return;
    }
    // The question held an event loop: the window may have moved to another workspace meanwhile.
    if (!actions_ || footer_->submitting()) return;
    footer_->startSubmit([this] { return actions_->submit(sent_, sent_.experiment, true); });
}

} // namespace lb::ui
