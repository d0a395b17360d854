#include "core/compute/ssh/SshTarget.h"

#include "core/compute/ssh/RemoteEnvironment.h"
#include "core/estimator/Estimator.h"
#include "core/util/Error.h"
#include "core/util/Time.h"

#include <QDir>

namespace lb {

namespace {

// The run under labbench-remote.sh's detached supervisor; state from the poll itself.
class SshJob : public RemoteJob {
public:
    explicit SshJob(QString python) : python_(std::move(python)) {}

    QString submit(RemoteShell& shell, const RunRecord& run, const Estimator& e, const RemoteLayout& layout) override {
        // With pip packages the helper prepares the environment first (the run is Preparing
        // until then) and starts the script in it.
        const auto env = remoteEnvironment(e, layout, python_);
        const QString image = e.customDockerImage.trimmed();
        QStringList argv{QStringLiteral("sh"),
                         layout.helper(),
                         QStringLiteral("start"),
                         layout.runDir(run.id),
                         QString::number(e.maxRunDurationSeconds.value_or(0)),
                         QStringLiteral("3")};
        // custom_docker_image: the helper runs the program in a container there (issue 19).
        if (!image.isEmpty())
            argv << QStringLiteral("--image") << image
                 << (e.useGpu ? QStringLiteral("1") : QStringLiteral("0"));
        if (env) argv << env->startWords();
        // In an image, "python3" is the image's own, not the target's python setting.
        argv << QStringLiteral("--")
             << remoteProgram(e, layout, run, image.isEmpty() ? python_ : QString(),
                              Launcher::Mpirun, env ? env->dir() : QString());
        shell.check(argv, QStringLiteral("start the run"));
        preparing_ = env.has_value();
        return {};
    }

    // `start` refuses a second start of a run (RUN/.started), so starting again is harmless.
    std::optional<QString> findSubmitted(RemoteShell&, const RunRecord&) override { return std::nullopt; }

    std::optional<RemoteStatus> status(RemoteShell& shell, const RemoteRunState& state,
                                       const RemotePoll& poll) override {
        RemoteStatus s;
        if (poll.state == QLatin1String("ended")) {
            s.ended = true;
            const Json j = Json::parse(poll.exitJson.value_or(QByteArray()).toStdString(), nullptr, false);
            if (j.is_object()) {
                if (j.contains("exit_code") && j["exit_code"].is_number_integer())
                    s.exit.exitCode = j["exit_code"].get<int>();
                if (j.contains("signal") && j["signal"].is_number_integer())
                    s.exit.signal = j["signal"].get<int>();
                s.exit.endTime = parseIsoTime(fromStd(j.value("end_time", std::string())));
                s.exit.canceled = j.value("canceled", false);
                s.exit.timedOut = j.value("timed_out", false);
                s.exit.reason = fromStd(j.value("reason", std::string()));
            } else {
                s.exit.reason = QStringLiteral("The remote exit.json could not be read.");
            }
        } else if (poll.state == QLatin1String("preparing")) {
            s.status = RunStatus::Preparing;
        } else if (poll.state == QLatin1String("gone")) {
            s.ended = true;
            // Its container (if it ran in one) would outlive it: `cancel` removes it now.
            if (!state.remoteDir.isEmpty()) {
                const RemoteLayout layout{
                    QDir::cleanPath(state.remoteDir + QStringLiteral("/../.."))};
                shell.run({QStringLiteral("sh"), layout.helper(), QStringLiteral("cancel"),
                           state.remoteDir});
            }
            s.exit.reason = QStringLiteral("The remote supervisor vanished (it was killed or the machine "
                                           "restarted) before the run ended.");
        }
        return s;
    }

    bool cancel(RemoteShell& shell, const RemoteRunState& state, const RemoteLayout& layout) override {
        return shell.run({QStringLiteral("sh"), layout.helper(), QStringLiteral("cancel"), state.remoteDir}).ok();
    }

