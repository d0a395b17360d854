#pragma once
// One titled section of a form: a group box of labelled rows, each added in one line that also
// hands the field back to the builder that keeps it; and the plain fields most rows hold.

#include <QFormLayout>
#include <QGroupBox>

class QLineEdit;
class QSpinBox;

namespace lb::ui {

class FormSection : public QGroupBox {
    Q_OBJECT
public:
    explicit FormSection(const QString& title, QWidget* parent = nullptr);

    // Adds `field` (a widget, or a layout of several) under `label` and returns it.
    template <typename Field> Field* add(const QString& label, Field* field) {
        rows_->addRow(label, field);
        return field;
    }

private:
    QFormLayout* rows_ = nullptr;
};

// A line edit that shows `placeholder` while it is empty.
QLineEdit* makeLineEdit(const QString& placeholder = {});
// A spin box limited to [minimum, maximum]; its value is 0, or the bound nearer to 0.
QSpinBox* makeSpinBox(int minimum, int maximum);

} // namespace lb::ui
