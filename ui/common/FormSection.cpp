#include "ui/common/FormSection.h"

#include <QComboBox>
#include <QLineEdit>
#include <QSpinBox>

namespace lb::ui {

FormSection::FormSection(const QString& title, QWidget* parent)
    : QGroupBox(title, parent)
    , rows_(new QFormLayout(this)) {}

QComboBox* makeChoiceBox(const QList<Choice>& choices) {
    auto* box = new QComboBox;
    for (const Choice& c : choices)
        box->addItem(c.label, c.value);
    return box;
}

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
