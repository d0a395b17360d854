#include "ui/common/FormFooter.h"

#include "core/util/Error.h"
#include "ui/common/AppStyle.h"
#include "ui/common/FieldMarks.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace lb::ui {

FormFooter::FormFooter(const QString& submitText, QWidget* parent)
    : QWidget(parent)
    , submitText_(submitText) {
    row_ = new QHBoxLayout(this);
    row_->setContentsMargins(16, 8, 16, 10);
    error_ = makeErrorBanner();
    row_->addWidget(error_, 1);
    auto* load = new QPushButton(tr("Load JSON…"));
    auto* save = new QPushButton(tr("Save as JSON…"));
    submit_ = new QPushButton(submitText_);
    submit_->setObjectName(QStringLiteral("primary"));
    row_->addWidget(load);
    row_->addWidget(save);
    row_->addWidget(submit_);
    connect(load, &QPushButton::clicked, this, &FormFooter::chooseLoad);
    connect(save, &QPushButton::clicked, this, &FormFooter::chooseSave);
}

void FormFooter::addAction(QPushButton* button) {
    // Before the last three: Load JSON…, Save as JSON… and Submit.
    row_->insertWidget(row_->count() - 3, button);
}

void FormFooter::setError(const QString& text) {
    showBanner(QStringLiteral("errorBanner"), text);
}

QString FormFooter::error() const {
    return error_->isHidden() || error_->objectName() != QLatin1String("errorBanner")
               ? QString()
               : error_->text();
}

void FormFooter::setHint(const QString& text) {
    showBanner(QStringLiteral("hintBanner"), text);
}

QString FormFooter::hint() const {
    return error_->isHidden() || error_->objectName() != QLatin1String("hintBanner")
               ? QString()
               : error_->text();
}

void FormFooter::showBanner(const QString& kind, const QString& text) {
    if (error_->objectName() != kind) {
        error_->setObjectName(kind);
        restyle(error_);
    }
    error_->setText(text);
    error_->setVisible(!text.isEmpty());
}

void FormFooter::setJsonFiles(JsonFiles files) {
    files_ = std::move(files);
}

void FormFooter::chooseLoad() {
    const QString folder = files_.loadFolder ? files_.loadFolder() : QString();
    const QString file =
        QFileDialog::getOpenFileName(this, files_.loadCaption, folder, files_.filter);
    if (!file.isEmpty()) emit loadChosen(file);
}

void FormFooter::chooseSave() {
    const QString proposed = files_.savePath ? files_.savePath() : QString();
    const QString file =
        QFileDialog::getSaveFileName(this, files_.saveCaption, proposed, files_.filter);
    if (!file.isEmpty()) emit saveChosen(file);
}

bool FormFooter::loadJson(const QString& path, const std::function<void()>& read) {
    try {
        read();
    } catch (const Error& e) {
        setError(e.message());
        return false;
    }
    emit message(tr("Loaded %1").arg(QFileInfo(path).fileName()));
    return true;
}

bool FormFooter::saveJson(const QString& path, const std::function<Json()>& make) {
    try {
        writeJsonFile(path, make());
    } catch (const Error& e) {
        setError(e.message());
        return false;
    }
    emit message(tr("Saved %1").arg(QFileInfo(path).fileName()));
    return true;
}

void FormFooter::startSubmit(const std::function<quint64()>& send) {
    submitting_ = true;
    submit_->setEnabled(false);
    submit_->setText(tr("Submitting…"));
    request_ = send();
}

bool FormFooter::finishSubmit(quint64 request) {
    if (!submitting_ || request != request_) return false;
    forgetSubmit();
    return true;
}

void FormFooter::forgetSubmit() {
    submitting_ = false;
    submit_->setText(submitText_);
}

} // namespace lb::ui
