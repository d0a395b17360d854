#pragma once
// Watches a workspace's store from a background thread: whenever another process commits
// (Store::dataVersion() changes) it runs a loader there and hands the result to the UI thread
// as one queued signal. The loader opens nothing on the UI thread, so a slow disk or a locked
// database never freezes a window.

#include "core/live/PollThread.h"

#include <QObject>
#include <QVariant>

#include <atomic>
#include <functional>

namespace lb {

class Workspace;

class StoreWatcher : public QObject {
    Q_OBJECT
public:
    // Runs on the watcher's thread with a workspace opened there; its result goes to loaded().
    using Loader = std::function<QVariant(Workspace&)>;

    StoreWatcher(QString workspaceRoot, Loader loader, int intervalMs = 400,
                 QObject* parent = nullptr);
    ~StoreWatcher() override;

    void start();
    // Loads again at once, even if nothing changed.
    void refreshNow();
    // Also reload every `ms` even without a store change (live durations of remote runs, …);
    // 0 turns it off.
    void setForcedReloadMs(int ms) { forcedReloadMs_ = ms; }
    // Creates the workspace (with this name) when the folder holds none yet; call before start().
    void setCreateIfMissing(const QString& name) { createName_ = name; }

signals:
    void loaded(const QVariant& value);
    // The workspace or store could not be opened or read; one sentence with the fix.
    void failed(const QString& message);

private:
    void tick();
    QString root_;
    Loader loader_;
    int intervalMs_;
    std::atomic<int> forcedReloadMs_{0};
    std::atomic<bool> force_{true};
    PollThread thread_;
    // Owned by the thread only.
    std::shared_ptr<Workspace> workspace_;
    std::int64_t lastVersion_ = -1;
    std::int64_t lastLoadMs_ = 0;
    QString lastError_;
    QString createName_;
};

} // namespace lb
