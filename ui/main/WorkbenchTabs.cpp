#include "ui/main/WorkbenchTabs.h"

#include <QTabBar>

namespace lb::ui {

WorkbenchTabs::WorkbenchTabs(QWidget* startPage, QWidget* parent)
    : QTabWidget(parent)
    , start_(startPage) {
    // The end-to-end state hook and tests find the centre by this name.
    setObjectName(QStringLiteral("workbenchTabs"));
    setTabsClosable(true);
    setMovable(true);
    setDocumentMode(true);
    // Many tabs shrink to elided titles first, then scroll; never clipped mid-word ("rt" for
    // Start, #23 item 11). A tab's full title is in its tooltip.
    setElideMode(Qt::ElideRight);
    setUsesScrollButtons(true);
    tabBar()->setExpanding(false);
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
    const int index = addTab(page, icon, title);
    setTabToolTip(index, title);
    setCurrentIndex(index);
}

void WorkbenchTabs::setPageTitle(QWidget* page, const QString& title, const QString& toolTip) {
    const int index = indexOf(page);
    if (index < 0)
        return;
    setTabText(index, title);
    setTabToolTip(index, toolTip.isEmpty() ? title : toolTip);
}

void WorkbenchTabs::closePage(QWidget* page) {
    const int index = indexOf(page);
    if (index >= 0) removeTab(index);
    page->deleteLater();
}

} // namespace lb::ui
