#include "core/workspace/Workspace.h"

#include "core/util/Error.h"
#include "core/util/Json.h"
#include "core/workspace/StoreCheck.h"
#include "core/workspace/mirror/ComputeTargetFile.h"
#include "core/workspace/mirror/StoreMirror.h"

#include <QDir>
#include <QFileInfo>
#include <QThread>

namespace lb {

Workspace::Workspace(QString root, WorkspaceConfig config)
    : root_(std::move(root)), config_(std::move(config)) {}

QString Workspace::rootIn(const QString& dir) {
    const QString absolute = QDir(dir).absolutePath();
    if (QFileInfo::exists(absolute + QStringLiteral("/config.json")))
        return absolute;
    if (QFileInfo::exists(absolute + QStringLiteral("/.labbench/config.json")))
        return absolute + QStringLiteral("/.labbench");
    return {};
}

Workspace Workspace::create(const QString& dir, const QString& name) {
    if (!isValidWorkspaceName(name))
        throw Error(QStringLiteral("'%1' is not a valid workspace name: use 1-64 letters, digits, "
                                   "spaces, '-', '_' or '.'.")
                        .arg(name));
    const QString root = QDir(dir).absolutePath();
    if (QFileInfo::exists(root + QStringLiteral("/config.json")))
        throw Error(QStringLiteral("%1 already holds a workspace (config.json exists); open it with "
                                   "--workspace %1 or choose an empty folder.")
                        .arg(root));
    if (QFileInfo(root).exists() && !QFileInfo(root).isDir())
        throw Error(QStringLiteral("%1 is a file, not a folder; choose a folder for the workspace.").arg(root));
    for (const char* sub : {"", "/runs", "/models", "/environments"}) {
        if (!QDir().mkpath(root + QLatin1String(sub)))
            throw Error(QStringLiteral("Cannot create the folder %1%2; check the permissions of its parent.")
                            .arg(root, QLatin1String(sub)));
    }
    Workspace ws(root, WorkspaceConfig::makeNew(name));
    // The store first: if it cannot be created, no half-made config.json is left behind.
    ws.store_ = std::make_shared<Store>(ws.storePath());
    installStoreMirror(root, *ws.store_);
    ensureLocalTarget(root, *ws.store_);
    ws.config_.save(ws.configPath());
    return ws;
}

Workspace Workspace::open(const QString& dir) {
    const QString absolute = QDir(dir).absolutePath();
    if (!QFileInfo(absolute).isDir())
        throw Error(QStringLiteral("The workspace folder %1 does not exist; create a workspace with "
                                   "'labbench workspace init %1'.")
                        .arg(absolute));
    const QString root = rootIn(absolute);
    if (root.isEmpty())
        throw Error(QStringLiteral("%1 is not a Labbench workspace (it has no config.json); create one "
                                   "with 'labbench workspace init %1'.")
                        .arg(absolute));
    Workspace ws(root, WorkspaceConfig::load(root + QStringLiteral("/config.json")));
    // A store that is gone while the folders still hold runs is reported, never silently
    // replaced by an empty one (issue 25); `labbench workspace repair` rebuilds it.
    const bool mayCreate = checkStoreBeforeOpen(root, ws.storePath());
    ws.store_ = std::make_shared<Store>(ws.storePath(), mayCreate);
    checkStoreAfterOpen(root, *ws.store_);
    installStoreMirror(root, *ws.store_);
    backfillStoreMirror(root, *ws.store_);
    ensureLocalTarget(root, *ws.store_);
    return ws;
}

void Workspace::ensureLocalTarget(const QString& root, Store& store) {
    auto targets = store.computeTargets();
    if (targets.find(QStringLiteral("local")))
        return;
    Json config;
    config["max_concurrent_runs"] = std::max(1, QThread::idealThreadCount());
    config["gpus"] = Json::array();
    ComputeTargetRecord local{QStringLiteral("local"), QStringLiteral("local"), fromStd(config.dump()), {}};
    try {
        // A store made afresh takes back the settings the user gave "local" (its mirror file).
        const auto saved = readComputeTargetFile(computeTargetsDir(root) + QStringLiteral("/local.json"));
        if (saved.kind == QLatin1String("local"))
            local = saved;
    } catch (const Error&) {
        // No file (or an unreadable one): the defaults.
    }
    try {
        targets.add(local);
    } catch (const Error&) {
        // Another process added it between our check and insert: that is what we wanted.
        if (!targets.find(QStringLiteral("local")))
            throw;
    }
}

} // namespace lb
