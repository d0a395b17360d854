#include "core/compute/ssh/RemoteCheckpoints.h"

#include "core/remote/RemoteShell.h"
#include "core/util/Error.h"

#include <chrono>

namespace lb {

RemoteCheckpoints::RemoteCheckpoints(RemoteShell& shell, QString remoteDir, QString localDir)
    : shell_(shell)
    , remoteDir_(std::move(remoteDir))
    , localDir_(std::move(localDir)) {}

RemoteCheckpoints::~RemoteCheckpoints() {
    wait();
}

void RemoteCheckpoints::collect() {
    if (!copy_.valid() || copy_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        return;
    const QString error = copy_.get();
    if (!error.isEmpty()) {
        notes_.append(error);
        copiedCount_ = copiedBytes_ = -1; // try again
    }
}

void RemoteCheckpoints::observe(const MirrorSummary& summary) {
    collect();
    if (copy_.valid() || summary.checkpointCount == 0 || summary.checkpointsChanged)
        return; // a copy is under way, nothing is there, or a file is being written
    if (summary.checkpointCount == copiedCount_ && summary.checkpointBytes == copiedBytes_) return;
    if (sinceCopy_.isValid() && sinceCopy_.elapsed() < minimumIntervalMs) return;
    copiedCount_ = summary.checkpointCount;
    copiedBytes_ = summary.checkpointBytes;
    sinceCopy_.start();
    copy_ = std::async(std::launch::async, [this]() -> QString {
        try {
            shell_.download(remoteDir_, localDir_);
            return {};
        } catch (const Error& e) {
            return e.message();
        }
    });
}

void RemoteCheckpoints::wait() {
    if (copy_.valid()) copy_.wait();
    collect();
}

QStringList RemoteCheckpoints::takeNotes() {
    collect();
    QStringList out;
    out.swap(notes_);
    return out;
}

} // namespace lb
