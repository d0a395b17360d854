#pragma once
// Keeps the mouse wheel from changing settings (#23 item 1): a combo box, spin box or slider
// takes wheel events only while it has keyboard focus; otherwise the wheel scrolls the page or
// table around it. Installed once on the application, so every form and dialog gets it.

#include <QObject>

class QApplication;

namespace lb::ui {

class WheelGuard : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    // Installs one guard on `app` (a second call does nothing).
    static void install(QApplication& app);
    // True for the widgets the guard protects: combo boxes, spin boxes and sliders.
    static bool guards(const QObject* object);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
};

} // namespace lb::ui
