#include "core/runs/RunResume.h"

#include "core/compute/ComputeTarget.h"
#include "core/lifecycle/RunFolder.h"
#include "core/lifecycle/RunIngester.h"
#include "core/lifecycle/RunLock.h"
#include "core/runs/RunControl.h"
#include "core/store/RunAttempts.h"
#include "core/store/Store.h"
#include "core/util/Error.h"
#include "core/util/Json.h"
#include "core/workspace/Workspace.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace lb {

namespace {

bool resumable(RunStatus status) {
    return status == RunStatus::Failed || status == RunStatus::Canceled || status == RunStatus::Preempted;
}

// The attempt marker, one O_APPEND write, on a line of its own even when the dead attempt left a
// partial last line (already ingested as the writer is gone).
void appendAttemptMarker(const QString& metricsFile, int attempt) {
    Json marker;
    marker["type"] = "attempt";
    marker["reason"] = "resume";
    marker["time"] = QDateTime::currentMSecsSinceEpoch() / 1000.0;
    std::string line = marker.dump() + "\n";
    const QByteArray path = QFile::encodeName(metricsFile);
    QFile existing(metricsFile);
    if (existing.size() > 0 && existing.open(QIODevice::ReadOnly) && existing.seek(existing.size() - 1)) {
        char last = '\n';
        if (existing.getChar(&last) && last != '\n')
            line.insert(line.begin(), '\n');
    }
    const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
    const bool ok = fd >= 0 && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    const int error = errno;
    if (fd >= 0)
        ::close(fd);
    if (!ok)
        throw Error(QStringLiteral("Could not start attempt %1: writing its marker to %2 failed (%3); "
                                   "free space or fix the file's permissions, then resume again.")
                        .arg(attempt)
                        .arg(metricsFile, QString::fromLocal8Bit(std::strerror(error))));
}

// What the last attempt left that would end the next one at once: its exit record (kept
// beside, numbered) and a cancel request.
void setAsideLastAttempt(const RunFolder& folder, int attempt) {
    if (QFileInfo::exists(folder.exitJson())) {
        const QString kept = folder.dir() + QStringLiteral("/exit-attempt-%1.json").arg(attempt);
        QFile::remove(kept);
        if (!QFile::rename(folder.exitJson(), kept))
            throw Error(QStringLiteral("Could not move %1 aside for the next attempt; check the run "
                                       "folder's permissions, then resume again.")
                            .arg(folder.exitJson()));
    }
    QFile::remove(folder.cancelRequest());
}

} // namespace

QString resumeRefusal(Workspace& ws, const RunRecord& run) {
    if (run.status == RunStatus::Completed)
        return QStringLiteral("Run %1 completed; there is nothing to resume (clone it to run it again).")
            .arg(run.id);
    if (!resumable(run.status))
        return QStringLiteral("Run %1 is %2; only a Failed, Canceled or Preempted run can be resumed. "
                              "Wait for it to end, or cancel it first.")
            .arg(run.id, toString(run.status));
    if (ws.store().runs().tags(run.id).contains(QStringLiteral("labbench.sweep")) && run.parentId.isEmpty())
        return QStringLiteral("Run %1 is a sweep; resume its child runs one by one.").arg(run.id);
    const auto target = ws.store().computeTargets().find(run.computeTarget);
    if (!target)
        return QStringLiteral("Run %1 ran on compute target '%2', which was removed; clone the run onto "
                              "another target instead.")
            .arg(run.id, run.computeTarget);
    if (target->kind != QLatin1String("local"))
        return QStringLiteral("Run %1 ran on the %2 target '%3'; resume works for runs on local targets "
                              "so far. Clone the run to start it again there.")
            .arg(run.id, target->kind, run.computeTarget);
    if (!QFileInfo(run.runDir).isDir())
        return QStringLiteral("The folder of run %1 (%2) is gone; there is nothing to resume from.")
            .arg(run.id, run.runDir);
    return {};
}

RunRecord resumeRun(Workspace& ws, const RunRecord& given) {
    // A run whose supervisor died is finished first: it may not be final in the store yet.
    const RunRecord run = reconcileRun(ws, ws.store().runs().find(given.id).value_or(given));
    if (const QString why = resumeRefusal(ws, run); !why.isEmpty())
        throw Error(why);
    const RunFolder folder(run.runDir);
    auto lock = RunLock::tryAcquire(folder.lockFile());
    if (!lock)
        throw Error(QStringLiteral("Run %1 still has a supervisor; wait for it to end, then resume.")
                        .arg(run.id));
    RunAttemptRepository attempts(ws.store().database());
    // Everything the last attempt wrote is in the store before the marker that ends it.
    RunIngester(ws.store(), run.id, run.runDir).ingest(/*final=*/true);
    const int last = attempts.currentAttempt(run.id);
    setAsideLastAttempt(folder, last);
    appendAttemptMarker(folder.metricsFile(), last + 1);
    RunIngester(ws.store(), run.id, run.runDir).ingest(/*final=*/true);
    const auto checkpoint = attempts.lastCheckpoint(run.id);
    const QString reason =
        checkpoint ? QStringLiteral("Resumed as attempt %1 from checkpoint %2.").arg(last + 1).arg(checkpoint->path)
                   : QStringLiteral("Resumed as attempt %1 from the start (no checkpoint was reported).")
                         .arg(last + 1);
    if (!attempts.reopen(run.id, reason))
        throw Error(QStringLiteral("Run %1 changed state while it was being resumed; look at it again "
                                   "('labbench runs show %1').")
                        .arg(run.id));
    lock->release();
    openComputeTarget(ws, run.computeTarget)->dispatch(ws);
    return ws.store().runs().find(run.id).value_or(run);
}

} // namespace lb
