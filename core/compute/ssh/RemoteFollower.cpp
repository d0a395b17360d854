// The follower of one remote run (see RemoteTarget.h): upload, start, tail by offset, reconnect
// with backoff, bring outputs home, finalize.
#include "core/compute/ssh/RemoteTarget.h"

#include "core/compute/ssh/RemoteCheckpoints.h"
#include "core/compute/ssh/RemoteDatastores.h"
#include "core/compute/ssh/RemoteMirror.h"
#include "core/compute/ssh/RemoteSecrets.h"
#include "core/estimator/Estimator.h"
#include "core/estimator/SecretVariables.h"
#include "core/lifecycle/RunFinish.h"
#include "core/lifecycle/RunFolder.h"
#include "core/lifecycle/RunHelper.h"
#include "core/lifecycle/RunIngester.h"
#include "core/lifecycle/RunLock.h"
#include "core/lifecycle/Spawn.h"
#include "core/util/Error.h"
#include "core/util/Json.h"
#include "core/util/Time.h"
#include "core/workspace/Workspace.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <csignal>
#include <cstdio>
#include <time.h>

namespace lb {

namespace {

constexpr qint64 kChunkBytes = 4 << 20;
constexpr qint64 kMirrorMs = 250;

constexpr const char* kWho = "labbench remote follow";

void note(const QString& text) { helperNote(kWho, text); }

// Waits a little longer after each failure, up to 5 s; reset after a success.
class Backoff {
public:
    void wait() {
        sleepMs(delayMs_);
        delayMs_ = std::min(delayMs_ * 2, 5000);
    }
    void reset() { delayMs_ = 200; }

private:
    int delayMs_ = 200;
};

qint64 localSize(const QString& path) { return QFileInfo(path).size(); }

void appendBytes(const QString& path, const QByteArray& bytes) {
    if (bytes.isEmpty())
        return;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Append) || f.write(bytes) != bytes.size())
        throw Error(QStringLiteral("Cannot append to %1; check the disk space and permissions of the run "
                                   "folder.")
                        .arg(path));
}

class Follower {
public:
    Follower(Workspace& ws, RunRecord run, RemoteTarget& target)
        : ws_(ws), run_(std::move(run)), target_(target), folder_(run_.runDir),
          statePath_(run_.runDir + QStringLiteral("/remote.json")), layout_(target.layout()),
          shell_(target.openShell()), job_(target.makeJob()),
          ingester_(ws.store(), run_.id, run_.runDir, [this](const QString& l) { appendToDriverLog(folder_, l); }),
          mirror_(run_.runDir) {
        state_ = RemoteRunState::read(statePath_);
    }

    void follow() {
        if (!state_.submitted && !submit())
            return;
        watch();
    }

private:
    bool cancelAsked() const { return QFileInfo::exists(folder_.cancelRequest()); }

    // Uploads and starts the run; false when it ended here (canceled or failed to start).
    bool submit() {
        Backoff backoff;
        for (int attempt = 1;; ++attempt) {
            if (cancelAsked()) {
                ws_.store().runs().transition(run_.id, RunStatus::Canceled,
                                              QStringLiteral("Canceled by the user before it started."));
                writeRunJson(ws_.store(), run_.id);
                return false;
            }
            try {
                est_ = Estimator::fromJson(parseJson(run_.estimatorJson.toUtf8(), folder_.runJson()),
                                           QStringLiteral("run %1").arg(run_.id));
                restoreSecrets(folder_.secretsFile(), est_); // the stored estimator says "***"
                if (job_->submittedStatus() != RunStatus::Queued)
                    ws_.store().runs().transitionIf(run_.id, RunStatus::Queued, RunStatus::Preparing);
                const QString share = QDir(executableDir()).filePath(QStringLiteral("../share/labbench"));
                shell_->upload(share, layout_.shareDir(), false,
                               {QStringLiteral("remote/***"), QStringLiteral("python/***")});
                shell_->upload(folder_.snapshotDir(), layout_.runDir(run_.id) + QStringLiteral("/snapshot"));
                storeRemoteSecrets(*shell_, layout_, run_.id, est_);
                est_.scriptParams = stageRemoteDatastores(est_.scriptParams, ws_.store(), *shell_, layout_);
                if (cancelAsked())
                    continue;
                std::optional<QString> already;
                if (state_.submitting)
                    already = job_->findSubmitted(*shell_, run_);
                state_.submitting = true;
                state_.maxRequeues = est_.slurmMaxRequeues.value_or(kDefaultSlurmMaxRequeues);
                state_.write(statePath_);
                state_.jobId = already ? *already : job_->submit(*shell_, run_, est_, layout_);
                state_.submitted = true;
                state_.remoteDir = layout_.runDir(run_.id);
                state_.write(statePath_);
                const RunStatus next = job_->submittedStatus();
                if (next != RunStatus::Queued)
                    ws_.store().runs().transition(run_.id, next);
                writeRunJson(ws_.store(), run_.id);
                return true;
            } catch (const Error& e) {
                // Connection trouble is worth a few more tries; anything else will not heal.
                const bool transient = e.message().contains(QLatin1String("SSH connection")) ||
                                       e.message().contains(QLatin1String("refused the connection")) ||
                                       e.message().contains(QLatin1String("cannot be reached"));
                note(e.message());
                if (!transient || attempt >= 8) {
                    appendToDriverLog(folder_, QStringLiteral("labbench: ") + e.message());
                    ws_.store().runs().transition(run_.id, RunStatus::Failed, e.message());
                    writeRunJson(ws_.store(), run_.id);
                    return false;
                }
                backoff.wait();
            }
        }
    }

