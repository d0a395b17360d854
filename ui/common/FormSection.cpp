#include "ui/common/FormSection.h"

#include <QLineEdit>
#include <QSpinBox>

namespace lb::ui {

FormSection::FormSection(const QString& title, QWidget* parent)
    : QGroupBox(title, parent)
    , rows_(new QFormLayout(this)) {}

QLineEdit* makeLineEdit(const QString& placeholder) {
    auto* edit = new QLineEdit;
    edit->setPlaceholderText(placeholder);
    return edit;
}

QSpinBox* makeSpinBox(int minimum, int maximum) {
    auto* spin = new QSpinBox;
    spin->setRange(minimum, maximum);
    return spin;
}

} // namespace lb::ui
