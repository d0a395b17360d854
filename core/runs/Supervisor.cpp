#include "core/runs/Supervisor.h"

#include "core/compute/ComputeTarget.h"
#include "core/compute/LocalTarget.h"
#include "core/datastore/Datastores.h"
#include "core/estimator/Estimator.h"
#include "core/estimator/SecretVariables.h"
#include "core/runs/EnvironmentStep.h"
#include "core/lifecycle/ExitRecord.h"
#include "core/lifecycle/RunFinish.h"
#include "core/lifecycle/RunFolder.h"
#include "core/runs/OutputRelay.h"
#include "core/lifecycle/RunIngester.h"
#include "core/runs/RunLaunch.h"
#include "core/runs/RunSystemSampler.h"
#include "core/store/RunAttempts.h"
#include "core/lifecycle/RunHelper.h"
#include "core/lifecycle/RunLock.h"
#include "core/lifecycle/RunProcesses.h"
#include "core/util/DiskSpace.h"
#include "core/util/Error.h"
#include "core/util/Json.h"
#include "core/util/Time.h"
#include "core/workspace/Workspace.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace lb {

namespace {

volatile sig_atomic_t g_stopRequested = 0;
void onStopSignal(int) { g_stopRequested = 1; }

void installSignalHandlers() {
    struct sigaction sa {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    for (int s : {SIGTERM, SIGINT, SIGHUP})
        sigaction(s, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);
}

constexpr const char* kWho = "labbench-supervisor";

void note(const QString& text) { helperNote(kWho, text); }

// Starts whatever the target can run next; errors must not hide the run's own outcome.
void dispatchNext(Workspace& ws, const QString& target) {
    try {
        openComputeTarget(ws, target)->dispatch(ws);
    } catch (const std::exception& e) {
        note(QStringLiteral("could not start the next queued run: %1").arg(QString::fromUtf8(e.what())));
    }
}

enum class Stop { None, Cancel, Timeout };

struct Launched {
    pid_t pid = -1;
    QString failure; // why it could not start
    std::optional<ContainerLaunch> container; // custom_docker_image: the container it runs in
};

// The folders of the datastores that `datastore://NAME/…` arguments name (a container sees only
// what is mounted).
QStringList datastoreFolders(const QStringList& params, Store& store) {
    QStringList folders;
    for (const QString& p : params) {
        const int at = p.indexOf(kDatastoreScheme);
        if (at < 0) continue;
        const QString name = p.mid(at + kDatastoreScheme.size()).section(QLatin1Char('/'), 0, 0);
        const QString dir = resolveDatastoreUri(kDatastoreScheme + name, store);
        if (!folders.contains(dir)) folders.append(dir);
    }
    return folders;
}

// A stopped `podman run` client (SIGKILL after the grace period) leaves its container running
// under the engine's monitor; removing it by name also covers a client that died on its own.
void removeRunContainer(const std::optional<ContainerLaunch>& container, const RunFolder& folder) {
    if (!container || container->name.isEmpty()) return;
    if (removeContainer(container->engine, container->name))
        appendToDriverLog(folder, QStringLiteral("labbench: removed the container %1 that outlived "
                                                 "its client.")
                                      .arg(container->name));
}

Launched prepareAndLaunch(Workspace& ws, const RunRecord& run, const RunFolder& folder, Estimator& est,
                          RunProcesses& processes, std::unique_ptr<OutputRelay>& relay) {
    Launched result;
    try {
        est = Estimator::fromJson(parseJson(run.estimatorJson.toUtf8(), folder.runJson()),
                                  QStringLiteral("run %1").arg(run.id));
        restoreSecrets(folder.secretsFile(), est); // the stored estimator says "***"
        // datastore://NAME/path arguments become the data's path on this machine (issue 4).
        const QStringList datastores = datastoreFolders(est.scriptParams, ws.store());
        est.scriptParams = resolveDatastoreArgs(est.scriptParams, ws.store());
        const auto target = openComputeTarget(ws, run.computeTarget);
        const auto* local = dynamic_cast<const LocalTarget*>(target.get());
        if (est.python.isEmpty()) // environments are built on the interpreter the run would use
            est.python = target->python();
        PreparedEnvironment prepared = makeEnvironmentStep(ws.root())->prepare(est, folder);
        if (prepared.container) { // the data the arguments name is mounted where they say
            prepared.container->mounts += datastores;
            result.container = prepared.container;
        }
        LaunchContext context;
        context.runId = run.id;
        context.experiment = run.experiment;
        context.targetPython = target->python();
        context.devices = run.devices;
        context.targetHasGpus = local && !local->config().gpus.isEmpty();
        context.binDir = executableDir();
        context.baseEnvironment = currentEnvironment();
        RunAttemptRepository attempts(ws.store().database());
        context.attempt = attempts.currentAttempt(run.id);
        if (const auto checkpoint = attempts.lastCheckpoint(run.id); checkpoint && context.attempt > 1)
            context.resumeCheckpoint = checkpoint->path;
        SpawnSpec spec = buildLaunch(est, folder, context, prepared);

        relay = std::make_unique<OutputRelay>(folder.driverLog());
        // The metric stream exists from the start, so followers can open it at once.
        const int metricsFd = ::open(QFile::encodeName(folder.metricsFile()).constData(),
                                     O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (metricsFd >= 0)
            ::close(metricsFd);
        // The store decides: a cancel that won the race leaves the run Canceled, never started.
        if (!ws.store().runs().transitionIf(run.id, RunStatus::Preparing, RunStatus::Running))
            return result;
        spec.stdoutFd = relay->scriptEnd();
        spec.stderrFd = relay->scriptEnd();
        spec.newProcessGroup = true;
        try {
            result.pid = processes.spawn(spec);
        } catch (const Error& e) {
            appendToDriverLog(folder, QStringLiteral("labbench: ") + e.message());
            result.failure = e.message();
            return result;
        }
        relay->closeScriptEnd();
        Json p;
        p["pid"] = result.pid;
        p["start_ticks"] = processStartTicks(result.pid);
        p["process_group"] = result.pid;
        p["session"] = ::getsid(0);
        if (!processes.cgroupPath().isEmpty()) // so a command that finds us gone can stop it
            p["cgroup"] = toStd(processes.cgroupPath());
        writeJsonFile(folder.processJson(), p);
    } catch (const Error& e) {
        result.failure = e.message();
    }
    return result;
}

// Waits for the script while ingesting; returns its wait status and why it was stopped.
int watch(pid_t pid, const RunFolder& folder, RunIngester& ingester, OutputRelay& relay, RunProcesses& processes,
          const Estimator& est, const SupervisorOptions& options, Stop& stop) {
    QElapsedTimer clock;
    clock.start();
    const qint64 deadlineMs = est.maxRunDurationSeconds ? qint64(*est.maxRunDurationSeconds) * 1000 : -1;
    const QByteArray cancelPath = QFile::encodeName(folder.cancelRequest());
    qint64 killAtMs = -1;
    int status = 0;
    for (;;) {
        if (processes.reap(pid, &status))
            break;
        const qint64 now = clock.elapsed();
        if (stop == Stop::None) {
            if (g_stopRequested || ::access(cancelPath.constData(), F_OK) == 0)
                stop = Stop::Cancel;
            else if (deadlineMs >= 0 && now >= deadlineMs)
                stop = Stop::Timeout;
            if (stop != Stop::None) {
                ::kill(-pid, SIGTERM);
                killAtMs = now + options.graceMs;
            }
        } else if (killAtMs >= 0 && now >= killAtMs) {
            ::kill(-pid, SIGKILL);
            killAtMs = -1;
        }
        ingestOrRetry(ingester, kWho);
        relay.pump(options.pollMs);
    }
    if (stop != Stop::None)
        ::kill(-pid, SIGKILL); // whatever of the group ignored SIGTERM
    return status;
}

// Nothing the script started outlives the run: a daemon it left behind is stopped, and said so.
void stopLeftovers(RunProcesses& processes, const RunFolder& folder, const SupervisorOptions& options) {
    const QList<RunProcesses::Leftover> left = processes.stopLeftovers(options.graceMs);
    if (left.isEmpty())
        return;
    QStringList names;
    for (const RunProcesses::Leftover& p : left)
        names.append(QStringLiteral("%1 (%2)").arg(p.pid).arg(p.name));
    appendToDriverLog(folder, QStringLiteral("labbench: stopped %1 process(es) that the script left "
                                             "running when it ended: %2.")
                                  .arg(left.size())
                                  .arg(names.join(QStringLiteral(", "))));
}

// Writes what the script left (held output, exit.json) and finishes the run in the store. A full
// disk is waited out, however long it lasts: the output and the exit code are held in memory
// meanwhile, and readers say "disk full" (DiskSpace.h) rather than "the supervisor vanished".
// Any other failure is tried a few times; the lock then goes with us, and any later command
// finishes the run from exit.json.
void recordTheEnd(Workspace& ws, const RunRecord& run, const RunFolder& folder, const ExitRecord& exit,
                  RunIngester& ingester, OutputRelay* relay) {
    bool waitingForSpace = false, exitWritten = false;
    for (int attempt = 0;; ++attempt) {
        try {
            if (relay && !relay->flush())
                throw Error(QStringLiteral("Cannot write the rest of %1 (%2 bytes held).")
                                .arg(folder.driverLog())
                                .arg(relay->heldBytes()));
            if (!exitWritten)
                exit.write(folder.exitJson()); // only now: once it exists, driver.log is complete
            exitWritten = true;
            finalizeRun(ws.store(), run, exit, ingester);
            if (waitingForSpace)
                note(QStringLiteral("space is back; the run's end is recorded"));
            return;
        } catch (const std::exception& e) {
            const bool full = diskIsFull(folder.dir()) || diskIsFull(ws.root());
            if (full && !waitingForSpace)
                note(QStringLiteral("the disk is full; holding the run's output and exit code until space is "
                                    "freed: %1")
                         .arg(QString::fromUtf8(e.what())));
            else if (!full)
                note(QStringLiteral("finalizing failed: %1").arg(QString::fromUtf8(e.what())));
            waitingForSpace = full;
            if (!full && attempt >= 5)
                return;
            sleepMs(full ? 1000 : 500);
        }
    }
}

} // namespace

int superviseRun(const SupervisorOptions& options) {
    installSignalHandlers();
    std::optional<HelperStart> start = startHelper(options.workspaceRoot, options.runId, options.lockFd, kWho,
                                                   QStringLiteral("run %1 already has a supervisor"));
    if (!start)
        return 1;
    Workspace* ws = &start->workspace;
    std::optional<RunRecord> run = start->record;
    std::optional<RunLock> lock = std::move(start->lock);
    const RunFolder folder(run->runDir);
    auto runs = ws->store().runs();
    if (run->status == RunStatus::Queued) // started by hand, not by a dispatcher
        runs.transitionIf(run->id, RunStatus::Queued, RunStatus::Preparing);
    run = runs.find(run->id);
    if (!run || run->status != RunStatus::Preparing) {
        lock->release();
        dispatchNext(*ws, run ? run->computeTarget : QString());
        return 0;
    }
    if (QFileInfo::exists(folder.cancelRequest()) || g_stopRequested) {
        runs.transitionIf(run->id, RunStatus::Preparing, RunStatus::Canceled,
                          QStringLiteral("Canceled by the user before it started."));
        writeRunJson(ws->store(), run->id);
        lock->release();
        dispatchNext(*ws, run->computeTarget);
        return 0;
    }

    Estimator est;
    RunProcesses processes(run->id);
    note(processes.describe());
    std::unique_ptr<OutputRelay> relay;
    const Launched launched = prepareAndLaunch(*ws, *run, folder, est, processes, relay);
    RunIngester ingester(ws->store(), run->id, run->runDir,
                         [&](const QString& line) { appendToDriverLog(folder, line); });
    ExitRecord exit;
    if (launched.pid > 0) {
        Stop stop = Stop::None;
        // CPU, memory, disk, network and the run's GPUs, sampled beside the script (issue 19).
        RunSystemSampler sampler(folder, launched.pid, run->devices, processes.cgroupPath());
        const int status = watch(launched.pid, folder, ingester, *relay, processes, est, options, stop);
        sampler.stop(); // before the leftovers: the sampler is our child, not the script's
        stopLeftovers(processes, folder, options);
        removeRunContainer(launched.container, folder);
        relay->drain();
        if (WIFEXITED(status)) {
            exit.exitCode = WEXITSTATUS(status);
        } else if (WIFSIGNALED(status)) {
            exit.signal = WTERMSIG(status);
            exit.exitCode = 128 + WTERMSIG(status);
        }
        exit.canceled = stop == Stop::Cancel;
        exit.timedOut = stop == Stop::Timeout;
        if (exit.timedOut)
            exit.reason = QStringLiteral("The run exceeded its maximum duration of %1 s and was "
                                         "stopped; raise max_run_duration_seconds if it needs longer.")
                              .arg(est.maxRunDurationSeconds.value_or(0));
    } else if (!launched.failure.isEmpty()) {
        exit.reason = launched.failure;
    } else {
        // Canceled between Preparing and Running: the store already says so.
        writeRunJson(ws->store(), run->id);
        lock->release();
        dispatchNext(*ws, run->computeTarget);
        return 0;
    }
    exit.endTime = QDateTime::currentDateTimeUtc();
    recordTheEnd(*ws, *run, folder, exit, ingester, relay.get());
    lock->release();
    dispatchNext(*ws, run->computeTarget);
    return 0;
}

} // namespace lb
