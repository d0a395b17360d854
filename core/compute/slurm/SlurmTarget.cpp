#include "core/compute/slurm/SlurmTarget.h"

#include "core/compute/slurm/SbatchScript.h"
#include "core/compute/slurm/SlurmRequeue.h"
#include "core/compute/slurm/SlurmState.h"
#include "core/compute/ssh/RemoteEnvironment.h"
#include "core/compute/ssh/SshTarget.h"
#include "core/estimator/Estimator.h"
#include "core/lifecycle/RunFinish.h"
#include "core/util/Error.h"

#include <QElapsedTimer>
#include <QRegularExpression>

namespace lb {

namespace {

class SlurmJob : public RemoteJob {
public:
    explicit SlurmJob(SlurmTargetConfig config) : config_(std::move(config)) {}

    QString submit(RemoteShell& shell, const RunRecord& run, const Estimator& e, const RemoteLayout& layout) override {
        const SbatchJob job = makeSbatchJob(e, config_, run, layout);
        QStringList argv{QStringLiteral("sbatch")};
        // A job that prepares an environment is marked first, so that it shows as Preparing
        // (not Running) from the moment Slurm starts it until the environment is ready.
        if (remoteEnvironment(e, layout, config_.python))
            argv = QStringList{QStringLiteral("sh"), layout.helper(), QStringLiteral("pending"),
                               layout.runDir(run.id), QStringLiteral("--")} +
                   argv;
        const QByteArray out = shell.check(
            argv + job.arguments, QStringLiteral("submit the job with sbatch"), job.script);
        // --parsable prints "ID" or "ID;CLUSTER".
        const QString id = QString::fromUtf8(out).trimmed().section(QLatin1Char(';'), 0, 0);
        bool ok = false;
        id.toLongLong(&ok);
        if (!ok)
            throw Error(QStringLiteral("sbatch answered '%1' instead of a job id; check the Slurm "
                                       "installation on %2.")
                            .arg(QString::fromUtf8(out).trimmed(), shell.display()));
        return id;
    }

    std::optional<QString> findSubmitted(RemoteShell& shell, const RunRecord& run) override {
        const QByteArray out = shell.check({QStringLiteral("squeue"), QStringLiteral("-h"), QStringLiteral("-o"),
                                            QStringLiteral("%i"), QStringLiteral("--states=all"),
                                            QStringLiteral("--name=lb-") + run.id.left(100)},
                                           QStringLiteral("look for the run's job in squeue"));
        const QString id = QString::fromUtf8(out).trimmed().section(QLatin1Char('\n'), 0, 0);
        if (!id.isEmpty())
            return id;
        return std::nullopt;
    }

    std::optional<RemoteStatus> status(RemoteShell& shell, const RemoteRunState& state, const RemotePoll& poll) override {
        QByteArray answer;
        if (poll.scheduler) {
            answer = *poll.scheduler;
        } else {
            const CommandResult r = shell.run({QStringLiteral("scontrol"), QStringLiteral("show"), QStringLiteral("job"),
                                               QStringLiteral("-o"), state.jobId});
            if (shell.isConnectionFailure(r))
                return std::nullopt;
            answer = r.out + r.err;
        }
        std::optional<SlurmJobInfo> info = parseScontrolJob(answer);
        bool fromFile = false;
        if (!info) {
            // Slurm forgot the job (MinJobAge): its record is in the job-completion file.
            info = fromCompletionFile(shell, state.jobId);
            if (!info)
                return answer.contains("Invalid job id") ? vanished(state.jobId) : std::nullopt;
            fromFile = true;
        }
        // Preempted, node-failed and requeued jobs (SlurmRequeue.h) first.
        if (const auto step = requeuePolicy(shell, state).observe(*info, state.jobId, state.cancelSent)) {
            preemptedFor_.invalidate();
            RemoteStatus s;
            s.status = step->status;
            s.ended = step->final();
            s.exit.reason = step->reason;
            return s;
        }
        // COMPLETING says the job's processes are gone, not why: a job preempted under
        // PreemptMode=CANCEL is COMPLETING before it is PREEMPTED (the fixture showed Running,
        // Finalizing, Preempted). The run keeps its state until Slurm says which; finalizeRun
        // records Finalizing for a job that ended.
        if (info->state == QLatin1String("COMPLETING"))
            return std::nullopt;
        SlurmStateMapping m = mapSlurmJob(*info, fromFile);
        // A requeueable job that stays PREEMPTED was not requeued after all (PreemptMode=CANCEL
        // keeps Requeue=1): it ends, as the same job without Requeue would at once.
        if (info->state == QLatin1String("PREEMPTED") && !m.final) {
            if (!preemptedFor_.isValid())
                preemptedFor_.start();
            if (preemptedFor_.hasExpired(kRequeueWaitMs))
                m = {RunStatus::Failed, true};
        } else {
            preemptedFor_.invalidate();
        }
        RemoteStatus s;
        s.status = m.status;
        // While the batch script builds the environment, and when that failed (Slurm then says
        // COMPLETING for a moment), the script never ran: the run is still Preparing, not
        // Running or Finalizing.
        const QString preparationFailed = preparationFailureReason(poll);
        const bool beforeScript = poll.state == QLatin1String("preparing") || !preparationFailed.isEmpty();
        if ((m.status == RunStatus::Running || m.status == RunStatus::Finalizing) && beforeScript)
            s.status = RunStatus::Preparing;
        s.ended = m.final;
        if (m.status == RunStatus::Preempted)
            s.exit.reason = slurmPreemptionNote(*info, state.jobId);
        if (m.final) {
            s.exit.exitCode = info->signal ? 128 + info->signal : info->exitCode;
            if (info->signal)
                s.exit.signal = info->signal;
            s.exit.canceled = m.status == RunStatus::Canceled;
            s.exit.timedOut = info->state == QLatin1String("TIMEOUT");
            s.exit.reason = slurmFailureReason(*info, state.jobId);
            if (m.status == RunStatus::Completed)
                s.exit.exitCode = 0;
            if (m.status == RunStatus::Failed && !preparationFailed.isEmpty()) {
                s.exit.exitCode.reset();
                s.exit.signal.reset();
                s.exit.reason = preparationFailed;
            }
        }
        return s;
    }

