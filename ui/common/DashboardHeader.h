#pragma once
// The top of a dashboard (a run's, a sweep's): a title that elides with a status pill beside
// it, a line of facts that wraps between facts (never inside one), an optional detail (a
// failure's reason) shown whole, and buttons that sit on the right while they fit and wrap
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
    // A longer text under the facts (a failed run's reason), whole, wrapped and selectable;
    // hidden while empty.
    QLabel* detail = nullptr;
    QLabel* error = nullptr;
    HeaderLayout* layout = nullptr;

    void addButton(QPushButton* button) const;
};

// "duration 9 s" as one unbreakable piece: a wrapped facts line breaks between facts only
// (#23 item 11: "duration 9 / s").
QString unbreakable(const QString& fact);
// The facts, each kept whole, joined by a separator that a line may break at.
QString joinFacts(const QStringList& facts);

// Builds the header (styled through `objectName`) and the banner at the top of `dashboard`.
DashboardHeader makeDashboardHeader(QVBoxLayout* dashboard, const QString& objectName,
                                    const QString& title);

} // namespace lb::ui
