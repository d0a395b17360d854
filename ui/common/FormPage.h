#pragma once
// A form's scrolling page: group-box sections stacked from the top with the margins and
// spacing every form uses, one at a time or two side by side; a stretch below keeps them up.

#include <QScrollArea>

class QVBoxLayout;

namespace lb::ui {

class FormPage : public QScrollArea {
    Q_OBJECT
public:
    explicit FormPage(QWidget* parent = nullptr);

    // Adds `section` below the ones before it, across the whole width.
    void addSection(QWidget* section);
    // Adds two sections in one row, sharing its width equally.
    void addSections(QWidget* left, QWidget* right);

private:
    QVBoxLayout* sections_ = nullptr;
};

} // namespace lb::ui
