#include "core/compute/LocalTarget.h"

#include "core/compute/launch/DistributedLaunch.h"
#include "core/environment/ContainerLaunch.h"
#include "core/estimator/Estimator.h"
#include "core/lifecycle/RunFinish.h"
#include "core/lifecycle/RunFolder.h"
#include "core/lifecycle/RunLock.h"
#include "core/lifecycle/Spawn.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/Json.h"
#include "core/workspace/Workspace.h"

#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QStandardPaths>

#include <fcntl.h>
#include <map>
#include <sys/wait.h>
#include <unistd.h>

namespace lb {

namespace {

bool usesGpu(const RunRecord& run) {
    const Json j = Json::parse(run.estimatorJson.toStdString(), nullptr, false);
    return j.is_object() && j.contains("use_gpu") && j["use_gpu"].is_boolean() && j["use_gpu"].get<bool>();
}

// Starts labbench-supervisor for a claimed run in its own session, handing it the descriptor
// that already holds the run's lock (so no other process can ever see the run unsupervised).
void spawnSupervisor(Workspace& ws, const RunRecord& run, RunLock& lock) {
    spawnRunHelper(QStringLiteral("labbench-supervisor"),
                   {QStringLiteral("--workspace"), ws.root(), QStringLiteral("--run"), run.id}, lock.fd(),
                   RunFolder(run.runDir).supervisorLog());
}

} // namespace

QList<int> parseGpuList(const QString& text) {
    QList<int> gpus;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int id = part.trimmed().toInt(&ok);
        if (!ok || id < 0)
            throw UsageError(QStringLiteral("'%1' in the GPU list is not a GPU number; give numbers "
                                            "like --gpus 0,1.")
                                 .arg(part));
        if (!gpus.contains(id))
            gpus.append(id);
    }
    return gpus;
}

LocalTargetConfig LocalTargetConfig::parse(const QString& json, const QString& targetName) {
    const Json j = Json::parse(json.toStdString(), nullptr, false);
    auto bad = [&](const QString& what) {
        return Error(QStringLiteral("The settings of compute target '%1' are invalid: %2; recreate "
                                    "it with 'labbench compute create local %1'.")
                         .arg(targetName, what));
    };
    if (!j.is_object())
        throw bad(QStringLiteral("they are not a JSON object"));
    LocalTargetConfig c;
    if (j.contains("max_concurrent_runs")) {
        if (!j["max_concurrent_runs"].is_number_integer() || j["max_concurrent_runs"].get<int>() < 1)
            throw bad(QStringLiteral("max_concurrent_runs must be a whole number of at least 1"));
        c.maxConcurrentRuns = j["max_concurrent_runs"].get<int>();
    }
    if (j.contains("gpus")) {
        if (!j["gpus"].is_array())
            throw bad(QStringLiteral("gpus must be a list of GPU numbers"));
        for (const Json& g : j["gpus"]) {
            if (!g.is_number_integer() || g.get<int>() < 0)
                throw bad(QStringLiteral("gpus must be a list of GPU numbers"));
            c.gpus.append(g.get<int>());
        }
    }
    if (j.contains("python") && j["python"].is_string())
        c.python = fromStd(j["python"].get<std::string>());
    return c;
}

Json LocalTargetConfig::toJson() const {
    Json j;
    j["max_concurrent_runs"] = maxConcurrentRuns;
    j["gpus"] = Json::array();
    for (int g : gpus)
        j["gpus"].push_back(g);
    if (!python.isEmpty())
        j["python"] = toStd(python);
    return j;
}

LocalTarget::LocalTarget(ComputeTargetRecord record)
    : ComputeTarget(std::move(record)), config_(LocalTargetConfig::parse(this->record().config, name())) {}

FieldProblems LocalTargetConfig::problems() const {
    FieldProblems out;
    if (maxConcurrentRuns < 1 || maxConcurrentRuns > 10000)
        out.append({QStringLiteral("max-concurrent"),
                    QStringLiteral("The number of concurrent runs must be from 1 to 10000; more runs "
                                   "wait in the target's queue.")});
    for (int g : gpus) {
        if (g < 0) {
            out.append({QStringLiteral("gpus"),
                        QStringLiteral("GPU numbers are 0 or more; give them like 0,1.")});
            break;
        }
    }
    return out;
}

ComputeTargetRecord LocalTarget::makeRecord(const QString& name, const LocalTargetConfig& config) {
    throwFirstProblem(config.problems());
    return {name, QStringLiteral("local"), fromStd(config.toJson().dump()), {}};
}

Json LocalTarget::describe() const {
    Json j = ComputeTarget::describe();
    j["config"] = config_.toJson();
    return j;
}

