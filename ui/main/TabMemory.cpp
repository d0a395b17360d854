#include "ui/main/TabMemory.h"

#include "ui/main/WorkbenchTabs.h"
#include "ui/run/RunDashboard.h"
#include "ui/runs/RunsTablePage.h"
#include "ui/sweep/SweepDashboard.h"

#include <QCryptographicHash>
#include <QDir>
#include <QSettings>

namespace lb::ui {

namespace {

// One key per workspace folder; a hash keeps any path a valid, short settings key.
QString keyFor(const QString& root) {
    const QByteArray hash = QCryptographicHash::hash(QDir::cleanPath(root).toUtf8(),
                                                     QCryptographicHash::Sha1);
    return QStringLiteral("openTabs/%1").arg(QString::fromLatin1(hash.toHex()));
}

QString describePage(QWidget* page) {
    if (auto* run = qobject_cast<RunDashboard*>(page))
        return QStringLiteral("run:") + run->runId();
    if (auto* sweep = qobject_cast<SweepDashboard*>(page))
        return QStringLiteral("sweep:") + sweep->sweepId();
    if (qobject_cast<RunsTablePage*>(page))
        return QStringLiteral("runs");
    return {};
}

} // namespace

OpenTabs TabMemory::describe(const WorkbenchTabs& tabs) {
    OpenTabs open;
    for (QWidget* page : tabs.pages()) {
        const QString what = describePage(page);
        if (what.isEmpty())
            continue;
        if (page == tabs.currentWidget())
            open.current = static_cast<int>(open.pages.size());
        open.pages.append(what);
    }
    return open;
}

void TabMemory::save(const QString& workspaceRoot, const OpenTabs& tabs) {
    if (workspaceRoot.isEmpty())
        return;
    QSettings settings;
    settings.setValue(keyFor(workspaceRoot) + QStringLiteral("/pages"), tabs.pages);
    settings.setValue(keyFor(workspaceRoot) + QStringLiteral("/current"), tabs.current);
}

OpenTabs TabMemory::load(const QString& workspaceRoot) {
    OpenTabs open;
    if (workspaceRoot.isEmpty())
        return open;
    QSettings settings;
    open.pages = settings.value(keyFor(workspaceRoot) + QStringLiteral("/pages")).toStringList();
    open.current = settings.value(keyFor(workspaceRoot) + QStringLiteral("/current"), -1).toInt();
    return open;
}

} // namespace lb::ui
