#pragma once
// One titled section of a form: a group box of labelled rows, each added in one line that also
// hands the field back to the builder that keeps it; and the plain fields most rows hold.

#include <QFormLayout>
#include <QGroupBox>
#include <QList>
#include <QVariant>

class QComboBox;
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

// One entry of a choice box: the label shown and the value currentData() gives.
struct Choice {
    QString label;
    QVariant value;
};
// A combo box offering `choices` in order, the first one chosen.
QComboBox* makeChoiceBox(const QList<Choice>& choices);
// A line edit that shows `placeholder` while it is empty.
QLineEdit* makeLineEdit(const QString& placeholder = {});
// A spin box limited to [minimum, maximum]; its value is 0, or the bound nearer to 0.
QSpinBox* makeSpinBox(int minimum, int maximum);

} // namespace lb::ui
