#include "core/live/RecentWorkspaces.h"

#include <QDir>
#include <QSettings>

namespace lb {

namespace {
const QString kKey = QStringLiteral("workspaces/recent");
}

QStringList RecentWorkspaces::list() { return QSettings().value(kKey).toStringList(); }

void RecentWorkspaces::add(const QString& root) {
    const QString clean = QDir::cleanPath(QDir(root).absolutePath());
    QStringList l = list();
    l.removeAll(clean);
    l.prepend(clean);
    while (l.size() > kMax)
        l.removeLast();
    QSettings().setValue(kKey, l);
}

void RecentWorkspaces::remove(const QString& root) {
    QStringList l = list();
    l.removeAll(QDir::cleanPath(root));
    QSettings().setValue(kKey, l);
}

} // namespace lb
