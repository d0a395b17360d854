#pragma once
// Submit and cancel for the workbench, on background threads (a submit snapshots the source
// folder; neither may freeze a window). Uses the runs API (core/runs: submitRun, requestCancel)
// with a workspace opened on that thread.

#include "core/estimator/Estimator.h"
#include "core/live/ActionThreads.h"

#include <QObject>
#include <atomic>
#include <memory>
#include <vector>

namespace lb {

class RunActions : public QObject {
    Q_OBJECT
public:
    explicit RunActions(QString workspaceRoot, QObject* parent = nullptr);
    ~RunActions() override; // waits for actions still running

    const QString& workspaceRoot() const { return root_; }
    // Returns a request number that the submitted/submitFailed/largeSnapshot signals carry.
    // Unless `largeSnapshotAccepted`, a source folder whose snapshot would be large (the CLI's
    // warning, Snapshot.h) is not submitted: largeSnapshot carries the warning instead, so the
    // window can ask and submit again with `largeSnapshotAccepted` (#23 item 4).
    quint64 submit(const Estimator& estimator, const QString& experiment,
                   bool largeSnapshotAccepted = false);
    void cancel(const QString& runId);
    // The next attempt of a Failed, Canceled or Preempted run (core/runs/RunResume.h).
    void resume(const QString& runId);
    // Finishes runs whose supervisor is gone and starts queued runs that now fit (re-attach
    // after the workbench or a machine restarted). Skipped while the previous one still runs.
    void reconcile();

signals:
    void submitted(quint64 request, const QString& runId);
    void submitFailed(quint64 request, const QString& message);
    void largeSnapshot(quint64 request, const QString& warning);
    void cancelRequested(const QString& runId);
    void cancelFailed(const QString& runId, const QString& message);
    void resumed(const QString& runId, int attempt);
    void resumeFailed(const QString& runId, const QString& message);

private:
    QString root_;
    ActionThreads threads_;
    quint64 nextRequest_ = 1;
    std::shared_ptr<std::atomic<bool>> reconciling_ = std::make_shared<std::atomic<bool>>(false);
};

} // namespace lb