    bool cancel(RemoteShell& shell, const RemoteRunState& state, const RemoteLayout&) override {
        return shell.run({QStringLiteral("scancel"), state.jobId}).ok();
    }

    RunStatus submittedStatus() const override { return RunStatus::Queued; }

private:
    // Made on first use: the limit is the run's own, from remote.json. Its commands go
    // through the shell of the current status() call.
    SlurmRequeuePolicy& requeuePolicy(RemoteShell& shell, const RemoteRunState& state) {
        shell_ = &shell;
        if (!requeue_)
            requeue_.emplace(state.maxRequeues,
                             SlurmRequeueCommands{
                                 [this](const QString& id) {
                                     return said({QStringLiteral("scontrol"), QStringLiteral("requeue"), id});
                                 },
                                 [this](const QString& id) { return said({QStringLiteral("scancel"), id}); }});
        return *requeue_;
    }

    // "" when the command worked, else what it printed (or its exit code).
    QString said(const QStringList& argv) {
        const CommandResult r = shell_->run(argv);
        if (r.ok())
            return {};
        const QString text = QString::fromUtf8(r.out + r.err).trimmed();
        return text.isEmpty() ? QStringLiteral("%1 exited with code %2").arg(argv.join(QLatin1Char(' '))).arg(r.exitCode)
                              : text;
    }

    // A job whose environment could not be prepared ends with the helper's exit.json (exit_code
    // null, pip's message): the run failed in Preparing, not the script.
    static QString preparationFailureReason(const RemotePoll& poll) {
        if (!poll.exitJson) return {};
        const Json j = Json::parse(poll.exitJson->toStdString(), nullptr, false);
        if (!j.is_object() || !j.contains("exit_code") || !j["exit_code"].is_null()) return {};
        return fromStd(j.value("reason", std::string()));
    }

    std::optional<SlurmJobInfo> fromCompletionFile(RemoteShell& shell, const QString& jobId) {
        if (completionFile_.isEmpty()) {
            const CommandResult c = shell.run({QStringLiteral("scontrol"), QStringLiteral("show"), QStringLiteral("config")});
            for (const QByteArray& line : c.out.split('\n'))
                if (line.startsWith("JobCompLoc"))
                    completionFile_ = QString::fromUtf8(line.mid(line.indexOf('=') + 1)).trimmed();
        }
        if (completionFile_.isEmpty())
            return std::nullopt;
        // An array task's record is under its own job id: look for its array's id.
        const QString pattern = jobId.contains(QLatin1Char('_'))
                                    ? QStringLiteral("ArrayJobId=%1").arg(jobId.section(QLatin1Char('_'), 0, 0))
                                    : QStringLiteral("^JobId=%1 ").arg(jobId);
        const CommandResult g = shell.run({QStringLiteral("grep"), pattern, completionFile_});
        return g.ok() ? parseJobCompletion(g.out, jobId) : std::nullopt;
    }

    std::optional<RemoteStatus> vanished(const QString& jobId) {
        // Give Slurm a moment (the completion record is written as the job leaves).
        if (++misses_ < 20)
            return std::nullopt;
        RemoteStatus s;
        s.status = RunStatus::Failed;
        s.ended = true;
        s.exit.reason = QStringLiteral("Slurm no longer knows job %1 and has no completion record of it; "
                                       "check the cluster's JobCompLoc and MinJobAge.")
                            .arg(jobId);
        return s;
    }

