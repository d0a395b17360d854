#pragma once
// The workspaces the workbench opened last (QSettings), newest first.

#include <QStringList>

namespace lb {

class RecentWorkspaces {
public:
    static constexpr int kMax = 8;
    static QStringList list();
    // Moves `root` to the front.
    static void add(const QString& root);
    static void remove(const QString& root);
};

} // namespace lb
