#include "core/workspace/WorkspaceDiscovery.h"

#include "core/util/Error.h"
#include "core/util/Json.h"
#include "core/util/SafeFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace lb {

namespace {

// A config.json counts as a workspace's when the store sits beside it or when it has the keys
// a workspace config has; other tools' config.json files on the way up are passed over.
bool looksLikeWorkspace(const QString& dir) {
    if (QFileInfo::exists(dir + QStringLiteral("/labbench.db")))
        return true;
    QByteArray text;
    try {
        // A FIFO or a link to /dev/zero on the way up must neither hang nor fill memory (#25).
        text = readFileWithLimit(dir + QStringLiteral("/config.json"));
    } catch (const Error&) {
        return false;
    }
    const Json doc = Json::parse(text.begin(), text.end(), nullptr, false);
    return doc.is_object() && doc.contains("schema_version") && doc.contains("id") && doc.contains("name");
}

} // namespace

QString defaultWorkspaceDir() {
    QString data = qEnvironmentVariable("XDG_DATA_HOME");
    if (data.isEmpty())
        data = QDir::homePath() + QStringLiteral("/.local/share");
    return data + QStringLiteral("/labbench/default");
}

QString findWorkspaceRoot(const QString& startDir) {
    QDir dir(startDir.isEmpty() ? QDir::currentPath() : startDir);
    dir.makeAbsolute();
    while (true) {
        const QString path = dir.absolutePath();
        if (QFileInfo::exists(path + QStringLiteral("/.labbench/config.json")))
            return path + QStringLiteral("/.labbench");
        if (QFileInfo::exists(path + QStringLiteral("/config.json")) && looksLikeWorkspace(path))
            return path;
        if (!dir.cdUp())
            return {};
    }
}

QString discoverWorkspaceDir(const std::optional<QString>& explicitDir, const QString& startDir) {
    if (explicitDir && !explicitDir->isEmpty())
        return *explicitDir;
    const QString fromEnv = qEnvironmentVariable("LABBENCH_WORKSPACE");
    if (!fromEnv.isEmpty())
        return fromEnv;
    const QString found = findWorkspaceRoot(startDir);
    return found.isEmpty() ? defaultWorkspaceDir() : found;
}

Workspace discoverWorkspace(const std::optional<QString>& explicitDir, const QString& startDir) {
    if (explicitDir && !explicitDir->isEmpty())
        return Workspace::open(*explicitDir);
    const QString fromEnv = qEnvironmentVariable("LABBENCH_WORKSPACE");
    if (!fromEnv.isEmpty())
        return Workspace::open(fromEnv);
    const QString found = findWorkspaceRoot(startDir);
    if (!found.isEmpty())
        return Workspace::open(found);
    const QString fallback = defaultWorkspaceDir();
    if (Workspace::rootIn(fallback).isEmpty()) {
        try {
            return Workspace::create(fallback, QStringLiteral("default"));
        } catch (const Error&) {
            // Two processes started on a fresh machine at once: the other one created it.
            if (Workspace::rootIn(fallback).isEmpty())
                throw;
        }
    }
    return Workspace::open(fallback);
}

} // namespace lb