    void passOnCancel() {
        if (state_.cancelSent || !cancelAsked())
            return;
        if (job_->cancel(*shell_, state_, layout_)) {
            state_.cancelSent = true;
            state_.write(statePath_);
        }
    }

    void applyStatus(RunStatus s, const QString& reason) {
        if (isTerminal(s) || s == lastStatus_)
            return;
        lastStatus_ = s;
        auto runs = ws_.store().runs();
        // A requeued job waits again: a run that had started gets there through Preempted (the
        // store refuses this step for a run that had not).
        if (s == RunStatus::Queued)
            runs.transition(run_.id, RunStatus::Preempted,
                            reason.isEmpty() ? QStringLiteral("The scheduler queued the job again.") : reason);
        if (runs.transition(run_.id, s, reason))
            writeRunJson(ws_.store(), run_.id);
    }

    void watch() {
        Backoff backoff;
        bool disconnected = false;
        for (;;) {
            passOnCancel();
            const qint64 logOffset = localSize(folder_.driverLog());
            const qint64 metricsOffset = localSize(folder_.metricsFile());
            // The mirrored files ride along at most every kMirrorMs while they are caught up, so
            // that the quick polls that follow a busy one (log not drained) stay quick.
            const bool mirrorNow = mirrorBehind_ || !sinceMirror_.isValid() ||
                                   sinceMirror_.elapsed() >= kMirrorMs;
            QStringList poll{QStringLiteral("sh"), layout_.helper(), QStringLiteral("poll")};
            if (mirrorNow)
                poll << QStringLiteral("--mirror");
            poll << state_.remoteDir << QString::number(logOffset) << QString::number(metricsOffset)
                 << QString::number(kChunkBytes);
            if (!state_.jobId.isEmpty())
                poll << state_.jobId; // the scheduler's view in the same round trip
            // The manifest of the mirrored files rides on stdin: the same round trip.
            const CommandResult r =
                shell_->run(poll, mirrorNow ? mirror_.manifest() : QByteArray(), 30000);
            if (!r.ok()) {
                if (!disconnected)
                    note(QStringLiteral("lost the connection, retrying with backoff: %1")
                             .arg(shell_->explain(r, QStringLiteral("poll the run"))));
                disconnected = true;
                backoff.wait();
                continue;
            }
            if (disconnected)
                note(QStringLiteral("connection is back"));
            disconnected = false;
            backoff.reset();
            const RemotePoll remote = RemotePoll::parse(r.out);
            appendBytes(folder_.driverLog(), remote.log);
            appendBytes(folder_.metricsFile(), remote.metrics);
            for (const MirroredChunk& chunk : remote.files)
                mirror_.apply(chunk);
            for (const QString& refused : mirror_.takeRefusals())
                noteOnce(refused);
            if (remote.mirror)
                checkpoints().observe(*remote.mirror);
            for (const QString& failed : checkpoints().takeNotes())
                note(failed);
            ingestOrRetry(ingester_, kWho);
            const auto status = job_->status(*shell_, state_, remote);
            const bool logsDrained = remote.drained(logOffset, metricsOffset);
            if (mirrorNow) {
                sinceMirror_.start();
                mirrorBehind_ = !logsDrained || !mirror_.settled();
            }
            // Whole only after a pass that mirrored, with nothing left behind by it.
            const bool drained = logsDrained && remote.mirror && mirror_.settled();
            if (status && status->ended && drained) {
                finish(status->exit);
                return;
            }
            if (status && status->ended)
                mirrorBehind_ = true; // the last pass mirrors everything
            // An ended job's status is only its exit (the status field keeps its default,
            // Running): applying it while the last bytes come home made a run that failed in
            // Preparing pass through Running (tst_remote_pip, once the mirror's last pass
            // held the finish back by a poll).
            if (status && !status->ended)
                applyStatus(status->status, status->exit.reason);
            if (logsDrained && !mirrorBehind_)
                sleepMs(pollMs);
        }
    }

