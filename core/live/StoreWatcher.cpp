#include "core/live/StoreWatcher.h"

#include "core/util/Error.h"
#include "core/workspace/Workspace.h"

#include <QDateTime>

namespace lb {

StoreWatcher::StoreWatcher(QString workspaceRoot, Loader loader, int intervalMs, QObject* parent)
    : QObject(parent), root_(std::move(workspaceRoot)), loader_(std::move(loader)),
      intervalMs_(intervalMs) {}

StoreWatcher::~StoreWatcher() { thread_.stop(); }

void StoreWatcher::start() {
    thread_.start([this] { tick(); }, std::chrono::milliseconds(intervalMs_));
}

void StoreWatcher::refreshNow() {
    force_ = true;
    thread_.wake();
}

void StoreWatcher::tick() {
    try {
        // A store deleted, moved aside or rebuilt under us (issue 25): a connection to the old
        // file would go on showing it; reopen, which says what is wrong or shows the new one.
        if (workspace_ && workspace_->store().isReplacedOnDisk()) {
            workspace_.reset();
            lastVersion_ = -1;
        }
        if (!workspace_) {
            if (!createName_.isEmpty() && Workspace::rootIn(root_).isEmpty())
                workspace_ = std::make_shared<Workspace>(Workspace::create(root_, createName_));
            else
                workspace_ = std::make_shared<Workspace>(Workspace::open(root_));
        }
        const std::int64_t version = workspace_->store().dataVersion();
        const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
        const int forced = forcedReloadMs_;
        const bool due = forced > 0 && now - lastLoadMs_ >= forced;
        const bool forcedNow = force_.exchange(false);
        if (version == lastVersion_ && !forcedNow && !due)
            return;
        lastVersion_ = version;
        lastLoadMs_ = now;
        QVariant value = loader_(*workspace_);
        lastError_.clear();
        emit loaded(value);
    } catch (const std::exception& e) {
        workspace_.reset(); // reopen next time: the folder may come back
        lastVersion_ = -1;
        const QString message = QString::fromStdString(e.what());
        if (message != lastError_) // one report per distinct problem, not one per poll
            emit failed(message);
        lastError_ = message;
    }
}

} // namespace lb
