#include "live/SweepActions.h"

#include "sweep/Sweep.h"
#include "workspace/Workspace.h"

#include <algorithm>

namespace lb {

SweepActions::SweepActions(QString workspaceRoot, QObject* parent)
    : QObject(parent)
    , root_(std::move(workspaceRoot)) {}

SweepActions::~SweepActions() {
    for (QThread* t : threads_) {
        t->wait();
        delete t;
    }
}

void SweepActions::launch(std::function<void()> work) {
    QThread* thread = QThread::create(std::move(work));
    threads_.push_back(thread);
    connect(thread, &QThread::finished, this, [this, thread] {
        threads_.erase(std::remove(threads_.begin(), threads_.end(), thread), threads_.end());
        thread->deleteLater();
    });
    thread->start();
}

quint64 SweepActions::submit(const sweep::SweepSpec& spec) {
    const quint64 request = nextRequest_++;
    launch([this, spec, request] {
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
    launch([this, sweepId] {
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
