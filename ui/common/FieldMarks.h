#pragma once
// Marking a form's fields: the `invalid` property that AppStyle's rule draws in red, with the
// reason as the field's tooltip; the fields one check marked, so the next check clears exactly
// those; and the red label that states a reason in words.

#include <QList>
#include <QString>

class QLabel;
class QWidget;

namespace lb::ui {

// Applies the style sheet again after a dynamic property or the object name changed: Qt does
// not notice either on its own.
void restyle(QWidget* widget);

// Marks `field` invalid with `reason` as its tooltip, or valid again when `reason` is empty. A
// field already in that state is left alone, so a check on every keystroke restyles nothing.
void markField(QWidget* field, const QString& reason);

// The fields marked since the last clear(), for forms that mark only the fields a check named.
class FieldMarks {
public:
    // Marks `field` invalid with `reason` (not empty) and remembers it.
    void mark(QWidget* field, const QString& reason);
    // Marks every remembered field valid again and forgets them.
    void clear();

private:
    QList<QWidget*> marked_;
};

// A reason in red, word-wrapped, under a field or above a dialog's buttons; empty until set.
QLabel* makeProblemLabel();

enum class ProblemTone { Problem, Progress };
// A problem label also reports work under way ("Copying … into the registry…") in muted grey.
void setProblemTone(QLabel* label, ProblemTone tone);

} // namespace lb::ui
