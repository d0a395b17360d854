#include "ui/main/WorkbenchTabs.h"

namespace lb::ui {

WorkbenchTabs::WorkbenchTabs(QWidget* startPage, QWidget* parent)
    : QTabWidget(parent)
    , start_(startPage) {
    // The end-to-end state hook and tests find the centre by this name.
    setObjectName(QStringLiteral("workbenchTabs"));
    setTabsClosable(true);
    setMovable(true);
    setDocumentMode(true);
    addTab(start_, tr("Start"));
    connect(this, &QTabWidget::tabCloseRequested, this, [this](int index) {
        QWidget* page = widget(index);
        if (page != start_) closePage(page);
    });
}

QList<QWidget*> WorkbenchTabs::pages() const {
    QList<QWidget*> result;
    for (int i = 0; i < count(); ++i)
        result.append(widget(i));
    return result;
}

void WorkbenchTabs::addPage(QWidget* page, const QString& title, const QIcon& icon) {
    setCurrentIndex(addTab(page, icon, title));
}

void WorkbenchTabs::closePage(QWidget* page) {
    const int index = indexOf(page);
    if (index >= 0) removeTab(index);
    page->deleteLater();
}

} // namespace lb::ui
