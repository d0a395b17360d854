#include "core/live/RunActions.h"

#include "core/runs/RunControl.h"
#include "core/runs/RunResume.h"
#include "core/runs/Submit.h"
#include "core/store/RunAttempts.h"
#include "core/workspace/Workspace.h"

namespace lb {

RunActions::RunActions(QString workspaceRoot, QObject* parent)
    : QObject(parent)
    , root_(std::move(workspaceRoot)) {}

RunActions::~RunActions() {
    threads_.waitAll();
}

quint64 RunActions::submit(const Estimator& estimator, const QString& experiment,
                           bool largeSnapshotAccepted) {
    const quint64 request = nextRequest_++;
    threads_.launch([this, estimator, experiment, largeSnapshotAccepted, request] {
        try {
            Workspace workspace = Workspace::open(root_);
            SubmitOptions options;
            options.experiment = experiment;
            if (!largeSnapshotAccepted) {
                const QString warning = submitSnapshotWarning(workspace, estimator, options);
                if (!warning.isEmpty()) {
                    emit largeSnapshot(request, warning);
                    return;
                }
            }
            const RunRecord run = submitRun(workspace, estimator, options);
            emit submitted(request, run.id);
        } catch (const std::exception& e) {
            emit submitFailed(request, QString::fromStdString(e.what()));
        }
    });
    return request;
}

void RunActions::cancel(const QString& runId) {
    threads_.launch([this, runId] {
        try {
            Workspace workspace = Workspace::open(root_);
            requestCancel(workspace, findRun(workspace, runId));
            emit cancelRequested(runId);
        } catch (const std::exception& e) {
            emit cancelFailed(runId, QString::fromStdString(e.what()));
        }
    });
}

void RunActions::resume(const QString& runId) {
    threads_.launch([this, runId] {
        try {
            Workspace workspace = Workspace::open(root_);
            const RunRecord run = resumeRun(workspace, findRun(workspace, runId));
            emit resumed(runId, RunAttemptRepository(workspace.store().database()).currentAttempt(run.id));
        } catch (const std::exception& e) {
            emit resumeFailed(runId, QString::fromStdString(e.what()));
        }
    });
}

void RunActions::reconcile() {
    if (reconciling_->exchange(true)) return;
    threads_.launch([this, flag = reconciling_] {
        try {
            Workspace workspace = Workspace::open(root_);
            reconcileRuns(workspace);
        } catch (const std::exception&) {
            // The browser reports an unreadable workspace; nothing to add here.
        }
        *flag = false;
    });
}

} // namespace lb
