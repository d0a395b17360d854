// labbench submit | runs show | wait | cancel (runs list: RunListCommand.cpp)
#include "app/cli/RunCommands.h"

#include "app/cli/JsonOutput.h"

#include "core/estimator/Estimator.h"
#include "core/estimator/SlurmResources.h"
#include "core/runs/RunControl.h"
#include "core/lifecycle/RunFinish.h"
#include "core/lifecycle/RunFolder.h"
#include "core/runs/Submit.h"
#include "core/store/RunAttempts.h"
#include "core/store/Store.h"
#include "core/util/Error.h"
#include "core/util/SafeFile.h"
#include "core/util/Time.h"
#include "core/workspace/Workspace.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <cstdio>

namespace lb::cli {

Json runSummaryJson(const RunRecord& run) {
    Json j;
    j["id"] = toStd(run.id);
    j["name"] = run.name.isEmpty() ? Json(nullptr) : Json(toStd(run.name));
    j["experiment"] = toStd(run.experiment);
    j["number"] = run.number;
    j["status"] = toStd(toString(run.status));
    j["compute_target"] = toStd(run.computeTarget);
    j["created"] = toStd(isoTime(run.created));
    j["started"] = run.started.isValid() ? Json(toStd(isoTime(run.started))) : Json(nullptr);
    j["ended"] = run.ended.isValid() ? Json(toStd(isoTime(run.ended))) : Json(nullptr);
    const QDateTime end = run.ended.isValid() ? run.ended : QDateTime::currentDateTimeUtc();
    j["duration_seconds"] = run.started.isValid() ? Json(run.started.msecsTo(end) / 1000.0) : Json(nullptr);
    j["exit_code"] = run.exitCode ? Json(*run.exitCode) : Json(nullptr);
    j["reason"] = toStd(run.reason);
    j["devices"] = toStd(run.devices);
    j["run_dir"] = toStd(run.runDir);
    return j;
}

qint64 streamFileFrom(const QString& path, qint64 offset) {
    // The run's script may have put a FIFO or a link in the log's place: that is no log (#25).
    const std::optional<SafeFile> file = SafeFile::openIfRegular(path);
    if (!file)
        return offset;
    // Up to the size seen now, so a log that grows as fast as it is read still ends the call.
    const qint64 end = file->size();
    while (offset < end) {
        QByteArray chunk;
        try {
            chunk = file->readAt(offset, std::min<qint64>(1 << 20, end - offset));
        } catch (const Error&) {
            break;
        }
        if (chunk.isEmpty())
            break;
        std::fwrite(chunk.constData(), 1, static_cast<size_t>(chunk.size()), stdout);
        offset += chunk.size();
    }
    std::fflush(stdout);
    return offset;
}

int exitStatusOf(const RunRecord& run) {
    if (run.exitCode)
        return *run.exitCode;
    return run.status == RunStatus::Completed ? 0 : 1;
}

namespace {

QString opt(const char* name) { return QString::fromLatin1(name); }

// --env, --secret-env or --public-env NAME=VALUE: the variable, and its name in `list` (which
// says whether it is secret, #25). Messages never repeat the argument: it may hold a secret.
void addVariables(Invocation& inv, const char* option, Estimator& e, QStringList* list) {
    for (const QString& kv : inv.values(opt(option))) {
        const qsizetype eq = kv.indexOf(QLatin1Char('='));
        if (eq <= 0)
            throw UsageError(QStringLiteral("--%1 needs NAME=VALUE: a variable name, '=', then its "
                                            "value.")
                                 .arg(QLatin1String(option)));
        const QString name = kv.left(eq);
        e.environmentVariables.insert(name, kv.mid(eq + 1));
        if (list && !list->contains(name))
            list->append(name);
    }
}

// The estimator from --estimator FILE (if any) with the command line's options on top.
Estimator estimatorFrom(Invocation& inv) {
    Estimator e;
    const auto file = inv.value(opt("estimator"));
    if (file)
        e = Estimator::load(*file);
    else
        e.origin = QStringLiteral("command line");
    if (auto source = inv.value(opt("source")))
        e.sourceDirectory = QDir(*source).absolutePath();
    else if (e.sourceDirectory.isEmpty())
        e.sourceDirectory = QDir::currentPath();
    if (auto entry = inv.value(opt("entry"))) {
        e.entryScript = *entry;
        // "--source proj --entry proj/train.py" names the file from here: make it source-relative.
        const QFileInfo here(*entry);
        const QString rel = QDir(e.sourceDirectory).relativeFilePath(here.absoluteFilePath());
        if (!QFileInfo::exists(QDir(e.sourceDirectory).filePath(*entry)) && here.isFile() &&
            !rel.startsWith(QLatin1String("../")))
            e.entryScript = rel;
    }
    if (auto v = inv.value(opt("compute")))
        e.computeTarget = *v;
    if (auto v = inv.value(opt("framework")))
        e.framework = *v;
    e.pipPackages += inv.values(opt("pip"));
    e.condaPackages += inv.values(opt("conda"));
    if (auto v = inv.value(opt("image")))
        e.customDockerImage = *v;
    if (inv.flag(opt("gpu")))
        e.useGpu = true;
    if (auto v = inv.intValue(opt("nodes")))
        e.nodeCount = static_cast<int>(*v);
    if (auto v = inv.intValue(opt("processes-per-node")))
        e.processCountPerNode = static_cast<int>(*v);
    if (auto v = inv.value(opt("backend")))
        e.distributedBackend = *v;
    // The parameter_server shape; the estimator's validation checks it against the backend.
    if (auto v = inv.intValue(opt("worker-count"))) {
        if (*v < 1 || *v > 4096)
            throw UsageError(QStringLiteral("--worker-count needs a number of workers from 1 to 4096."));
        e.workerCount = static_cast<int>(*v);
    }
    if (auto v = inv.intValue(opt("parameter-server-count"))) {
        if (*v < 1 || *v > 4096)
            throw UsageError(QStringLiteral("--parameter-server-count needs a number of parameter "
                                            "servers from 1 to 4096."));
        e.parameterServerCount = static_cast<int>(*v);
    }
    addVariables(inv, "env", e, nullptr);
    addVariables(inv, "secret-env", e, &e.secretVariables);
    addVariables(inv, "public-env", e, &e.publicVariables);
    if (auto v = inv.value(opt("python")))
        e.python = *v;
    if (auto v = inv.intValue(opt("max-duration"))) {
        if (*v <= 0)
            throw UsageError(QStringLiteral("--max-duration needs a number of seconds above 0."));
        e.maxRunDurationSeconds = static_cast<int>(*v);
    }
    // Checked with the rest of the estimator (SlurmResources.h) when the run is submitted.
    if (auto v = inv.value(opt("slurm-time")))
        e.slurmTime = *v;
    if (auto v = inv.value(opt("slurm-mem")))
        e.slurmMem = *v;
    if (auto v = inv.value(opt("slurm-gres")))
        e.slurmGres = *v;
    if (auto v = inv.intValue(opt("slurm-max-requeues"))) {
        if (const QString problem = slurmMaxRequeuesProblem(*v); !problem.isEmpty())
            throw UsageError(QStringLiteral("--slurm-max-requeues: ") + problem);
        e.slurmMaxRequeues = static_cast<int>(*v);
    }
    if (!inv.scriptArgs().isEmpty() || !file)
        e.scriptParams = inv.scriptArgs();
    if (e.entryScript.isEmpty() && e.framework != QLatin1String("builtin-mnist"))
        throw UsageError(QStringLiteral("labbench submit needs --entry FILE (the script to run, "
                                        "relative to --source) or --estimator FILE.json."));
    return e;
}

// Says once, on stderr, when a waited-for run stops making progress for a reason the user can
// fix (a full disk), and once more when it goes on; a wait never hangs silently (#20 item 4).
class PauseNotice {
public:
    explicit PauseNotice(QTextStream& err) : err_(err) { sinceCheck_.start(); }
    void check(const Workspace& ws, const RunRecord& run) {
        if (sinceCheck_.elapsed() < 1000)
            return;
        sinceCheck_.restart();
        const QString reason = runPauseReason(ws, run);
        if (reason == shown_)
            return;
        err_ << "labbench: " << (reason.isEmpty() ? QStringLiteral("space is back; the run goes on.") : reason)
             << '\n';
        err_.flush();
        shown_ = reason;
    }

private:
    QTextStream& err_;
    QElapsedTimer sinceCheck_;
    QString shown_;
};

// Streams driver.log until the run is final; returns the script's exit code.
int follow(Invocation& inv, Workspace& ws, const RunRecord& run) {
    const QString log = RunFolder(run.runDir).driverLog();
    qint64 offset = 0;
    PauseNotice pause(inv.err);
    const RunRecord done = waitForRun(ws, run.id, [&] {
        offset = streamFileFrom(log, offset);
        pause.check(ws, run);
    });
    offset = streamFileFrom(log, offset);
    inv.err << "labbench: run " << done.id << " " << toString(done.status);
    if (!done.reason.isEmpty())
        inv.err << ": " << done.reason;
    inv.err << '\n';
    inv.err.flush();
    return exitStatusOf(done);
}

int submit(Invocation& inv) {
    Estimator e = estimatorFrom(inv);
    Workspace& ws = inv.workspace();
    SubmitOptions options;
    options.experiment = inv.valueOr(opt("experiment"), QString());
    options.name = inv.valueOr(opt("name"), QString());
    if (options.name.size() > 200 || options.name.contains(QLatin1Char('\n')))
        throw UsageError(QStringLiteral("--name is one line of at most 200 characters."));
    QStringList warnings;
    options.warnings = &warnings;
    const RunRecord run = submitRun(ws, e, options);
    for (const QString& w : warnings)
        inv.err << "labbench: warning: " << w << '\n';
    inv.err.flush();
    inv.out << run.id << '\n';
    inv.out.flush();
    if (!inv.flag(opt("wait")))
        return 0;
    return follow(inv, ws, run);
}

int show(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const RunRecord found = findRun(ws, inv.positional(0));
    RunRecord run = found;
    try {
        run = reconcileRun(ws, found);
    } catch (const Error&) {
        if (runPauseReason(ws, found).isEmpty()) // on a full disk, show what is stored
            throw;
    }
    auto runs = ws.store().runs();
    Json j = runSummaryJson(run);
    if (const QString paused = runPauseReason(ws, run); !paused.isEmpty())
        j["paused"] = toStd(paused);
    j["history"] = Json::array();
    for (const StateChange& s : runs.history(run.id))
        j["history"].push_back({{"status", toStd(toString(s.status))},
                                {"time", toStd(isoTime(s.time))},
                                {"reason", toStd(s.reason)}});
    j["note"] = toStd(runs.note(run.id));
    j["archived"] = run.archived;
    j["params"] = Json::object();
    for (const auto& [name, value] : runs.params(run.id))
        j["params"][toStd(name)] = toStd(value);
    j["tags"] = Json::object();
    const auto tags = runs.tags(run.id);
    for (auto it = tags.begin(); it != tags.end(); ++it)
        j["tags"][toStd(it.key())] = toStd(it.value());
    // Attempts: a run resumed or requeued ran more than once (issue 20 item 2).
    const QList<RunAttempt> attempts = RunAttemptRepository(ws.store().database()).attempts(run.id);
    j["attempts"] = Json::array();
    for (const RunAttempt& a : attempts) {
        Json one = {{"attempt", a.number}, {"reason", toStd(a.reason)},
                    {"started", a.started.isValid() ? Json(toStd(isoTime(a.started))) : Json()},
                    {"ended", a.ended.isValid() ? Json(toStd(isoTime(a.ended))) : Json()},
                    {"status", a.endStatus ? Json(toStd(toString(*a.endStatus))) : Json()},
                    {"end_reason", toStd(a.endReason)},
                    {"resumed_from", a.resumedFrom.isEmpty() ? Json() : Json(toStd(a.resumedFrom))},
                    {"resume_step", a.resumeStep ? Json(*a.resumeStep) : Json()}};
        j["attempts"].push_back(one);
    }
    j["log_lines"] = runs.ingestOffset(run.id, RunFolder::driverLogName()).lines;
    j["metric_points"] = ws.store().metrics().count(run.id);
    const Json estimator = Json::parse(run.estimatorJson.toStdString(), nullptr, false);
    j["estimator"] = estimator.is_discarded() ? Json::object() : estimator;
    if (inv.flag(opt("json"))) {
        printJson(inv.out, j);
        return 0;
    }
    inv.out << "Run:        " << run.id << '\n';
    if (!run.name.isEmpty())
        inv.out << "Name:       " << run.name << '\n';
    inv.out
            << "Experiment: " << run.experiment << " (#" << run.number << ")\n"
            << "Status:     " << toString(run.status) << '\n'
            << "Target:     " << run.computeTarget
            << (run.devices.isEmpty() ? QString() : QStringLiteral(" (GPU %1)").arg(run.devices)) << '\n'
            << "Created:    " << isoTime(run.created) << '\n';
    if (run.exitCode)
        inv.out << "Exit code:  " << *run.exitCode << '\n';
    if (!run.reason.isEmpty())
        inv.out << "Reason:     " << run.reason << '\n';
    if (const QString paused = runPauseReason(ws, run); !paused.isEmpty())
        inv.out << "Paused:     " << paused << '\n';
    inv.out << "Folder:     " << run.runDir << '\n'
            << "Log lines:  " << j["log_lines"].get<qint64>() << '\n'
            << "Metrics:    " << j["metric_points"].get<qint64>() << " points\n"
            << "History:\n";
    for (const StateChange& s : runs.history(run.id))
        inv.out << "  " << isoTime(s.time) << "  " << toString(s.status).leftJustified(10)
                << (s.reason.isEmpty() ? QString() : QStringLiteral("  ") + s.reason) << '\n';
    if (attempts.size() > 1) {
        inv.out << "Attempts:\n";
        for (const RunAttempt& a : attempts) {
            inv.out << "  " << a.number << "  " << (a.started.isValid() ? isoTime(a.started) : QStringLiteral("-"))
                    << " .. " << (a.ended.isValid() ? isoTime(a.ended) : QStringLiteral("now")) << "  "
                    << (a.endStatus ? toString(*a.endStatus) : QStringLiteral("Running")).leftJustified(10);
            if (!a.resumedFrom.isEmpty())
                inv.out << "  from " << a.resumedFrom
                        << (a.resumeStep ? QStringLiteral(" (step %1)").arg(*a.resumeStep) : QString());
            else if (a.number > 1)
                inv.out << "  from the start";
            inv.out << '\n';
        }
    }
    return 0;
}

int wait(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const RunRecord run = findRun(ws, inv.positional(0));
    PauseNotice pause(inv.err);
    const RunRecord done = waitForRun(ws, run.id, [&] { pause.check(ws, run); });
    inv.out << done.id << ' ' << toString(done.status) << '\n';
    if (!done.reason.isEmpty())
        inv.err << "labbench: " << done.reason << '\n';
    return exitStatusOf(done);
}

int cancel(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const RunRecord run = reconcileRun(ws, findRun(ws, inv.positional(0)));
    if (isTerminal(run.status)) {
        inv.out << run.id << ' ' << toString(run.status) << " (already finished)\n";
        return 0;
    }
    requestCancel(ws, run);
    const RunRecord done = waitForRun(ws, run.id, {}, 20, 15000);
    inv.out << done.id << ' ' << toString(done.status) << '\n';
    if (!isTerminal(done.status)) {
        inv.err << "labbench: the run has not stopped yet; it will be canceled as soon as its "
                   "supervisor notices.\n";
        return 1;
    }
    return 0;
}

OptionSpec valueOption(const char* name, const char* value, const char* help, bool repeatable = false) {
    return {QString::fromLatin1(name), {}, QString::fromLatin1(value), QString::fromLatin1(help), repeatable};
}

OptionSpec flagOption(const char* name, const char* help) {
    return {QString::fromLatin1(name), {}, {}, QString::fromLatin1(help)};
}

PositionalSpec runArg() { return {QStringLiteral("RUN"), QStringLiteral("a run id (or a unique prefix of one)")}; }

} // namespace

void registerRunCommands(CommandLine& cli) {
    cli.add({{QStringLiteral("submit")},
             QStringLiteral("Submit a script as a run; prints the run id first."),
             {valueOption("experiment", "NAME", "the experiment (default: 'default')"),
              valueOption("name", "TEXT", "the run's display name (runs rename changes it)"),
              valueOption("source", "DIR", "the folder to snapshot (default: the current folder)"),
              valueOption("entry", "FILE", "the entry script, relative to --source"),
              valueOption("compute", "NAME", "the compute target (default: the workspace's)"),
              valueOption("framework", "F", "generic, pytorch, tensorflow, chainer or builtin-mnist"),
              valueOption("pip", "PKG", "a pip package to install", true),
              valueOption("conda", "PKG", "a conda package to install", true),
              valueOption("image", "IMG", "a container image to run in"),
              flagOption("gpu", "run on a GPU of the target"),
              valueOption("nodes", "N", "node count"),
              valueOption("processes-per-node", "M", "processes per node"),
              valueOption("backend", "B", "none, mpi, pytorch or parameter_server"),
              valueOption("worker-count", "W", "parameter_server: worker tasks"),
              valueOption("parameter-server-count", "P", "parameter_server: parameter-server tasks"),
              valueOption("env", "K=V",
                          "an environment variable for the script; secret (shown as ***, kept in a "
                          "0600 file) when its name contains TOKEN, SECRET, PASSWORD or KEY",
                          true),
              valueOption("secret-env", "K=V", "a secret environment variable for the script", true),
              valueOption("public-env", "K=V",
                          "an environment variable that is not secret, whatever its name", true),
              valueOption("python", "EXE", "the interpreter for .py scripts (default: python3)"),
              valueOption("max-duration", "S", "stop the run after S seconds"),
              valueOption("slurm-time", "T",
                          "Slurm targets: the job's --time (MINUTES, HOURS:MINUTES:SECONDS, "
                          "DAYS-HOURS[:MINUTES[:SECONDS]], …); wins over --max-duration"),
              valueOption("slurm-mem", "SIZE", "Slurm targets: the job's --mem per node, e.g. 4G"),
              valueOption("slurm-gres", "GRES", "Slurm targets: the job's --gres, e.g. gpu:2"),
              valueOption("slurm-max-requeues", "N",
                          "Slurm targets: how often a preempted or node-failed job is queued again "
                          "before the run fails (default 3; 0: never)"),
              valueOption("estimator", "FILE", "an estimator JSON file; options given here win"),
              flagOption("wait", "stream the driver log and exit with the script's exit code")},
             {},
             true,
             submit});
    registerRunListCommand(cli);
    registerRunEditCommands(cli);
    registerRunCompareCommand(cli);
    cli.add({{QStringLiteral("runs"), QStringLiteral("show")},
             QStringLiteral("Show a run: status, exit code, state history."),
             {jsonOption()},
             {runArg()},
             false,
             show});
    cli.add({{QStringLiteral("wait")},
             QStringLiteral("Wait until a run ends; exits with the script's exit code."),
             {},
             {runArg()},
             false,
             wait});
    cli.add({{QStringLiteral("cancel")},
             QStringLiteral("Cancel a run (its script and children are stopped)."),
             {},
             {runArg()},
             false,
             cancel});
    registerRunResumeCommand(cli);
    registerRunOutputCommands(cli);
}

} // namespace lb::cli
