#include "ui/common/FieldMarks.h"

#include <QLabel>
#include <QStyle>
#include <QVariant>

namespace lb::ui {

void restyle(QWidget* widget) {
    widget->style()->unpolish(widget);
    widget->style()->polish(widget);
}

void markField(QWidget* field, const QString& reason) {
    const bool invalid = !reason.isEmpty();
    if (field->property("invalid").toBool() == invalid && field->toolTip() == reason) return;
    field->setProperty("invalid", invalid);
    field->setToolTip(reason);
    restyle(field);
}

void FieldMarks::mark(QWidget* field, const QString& reason) {
    markField(field, reason);
    marked_.append(field);
}

void FieldMarks::clear() {
    for (QWidget* field : marked_)
        markField(field, QString());
    marked_.clear();
}

QLabel* makeProblemLabel() {
    auto* label = new QLabel;
    label->setWordWrap(true);
    setProblemTone(label, ProblemTone::Problem);
    return label;
}

void setProblemTone(QLabel* label, ProblemTone tone) {
    label->setStyleSheet(tone == ProblemTone::Problem ? QStringLiteral("color: #cf222e;")
                                                      : QStringLiteral("color: #57606a;"));
}

} // namespace lb::ui