    RemoteCheckpoints& checkpoints() {
        if (!checkpoints_)
            checkpoints_ = std::make_unique<RemoteCheckpoints>(
                *shell_, state_.remoteDir + QStringLiteral("/snapshot/checkpoints"),
                folder_.snapshotDir() + QStringLiteral("/checkpoints"));
        return *checkpoints_;
    }

    // A refused name is said once per follower, not on every poll.
    void noteOnce(const QString& text) {
        if (noted_.contains(text))
            return;
        noted_.insert(text);
        appendToDriverLog(folder_, text);
    }

    void finish(ExitRecord exit) {
        if (checkpoints_)
            checkpoints_->wait();
        // outputs/ and logs/ come home into the local snapshot, where the local target keeps them.
        // The mirrored logs are whole by now (the poll drained them): rsync finds their bytes
        // equal and adds nothing; it only brings what the mirror leaves out (links, odd names).
        Backoff backoff;
        for (int attempt = 1;; ++attempt) {
            try {
                for (const QString& kept : RunFolder::keptFolders())
                    shell_->download(state_.remoteDir + QStringLiteral("/snapshot/") + kept,
                                     folder_.snapshotDir() + QLatin1Char('/') + kept);
                // The system metrics of every node, for the final ingest (issue 19).
                shell_->download(state_.remoteDir + QStringLiteral("/system"),
                                 folder_.dir() + QStringLiteral("/system"));
                break;
            } catch (const Error& e) {
                note(e.message());
                if (attempt >= 10) {
                    appendToDriverLog(folder_, QStringLiteral("labbench: could not bring outputs home: ") + e.message());
                    break;
                }
                backoff.wait();
            }
        }
        if (!exit.endTime.isValid())
            exit.endTime = QDateTime::currentDateTimeUtc();
        try {
            exit.write(folder_.exitJson());
        } catch (const Error& e) {
            note(e.message());
        }
        finalizeRun(ws_.store(), run_, exit, ingester_);
    }

public:
    int pollMs = 200;

private:
    Workspace& ws_;
    RunRecord run_;
    RemoteTarget& target_;
    RunFolder folder_;
    QString statePath_;
    RemoteLayout layout_;
    std::unique_ptr<RemoteShell> shell_;
    std::unique_ptr<RemoteJob> job_;
    RunIngester ingester_;
    RemoteMirror mirror_;
    QElapsedTimer sinceMirror_;
    bool mirrorBehind_ = false;
    std::unique_ptr<RemoteCheckpoints> checkpoints_;
    QSet<QString> noted_;
    RemoteRunState state_;
    Estimator est_;
    RunStatus lastStatus_ = run_.status; // a new follower goes on from the stored state
};

} // namespace

int followRemoteRun(const FollowOptions& options) {
    signal(SIGPIPE, SIG_IGN);
    HelperStartFailure failure = HelperStartFailure::None;
    std::optional<HelperStart> start = startHelper(options.workspaceRoot, options.runId, options.lockFd, kWho,
                                                   QStringLiteral("run %1 already has a follower"), &failure);
    if (!start) // another follower is on it: nothing is wrong
        return failure == HelperStartFailure::LockHeld ? 0 : 1;
    Workspace* ws = &start->workspace;
    const std::optional<RunRecord> run = start->record;
    if (isTerminal(run->status))
        return 0;
    try {
        auto target = openComputeTarget(*ws, run->computeTarget);
        auto* remote = dynamic_cast<RemoteTarget*>(target.get());
        if (!remote)
            throw Error(QStringLiteral("The compute target '%1' is not a remote target.").arg(run->computeTarget));
        Follower follower(*ws, *run, *remote);
        follower.pollMs = options.pollMs;
        follower.follow();
    } catch (const std::exception& e) {
        note(QString::fromUtf8(e.what()));
        ws->store().runs().transition(run->id, RunStatus::Failed, QString::fromUtf8(e.what()));
        writeRunJson(ws->store(), run->id);
        return 1;
    }
    return 0;
}

} // namespace lb
