#pragma once
// The centre of the workbench window: a tab per page (estimator and sweep forms, run and sweep
// dashboards, comparisons, the Models and Endpoints pages) after the start page, which never
// closes. A page's tab can follow its title; closing a tab deletes its page.

#include <QTabWidget>

namespace lb::ui {

class WorkbenchTabs : public QTabWidget {
    Q_OBJECT
public:
    explicit WorkbenchTabs(QWidget* startPage, QWidget* parent = nullptr);

    QWidget* startPage() const { return start_; }
    // Every page, the start page first, in tab order.
    QList<QWidget*> pages() const;
    // Adds `page` (owned from then on) and brings it to the front.
    void addPage(QWidget* page, const QString& title, const QIcon& icon);
    // Takes `page` out and deletes it once its pending events are done.
    void closePage(QWidget* page);

    // A page's tab text, and its tooltip (the title when none is given: an elided tab still
    // says what it is).
    void setPageTitle(QWidget* page, const QString& title, const QString& toolTip = {});
    // Keeps `page`'s tab text on the title its `titleChanged` signal gives (and its tooltip on
    // the page's "titleToolTip" property, where it has one).
    template <class Page> void followTitle(Page* page, void (Page::*titleChanged)(const QString&)) {
        connect(page, titleChanged, this,
                [this, page](const QString& title) {
                    setPageTitle(page, title, page->property("titleToolTip").toString());
                });
    }

    // The first page of type Page that `matches`, brought to the front; null when none does.
    template <class Page, class Match> Page* raise(Match matches) {
        for (QWidget* page : pages()) {
            if (auto* p = qobject_cast<Page*>(page); p && matches(*p)) {
                setCurrentWidget(p);
                return p;
            }
        }
        return nullptr;
    }

private:
    QWidget* start_ = nullptr;
};

} // namespace lb::ui
