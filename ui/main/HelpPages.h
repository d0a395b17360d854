#pragma once
// Help beyond About (#23 item 14): a short Getting started, and the keyboard shortcuts as the
// menus define them (read from the menu bar, so the page never lists a key that does nothing).

#include <QString>

class QMenuBar;
class QWidget;

namespace lb::ui {

QString gettingStartedHtml();
// Every menu action with a shortcut, "File → New estimator: Ctrl+N", plus the keys forms and
// tables take.
QString keyboardShortcutsHtml(const QMenuBar* bar);
// A small window beside `parent` with `html`, named `objectName`; deleted when closed.
QWidget* showHelpPage(QWidget* parent, const QString& title, const QString& html,
                      const QString& objectName);

} // namespace lb::ui
