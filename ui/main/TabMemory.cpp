#include "ui/main/TabMemory.h"

#include "core/util/Error.h"
#include "core/util/Json.h"
#include "ui/compare/CompareView.h"
#include "ui/estimator/EstimatorForm.h"
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
    const QByteArray hash =
        QCryptographicHash::hash(QDir::cleanPath(root).toUtf8(), QCryptographicHash::Sha1);
    return QStringLiteral("openTabs/%1").arg(QString::fromLatin1(hash.toHex()));
}

const QLatin1String kEstimatorPage("estimator:");

} // namespace

QString TabMemory::describePage(QWidget* page) {
    if (auto* run = qobject_cast<RunDashboard*>(page)) return QStringLiteral("run:") + run->runId();
    if (auto* sweep = qobject_cast<SweepDashboard*>(page))
        return QStringLiteral("sweep:") + sweep->sweepId();
    if (qobject_cast<RunsTablePage*>(page)) return QStringLiteral("runs");
    if (auto* compare = qobject_cast<CompareView*>(page))
        return QStringLiteral("compare:") + compare->runIds().join(QLatin1Char(','));
    if (auto* form = qobject_cast<EstimatorForm*>(page)) {
        const Json json = form->estimator().toJson(Estimator::SecretValues::Masked);
        return kEstimatorPage + QString::fromStdString(json.dump());
    }
    return {};
}

QString TabMemory::pageArgument(const QString& page) {
    const qsizetype colon = page.indexOf(QLatin1Char(':'));
    return colon < 0 ? QString() : page.mid(colon + 1);
}

std::optional<Estimator> TabMemory::estimatorOf(const QString& page) {
    if (!page.startsWith(kEstimatorPage)) return std::nullopt;
    try {
        const QString origin = QStringLiteral("the tabs kept from the last session");
        return Estimator::fromJson(parseJson(pageArgument(page).toUtf8(), origin), origin);
    } catch (const Error&) {
        return std::nullopt; // kept by another version, or edited by hand: not reopened
    }
}

OpenTabs TabMemory::describe(const WorkbenchTabs& tabs) {
    OpenTabs open;
    for (QWidget* page : tabs.pages()) {
        const QString what = describePage(page);
        if (what.isEmpty()) continue;
        if (page == tabs.currentWidget()) open.current = static_cast<int>(open.pages.size());
        open.pages.append(what);
    }
    return open;
}

void TabMemory::save(const QString& workspaceRoot, const OpenTabs& tabs) {
    if (workspaceRoot.isEmpty()) return;
    QSettings settings;
    settings.setValue(keyFor(workspaceRoot) + QStringLiteral("/pages"), tabs.pages);
    settings.setValue(keyFor(workspaceRoot) + QStringLiteral("/current"), tabs.current);
}

OpenTabs TabMemory::load(const QString& workspaceRoot) {
    OpenTabs open;
    if (workspaceRoot.isEmpty()) return open;
    QSettings settings;
    open.pages = settings.value(keyFor(workspaceRoot) + QStringLiteral("/pages")).toStringList();
    open.current = settings.value(keyFor(workspaceRoot) + QStringLiteral("/current"), -1).toInt();
    return open;
}

} // namespace lb::ui
