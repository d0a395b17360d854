#pragma once
// Submitting and cancelling sweeps for the workbench, on background threads (a submit
// snapshots nothing yet but opens the workspace, validates against the compute target and
// starts the sweep driver; none of it may freeze a window). Uses core/sweep's submitSweep and
// cancelSweep with a workspace opened on that thread.

#include "core/sweep/SweepSpec.h"

#include "core/live/ActionThreads.h"

#include <QObject>
#include <vector>

namespace lb {

class SweepActions : public QObject {
    Q_OBJECT
public:
    explicit SweepActions(QString workspaceRoot, QObject* parent = nullptr);
    ~SweepActions() override; // waits for actions still running

    const QString& workspaceRoot() const { return root_; }
    // Returns a request number that submitted/submitFailed carry.
    quint64 submit(const sweep::SweepSpec& spec);
    void cancel(const QString& sweepId);

signals:
    void submitted(quint64 request, const QString& sweepId);
    void submitFailed(quint64 request, const QString& message);
    void cancelRequested(const QString& sweepId);
    void cancelFailed(const QString& sweepId, const QString& message);

private:
    QString root_;
    ActionThreads threads_;
    quint64 nextRequest_ = 1;
};

} // namespace lb
