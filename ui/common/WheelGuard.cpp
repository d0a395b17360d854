#include "ui/common/WheelGuard.h"

#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QEvent>
#include <QScrollBar>

namespace lb::ui {

void WheelGuard::install(QApplication& app) {
    if (app.findChild<WheelGuard*>(QString(), Qt::FindDirectChildrenOnly))
        return;
    app.installEventFilter(new WheelGuard(&app));
}

bool WheelGuard::guards(const QObject* object) {
    // Scroll bars are sliders too, but scrolling is what their wheel is for.
    if (qobject_cast<const QScrollBar*>(object))
        return false;
    return qobject_cast<const QComboBox*>(object) || qobject_cast<const QAbstractSpinBox*>(object) ||
           qobject_cast<const QAbstractSlider*>(object);
}

bool WheelGuard::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Polish && guards(watched)) {
        // WheelFocus (Qt's default for these) would hand focus to whatever the wheel passes
        // over; StrongFocus takes a click or Tab, so a wheel over an unfocused field scrolls on.
        auto* widget = static_cast<QWidget*>(watched);
        if (widget->focusPolicy() == Qt::WheelFocus)
            widget->setFocusPolicy(Qt::StrongFocus);
        return false;
    }
    if (event->type() == QEvent::Wheel && guards(watched) &&
        !static_cast<QWidget*>(watched)->hasFocus()) {
        // Consumed here but left unaccepted: QApplication hands a real wheel event on to the
        // parent, so the scroll area around the field scrolls instead.
        event->ignore();
        return true;
    }
    return false;
}

} // namespace lb::ui