    RunStatus submittedStatus() const override {
        return preparing_ ? RunStatus::Preparing : RunStatus::Running;
    }

private:
    QString python_;
    bool preparing_ = false;
};

} // namespace

std::optional<FieldProblem> remoteDirProblem(const QString& dir) {
    if (dir.isEmpty())
        return FieldProblem{QStringLiteral("remote-dir"),
                            QStringLiteral("A remote target needs a remote folder where runs are kept; "
                                           "give an absolute path like /scratch/labbench (--remote-dir).")};
    if (!dir.startsWith(QLatin1Char('/')) || dir.contains(QChar(0)) ||
        dir.split(QLatin1Char('/')).contains(QStringLiteral("..")))
        return FieldProblem{QStringLiteral("remote-dir"),
                            QStringLiteral("The remote folder '%1' must be an absolute path without '..'; "
                                           "give one like /scratch/labbench (--remote-dir).")
                                .arg(dir)};
    return std::nullopt;
}

void checkRemoteDir(const QString& dir) {
    if (const auto p = remoteDirProblem(dir))
        throw UsageError(p->message);
}

SshTargetConfig SshTargetConfig::parse(const QString& json, const QString& targetName) {
    const Json j = Json::parse(json.toStdString(), nullptr, false);
    if (!j.is_object() || !j.contains("ssh") || !j["ssh"].is_object())
        throw Error(QStringLiteral("The settings of compute target '%1' are invalid (no ssh settings); "
                                   "recreate it with 'labbench compute create ssh %1 …'.")
                        .arg(targetName));
    SshTargetConfig c;
    c.endpoint = SshEndpoint::fromJson(j["ssh"]);
    c.remoteDir = fromStd(j.value("remote_dir", std::string()));
    c.python = fromStd(j.value("python", std::string()));
    return c;
}

Json SshTargetConfig::toJson() const {
    Json j;
    j["ssh"] = endpoint.toJson();
    j["remote_dir"] = toStd(remoteDir);
    if (!python.isEmpty())
        j["python"] = toStd(python);
    return j;
}

FieldProblems SshTargetConfig::problems() const {
    FieldProblems out;
    if (endpoint.host.isEmpty())
        out.append({QStringLiteral("host"),
                    QStringLiteral("An SSH target needs a host; give its name or address (--host).")});
    out += endpoint.problems();
    if (const auto p = remoteDirProblem(remoteDir))
        out.append(*p);
    return out;
}

SshTarget::SshTarget(ComputeTargetRecord record)
    : RemoteTarget(std::move(record)), config_(SshTargetConfig::parse(this->record().config, name())) {}

ComputeTargetRecord SshTarget::makeRecord(const QString& name, const SshTargetConfig& config) {
    config.validate();
    return {name, QStringLiteral("ssh"), fromStd(config.toJson().dump()), {}};
}

Json SshTarget::describe() const {
    Json j = ComputeTarget::describe();
    j["config"] = config_.toJson();
    return j;
}

void SshTarget::checkCanRun(const Estimator& e) const {
    if (e.nodeCount > 1)
        throw Error(QStringLiteral("node_count is %1 but compute target '%2' is one machine; use node_count "
                                   "1 (several processes per node are fine) or a Slurm target.")
                        .arg(e.nodeCount)
                        .arg(name()));
    if (!e.customDockerImage.isEmpty() && isDistributed(e))
        throw Error(QStringLiteral("custom_docker_image cannot be combined with a %1 backend on "
                                   "compute target '%2'; drop one of them or use one process.")
                        .arg(e.distributedBackend, name()));
    checkRemoteEnvironment(e, name(), config_.python,
                           QStringLiteral("install them on the remote machine"),
                           /*containers=*/true);
}

std::unique_ptr<RemoteShell> SshTarget::openShell() const { return openRemoteShell(config_.endpoint); }

std::unique_ptr<RemoteJob> SshTarget::makeJob() const { return std::make_unique<SshJob>(config_.python); }

} // namespace lb
