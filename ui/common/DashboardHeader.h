#pragma once
// The top of a dashboard (a run's, a sweep's): a title that elides with a status pill beside
// it, a line of facts that wraps, and buttons that sit on the right while they fit and wrap
// below in narrow windows; then an error banner, hidden until there is something to say.

#include <QString>

class QLabel;
class QPushButton;
class QVBoxLayout;
class QWidget;

namespace lb::ui {

class ElidedLabel;
class HeaderLayout;

struct DashboardHeader {
    QWidget* widget = nullptr; // added to the dashboard's layout by makeDashboardHeader
    ElidedLabel* title = nullptr;
    QLabel* status = nullptr;
    QLabel* facts = nullptr;
    QLabel* error = nullptr;
    HeaderLayout* layout = nullptr;

    void addButton(QPushButton* button) const;
};

// Builds the header (styled through `objectName`) and the banner at the top of `dashboard`.
DashboardHeader makeDashboardHeader(QVBoxLayout* dashboard, const QString& objectName,
                                    const QString& title);

} // namespace lb::ui
