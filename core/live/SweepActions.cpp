#include "core/live/SweepActions.h"

#include "core/sweep/Sweep.h"
#include "core/workspace/Workspace.h"

namespace lb {

SweepActions::SweepActions(QString workspaceRoot, QObject* parent)
    : QObject(parent)
    , root_(std::move(workspaceRoot)) {}

SweepActions::~SweepActions() { threads_.waitAll(); }

quint64 SweepActions::submit(const sweep::SweepSpec& spec) {
    const quint64 request = nextRequest_++;
    threads_.launch([this, spec, request] {
        try {
            Workspace workspace = Workspace::open(root_);
            const RunRecord parent = sweep::submitSweep(workspace, spec);
            emit submitted(request, parent.id);
        } catch (const std::exception& e) {
            emit submitFailed(request, QString::fromStdString(e.what()));
        }
    });
    return request;
}

void SweepActions::cancel(const QString& sweepId) {
    threads_.launch([this, sweepId] {
        try {
            Workspace workspace = Workspace::open(root_);
            sweep::cancelSweep(workspace, sweepId);
            emit cancelRequested(sweepId);
        } catch (const std::exception& e) {
            emit cancelFailed(sweepId, QString::fromStdString(e.what()));
        }
    });
}

} // namespace lb