void LocalTarget::checkCanRun(const Estimator& e) const {
    if (e.useGpu && config_.gpus.isEmpty())
        throw Error(QStringLiteral("The run asks for a GPU but compute target '%1' has none; create "
                                   "a target with GPUs ('labbench compute create local NAME --gpus "
                                   "0') or drop --gpu.")
                        .arg(name()));
    if (e.nodeCount > 1)
        throw Error(QStringLiteral("node_count is %1 but compute target '%2' is this one machine; "
                                   "use node_count 1 or a Slurm target.")
                        .arg(e.nodeCount)
                        .arg(name()));
    if (!isDistributed(e))
        return;
    // Several processes on this machine, started by Open MPI's mpirun (RunLaunch.cpp).
    if (QStandardPaths::findExecutable(QStringLiteral("mpirun")).isEmpty())
        throw Error(QStringLiteral("The %1 backend starts its %2 processes with mpirun, which is not "
                                   "on this machine's PATH; install Open MPI (openmpi-bin) or run one "
                                   "process.")
                        .arg(e.distributedBackend)
                        .arg(taskCount(e)));
    if (!e.customDockerImage.isEmpty())
        throw Error(QStringLiteral("custom_docker_image cannot be combined with a %1 backend on local "
                                   "targets; drop one of them or use a Slurm target.")
                        .arg(e.distributedBackend));
    if (e.useGpu && taskCount(e) > 1)
        throw Error(QStringLiteral("A local run gets one GPU, which %1 processes cannot share; use one "
                                   "process per GPU on a Slurm target or drop --gpu.")
                        .arg(taskCount(e)));
}

QList<RunRecord> LocalTarget::dispatch(Workspace& ws) {
    std::map<QString, RunLock> locks;
    QStringList missing;
    const QList<RunRecord> claimed = ws.store().runs().claimQueued(
        name(), [&](RunRecord& run, const QList<RunRecord>& active) {
            if (active.size() >= config_.maxConcurrentRuns)
                return false;
            if (usesGpu(run)) {
                QSet<int> used;
                for (const RunRecord& a : active)
                    for (const QString& d : a.devices.split(QLatin1Char(','), Qt::SkipEmptyParts))
                        used.insert(d.toInt());
                run.devices.clear();
                for (int g : config_.gpus)
                    if (!used.contains(g)) {
                        run.devices = QString::number(g);
                        break;
                    }
                if (run.devices.isEmpty())
                    return false; // every GPU is busy: the queue waits (FIFO)
            }
            if (!QFileInfo(run.runDir).isDir()) {
                missing.append(run.id);
                return true;
            }
            auto lock = RunLock::tryAcquire(RunFolder(run.runDir).lockFile());
            if (!lock)
                return false;
            locks.emplace(run.id, std::move(*lock));
            return true;
        });
    QList<RunRecord> started;
    for (const RunRecord& run : claimed) {
        auto it = locks.find(run.id);
        if (it == locks.end()) {
            ws.store().runs().transition(run.id, RunStatus::Failed,
                                         QStringLiteral("The run folder %1 was deleted.").arg(run.runDir));
            continue;
        }
        try {
            spawnSupervisor(ws, run, it->second);
            started.append(run);
        } catch (const Error& e) {
            ws.store().runs().transition(run.id, RunStatus::Failed, e.message());
        }
        it->second.release();
    }
    return started;
}

namespace {

// A run in a container whose supervisor was killed: killing the `podman run` client leaves the
// container running under its monitor, so it is removed by its name. The engine is asked again
// rather than read from the run folder, which the script can write.
void removeAbandonedContainer(const RunRecord& run) {
    const Json e = Json::parse(run.estimatorJson.toStdString(), nullptr, false);
    if (!e.is_object() || e.value("custom_docker_image", std::string()).empty()) return;
    try {
        removeContainer(findContainerEngine(), containerName(run.id));
    } catch (const Error&) {
        // No engine answers now: nothing it could have left running is reachable either.
    }
}

} // namespace

void LocalTarget::requestCancel(Workspace& ws, const RunRecord& run) {
    const RunFolder folder(run.runDir);
    if (QFileInfo(folder.dir()).isDir())
        writeFileAtomically(folder.cancelRequest(), QByteArrayLiteral("canceled by user\n"));
    // A queued run has no supervisor yet: the store decides whether it is still queued.
    ws.store().runs().transitionIf(run.id, RunStatus::Queued, RunStatus::Canceled,
                                   QStringLiteral("Canceled by the user before it started."));
}

bool LocalTarget::reconcile(Workspace& ws, const RunRecord& run) {
    if (!QFileInfo(run.runDir).isDir())
        return ws.store().runs().transition(
            run.id, RunStatus::Failed, QStringLiteral("The run folder %1 was deleted.").arg(run.runDir));
    auto lock = RunLock::tryAcquire(RunFolder(run.runDir).lockFile());
    if (!lock)
        return false; // its supervisor (or the dispatcher starting one) is alive
    const auto fresh = ws.store().runs().find(run.id);
    if (!fresh || isTerminal(fresh->status))
        return false;
    finishAbandonedRun(ws.store(), *fresh);
    removeAbandonedContainer(*fresh);
    return true;
}

} // namespace lb
