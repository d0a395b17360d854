#pragma once
// Which pages were open in a workspace, kept across restarts (#23 item 11): run and sweep
// dashboards, the runs table, comparisons and estimator forms, by what identifies them (a form
// by its estimator), in tab order, with the one in front. Stored in QSettings per workspace, as
// the runs table keeps its columns.

#include "core/estimator/Estimator.h"

#include <QString>
#include <QStringList>
#include <optional>

class QWidget;

namespace lb::ui {

class WorkbenchTabs;

struct OpenTabs {
    // "run:<id>", "sweep:<id>", "runs", "compare:<id>,<id>…", "estimator:<estimator JSON>"
    QStringList pages;
    int current = -1; // index into pages of the page in front; -1: the start page
};

class TabMemory {
public:
    // What `tabs` shows that can be opened again (sweep forms and the Models and Endpoints
    // pages are not kept).
    static OpenTabs describe(const WorkbenchTabs& tabs);
    // One page as `describe` keeps it; empty for a page that is not kept. A form's secret
    // values are kept as "***" (settings are a plain file): the form asks for them again.
    static QString describePage(QWidget* page);
    // What a kept page names after its kind ("run:ID" gives "ID").
    static QString pageArgument(const QString& page);
    // The estimator of an "estimator:" page; nothing when it no longer reads as one.
    static std::optional<Estimator> estimatorOf(const QString& page);
    static void save(const QString& workspaceRoot, const OpenTabs& tabs);
    static OpenTabs load(const QString& workspaceRoot);
};

} // namespace lb::ui
