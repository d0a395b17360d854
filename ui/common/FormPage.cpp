#include "ui/common/FormPage.h"

#include <QHBoxLayout>
#include <QVBoxLayout>

namespace lb::ui {

FormPage::FormPage(QWidget* parent)
    : QScrollArea(parent) {
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    auto* page = new QWidget;
    sections_ = new QVBoxLayout(page);
    sections_->setContentsMargins(16, 12, 16, 12);
    sections_->setSpacing(10);
    sections_->addStretch();
    setWidget(page);
}

void FormPage::addSection(QWidget* section) {
    // Before the stretch, which stays last.
    sections_->insertWidget(sections_->count() - 1, section);
}

void FormPage::addSections(QWidget* left, QWidget* right) {
    auto* row = new QHBoxLayout;
    row->addWidget(left, 1);
    row->addWidget(right, 1);
    sections_->insertLayout(sections_->count() - 1, row);
}

} // namespace lb::ui
