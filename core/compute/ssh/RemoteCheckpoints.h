#pragma once
// Brings a remote run's snapshot/checkpoints home while it runs (issue 20 says checkpoints come
// home as they are written): an rsync of the folder (RemoteShell::download) in a background
// thread, so the log poll never waits for a large copy. A copy starts when the poll's listing
// shows the folder differs from what was last copied, at most every 30 s, and only once the
// folder has settled (nothing written since the previous poll): a checkpoint still being written,
// or the temporary file of an atomic write, is not copied half-way. rsync itself writes each
// local file under a temporary name and renames it, so a local reader never sees a partial one.

#include "core/compute/ssh/RemotePoll.h"

#include <QElapsedTimer>
#include <QString>
#include <QStringList>
#include <future>

namespace lb {

class RemoteShell;

class RemoteCheckpoints {
public:
    RemoteCheckpoints(RemoteShell& shell, QString remoteDir, QString localDir);
    ~RemoteCheckpoints(); // waits for a copy under way

    // Called after each poll with its listing; may start a copy.
    void observe(const MirrorSummary& summary);
    // Waits for a copy under way (the final download follows).
    void wait();
    // Errors of finished copies, one sentence each.
    QStringList takeNotes();

    int minimumIntervalMs = 30000;

private:
    void collect();

    RemoteShell& shell_;
    QString remoteDir_, localDir_;
    std::future<QString> copy_; // its error, empty on success
    qint64 copiedCount_ = 0, copiedBytes_ = 0;
    QElapsedTimer sinceCopy_;
    QStringList notes_;
};

} // namespace lb
