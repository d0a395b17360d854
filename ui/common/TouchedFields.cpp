#include "ui/common/TouchedFields.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QLineEdit>

#include <utility>

namespace lb::ui {

namespace {

bool within(const QWidget* field, const QWidget* w) {
    return w && (w == field || field->isAncestorOf(w));
}

} // namespace

TouchedFields::TouchedFields(QObject* parent)
    : QObject(parent) {
    connect(qApp, &QApplication::focusChanged, this, &TouchedFields::focusMoved);
}

void TouchedFields::watch(QWidget* field) {
    watched_.append(field);
}

void TouchedFields::touch(QWidget* field) {
    if (!field || touched_.contains(field))
        return;
    touched_.insert(field);
    emit touched(field);
}

void TouchedFields::touchAll() {
    all_ = true;
}

bool TouchedFields::isTouched(const QWidget* field) const {
    return all_ || touched_.contains(field);
}

bool TouchedFields::isBlank(const QWidget* field) {
    if (auto* line = qobject_cast<const QLineEdit*>(field))
        return line->text().trimmed().isEmpty();
    if (auto* combo = qobject_cast<const QComboBox*>(field))
        return combo->isEditable() && combo->currentText().trimmed().isEmpty();
    if (auto* view = qobject_cast<const QAbstractItemView*>(field))
        return !view->model() || view->model()->rowCount() == 0;
    return false;
}

void TouchedFields::focusMoved(QWidget* from, QWidget* to) {
    for (const QPointer<QWidget>& field : std::as_const(watched_)) {
        if (field && within(field, from) && !within(field, to))
            touch(field);
    }
}

} // namespace lb::ui