    static constexpr qint64 kRequeueWaitMs = 120000;

    SlurmTargetConfig config_;
    QString completionFile_;
    int misses_ = 0;
    QElapsedTimer preemptedFor_;
    std::optional<SlurmRequeuePolicy> requeue_;
    RemoteShell* shell_ = nullptr; // the shell of the current status() call
};

} // namespace

SlurmTargetConfig SlurmTargetConfig::parse(const QString& json, const QString& targetName) {
    const Json j = Json::parse(json.toStdString(), nullptr, false);
    if (!j.is_object())
        throw Error(QStringLiteral("The settings of compute target '%1' are invalid; recreate it with "
                                   "'labbench compute create slurm %1 …'.")
                        .arg(targetName));
    SlurmTargetConfig c;
    c.endpoint = SshEndpoint::fromJson(j.value("ssh", Json::object()));
    c.remoteDir = fromStd(j.value("remote_dir", std::string()));
    c.partition = fromStd(j.value("partition", std::string()));
    c.account = fromStd(j.value("account", std::string()));
    c.python = fromStd(j.value("python", std::string()));
    c.timeLimitMinutes = j.value("time_limit_minutes", 0);
    c.gpusPerNode = j.value("gpus_per_node", 1);
    return c;
}

Json SlurmTargetConfig::toJson() const {
    Json j;
    if (!endpoint.isLocal())
        j["ssh"] = endpoint.toJson();
    j["remote_dir"] = toStd(remoteDir);
    j["partition"] = toStd(partition);
    j["account"] = toStd(account);
    j["time_limit_minutes"] = timeLimitMinutes;
    j["gpus_per_node"] = gpusPerNode;
    if (!python.isEmpty())
        j["python"] = toStd(python);
    return j;
}

FieldProblems SlurmTargetConfig::problems() const {
    FieldProblems out = endpoint.problems();
    if (const auto p = remoteDirProblem(remoteDir))
        out.append(*p);
    static const QRegularExpression word(QStringLiteral("^[A-Za-z0-9_.,-]*$"));
    if (!word.match(partition).hasMatch())
        out.append({QStringLiteral("partition"),
                    QStringLiteral("The partition '%1' is not a Slurm name; use letters, digits, '_', '.', "
                                   "',' and '-'.")
                        .arg(partition)});
    if (!word.match(account).hasMatch())
        out.append({QStringLiteral("account"),
                    QStringLiteral("The account '%1' is not a Slurm name; use letters, digits, '_', '.', "
                                   "',' and '-'.")
                        .arg(account)});
    if (timeLimitMinutes < 0)
        out.append({QStringLiteral("time-limit"),
                    QStringLiteral("The time limit must not be negative; give minutes, or 0 for the "
                                   "partition's limit.")});
    if (gpusPerNode < 0)
        out.append({QStringLiteral("gpus-per-node"),
                    QStringLiteral("GPUs per node must not be negative; give 0 or more.")});
    return out;
}

SlurmTarget::SlurmTarget(ComputeTargetRecord record)
    : RemoteTarget(std::move(record)), config_(SlurmTargetConfig::parse(this->record().config, name())) {}

ComputeTargetRecord SlurmTarget::makeRecord(const QString& name, const SlurmTargetConfig& config) {
    config.validate();
    return {name, QStringLiteral("slurm"), fromStd(config.toJson().dump()), {}};
}

Json SlurmTarget::describe() const {
    Json j = ComputeTarget::describe();
    j["config"] = config_.toJson();
    return j;
}

void SlurmTarget::checkCanRun(const Estimator& e) const {
    checkRemoteEnvironment(e, name(), config_.python,
                           QStringLiteral("install them on the cluster"));
}

QStringList SlurmTarget::selfTest() const {
    QStringList found = RemoteTarget::selfTest();
    auto shell = openShell();
    const QByteArray out = shell->check({QStringLiteral("sinfo"), QStringLiteral("-h"), QStringLiteral("-o"),
                                         QStringLiteral("%P %a %D %T %G")},
                                        QStringLiteral("ask Slurm for its partitions (sinfo)"));
    for (const QByteArray& line : out.trimmed().split('\n'))
        found << QStringLiteral("sinfo: ") + QString::fromUtf8(line).trimmed();
    return found;
}

std::unique_ptr<RemoteShell> SlurmTarget::openShell() const { return openRemoteShell(config_.endpoint); }

std::unique_ptr<RemoteJob> SlurmTarget::makeJob() const { return std::make_unique<SlurmJob>(config_); }

} // namespace lb
