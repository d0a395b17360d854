#pragma once
// Which fields of a form the user has been to, so that a form shows a problem in red only where
// the user has been (#23 item 9): a new form does not open red. A field counts as touched once
// the keyboard focus leaves it (or anything inside it), when the form fills it from something
// the user brought (a drop, a loaded file), or, all at once, when the user presses Submit.

#include <QObject>
#include <QPointer>
#include <QSet>

class QWidget;

namespace lb::ui {

class TouchedFields : public QObject {
    Q_OBJECT
public:
    explicit TouchedFields(QObject* parent = nullptr);

    // Follows `field`: focus leaving it marks it touched.
    void watch(QWidget* field);
    void touch(QWidget* field);
    // Every field counts as touched from now on (Submit was pressed).
    void touchAll();
    bool isTouched(const QWidget* field) const;

    // True when `field` holds nothing yet: an empty line edit or editable combo box, a table or
    // list without rows. A problem on a blank field nobody touched is not the user's doing.
    static bool isBlank(const QWidget* field);

signals:
    void touched(QWidget* field);

private:
    void focusMoved(QWidget* from, QWidget* to);
    QList<QPointer<QWidget>> watched_;
    QSet<const QWidget*> touched_;
    bool all_ = false;
};

} // namespace lb::ui
