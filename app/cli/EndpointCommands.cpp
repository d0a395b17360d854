// labbench endpoints deploy | start | list | show | logs | invoke | keys | stop | remove:
// registered models served over HTTP by a detached labbench-serve process (issue 18).
#include "app/cli/CommandLine.h"
#include "app/cli/JsonOutput.h"
#include "core/serve/EndpointControl.h"
#include "core/serve/EndpointDeploy.h"
#include "core/serve/EndpointFolder.h"
#include "core/serve/EndpointKey.h"
#include "core/serve/server/EndpointClient.h"
#include "core/util/Error.h"
#include "core/util/JsonValues.h"
#include "core/util/SafeFile.h"
#include "core/util/Time.h"
#include "core/workspace/Workspace.h"

namespace lb::cli {

namespace {

Json endpointJson(Workspace& ws, const EndpointRecord& e, bool withHistory) {
    const QString url = endpointUrl(e);
    Json j = {{"name", toStd(e.name)},
              {"kind", toStd(e.kind)},
              {"models", jsonStringList(e.models)},
              {"state", toStd(toString(e.state))},
              {"reason", toStd(e.reason)},
              {"host", toStd(e.host)},
              {"port", e.port},
              {"workers", e.workers},
              {"auth", e.auth},
              {"batch_delay_us", e.batchDelayUs},
              {"request_timeout_s", e.requestTimeoutS},
              {"run_timeout_s", e.runTimeoutS},
              {"entry", toStd(e.entry)},
              {"pip", jsonStringList(e.pipPackages)},
              {"url", toStd(url)},
              {"scoring_uri", toStd(url + QStringLiteral("/score"))},
              {"swagger_uri", toStd(url + QStringLiteral("/swagger.json"))},
              {"pid", e.pid},
              {"log", toStd(e.logPath)},
              {"key_file", e.auth ? toStd(EndpointFolder(ws.root(), e.name).keyPath()) : ""},
              {"created", toStd(isoTime(e.created))},
              {"updated", toStd(isoTime(e.updated))}};
    if (withHistory) {
        Json history = Json::array();
        for (const EndpointStateChange& c : ws.store().endpoints().history(e.name))
            history.push_back({{"state", toStd(toString(c.state))},
                               {"time", toStd(isoTime(c.time))},
                               {"reason", toStd(c.reason)}});
        j["history"] = history;
    }
    return j;
}

int intOption(Invocation& inv, const char* name, int fallback) {
    const auto v = inv.intValue(QString::fromLatin1(name));
    return v ? static_cast<int>(*v) : fallback;
}

// What deploy and start print, and their exit code: 0 only when the endpoint is Healthy.
int reportStarted(Invocation& inv, const EndpointRecord& e) {
    if (inv.flag(QStringLiteral("json")))
        printJson(inv.out, endpointJson(inv.workspace(), e, false));
    if (e.state == EndpointState::Healthy) {
        if (!inv.flag(QStringLiteral("json")))
            inv.out << "Endpoint '" << e.name << "' is Healthy at " << endpointUrl(e) << "/score\n";
        return 0;
    }
    if (e.state == EndpointState::Transitioning)
        inv.err << "The endpoint '" << e.name << "' is still starting; watch it with 'labbench "
                << "endpoints show " << e.name << "' and its log with 'labbench endpoints logs "
                << e.name << "'.\n";
    else
        inv.err << "The endpoint '" << e.name << "' is " << toString(e.state) << ": " << e.reason
                << '\n';
    return 1;
}

int deploy(Invocation& inv) {
    DeployRequest r;
    r.name = inv.positional(0);
    r.models = inv.values(QStringLiteral("model"));
    r.entry = inv.valueOr(QStringLiteral("entry"), {});
    r.source = inv.valueOr(QStringLiteral("source"), {});
    r.pipPackages = inv.values(QStringLiteral("pip"));
    r.port = intOption(inv, "port", 0);
    r.host = inv.valueOr(QStringLiteral("host"), QStringLiteral("127.0.0.1"));
    r.workers = intOption(inv, "workers", 1);
    r.auth = inv.flag(QStringLiteral("auth"));
    r.batchDelayUs = intOption(inv, "batch-delay-us", 0);
    r.requestTimeoutS = intOption(inv, "request-timeout", 10);
    r.runTimeoutS = intOption(inv, "run-timeout", 60);
    r.waitSeconds = intOption(inv, "timeout", 300);
    return reportStarted(inv, deployEndpoint(inv.workspace(), r));
}

int start(Invocation& inv) {
    return reportStarted(
        inv, startEndpoint(inv.workspace(), inv.positional(0), intOption(inv, "timeout", 300)));
}

int list(Invocation& inv) {
    Workspace& ws = inv.workspace();
    QList<EndpointRecord> endpoints;
    for (const EndpointRecord& e : ws.store().endpoints().list())
        endpoints << findEndpoint(ws, e.name); // with the state its server really has
    if (inv.flag(QStringLiteral("json"))) {
        Json out = Json::array();
        for (const EndpointRecord& e : endpoints)
            out.push_back(endpointJson(ws, e, false));
        printJson(inv.out, out);
        return 0;
    }
    if (endpoints.isEmpty()) {
        inv.out << "No endpoints; deploy one with 'labbench endpoints deploy NAME --model M'.\n";
        return 0;
    }
    inv.out << QStringLiteral("NAME").leftJustified(20) << QStringLiteral("STATE").leftJustified(15)
            << QStringLiteral("KIND").leftJustified(8) << QStringLiteral("MODELS").leftJustified(24)
            << "URL\n";
    for (const EndpointRecord& e : endpoints)
        inv.out << e.name.leftJustified(20) << toString(e.state).leftJustified(15)
                << e.kind.leftJustified(8) << e.models.join(QLatin1Char(',')).leftJustified(24)
                << endpointUrl(e) << "/score\n";
    return 0;
}

int show(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const EndpointRecord e = findEndpoint(ws, inv.positional(0));
    const Json j = endpointJson(ws, e, true);
    if (inv.flag(QStringLiteral("json"))) {
        printJson(inv.out, j);
        return 0;
    }
    inv.out << "Endpoint " << e.name << " (" << e.kind << ")\n"
            << "  state        " << toString(e.state)
            << (e.reason.isEmpty() ? QString() : QStringLiteral(": ") + e.reason) << '\n'
            << "  models       " << e.models.join(QStringLiteral(", ")) << '\n'
            << "  scoring URI  " << endpointUrl(e) << "/score\n"
            << "  swagger      " << endpointUrl(e) << "/swagger.json\n"
            << "  auth         "
            << (e.auth ? QStringLiteral("key (labbench endpoints keys %1)").arg(e.name)
                       : QStringLiteral("none (this machine only)"))
            << '\n'
            << "  log          " << e.logPath << '\n'
            << "  history\n";
    for (const EndpointStateChange& c : ws.store().endpoints().history(e.name))
        inv.out << "    " << isoTime(c.time) << "  " << toString(c.state).leftJustified(14)
                << c.reason << '\n';
    return 0;
}

int logs(Invocation& inv) {
    inv.out << QString::fromUtf8(endpointLogTail(inv.workspace(), inv.positional(0)));
    return 0;
}

int invoke(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const EndpointRecord e = findEndpoint(ws, inv.positional(0));
    const auto data = inv.value(QStringLiteral("data"));
    const auto file = inv.value(QStringLiteral("file"));
    if (data.has_value() == file.has_value())
        throw UsageError(QStringLiteral("Give the request body with either --data JSON or --file "
                                        "FILE."));
    const QByteArray body = data ? data->toUtf8() : readFileWithLimit(*file);
    const QString key =
        e.auth ? readEndpointKey(EndpointFolder(ws.root(), e.name).keyPath()) : QString();
    const EndpointResponse r = invokeEndpoint(
        e, key, body,
        inv.valueOr(QStringLiteral("content-type"), QStringLiteral("application/json")));
    if (r.status == 0) throw Error(r.error);
    if (r.status != 200) {
        const Json j = Json::parse(r.body.toStdString(), nullptr, false);
        const QString sentence = j.is_object() && j.contains("error") && j["error"].is_string()
                                     ? fromStd(j["error"].get<std::string>())
                                     : QString::fromUtf8(r.body);
        inv.err << "HTTP " << r.status << ": " << sentence << '\n';
        return 1;
    }
    inv.out << QString::fromUtf8(r.body) << '\n';
    return 0;
}

int keys(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const EndpointRecord e = findEndpoint(ws, inv.positional(0));
    const QString path = EndpointFolder(ws.root(), e.name).keyPath();
    QString key;
    if (inv.flag(QStringLiteral("regenerate"))) {
        key = regenerateEndpointKey(path);
        if (endpointServerRunning(ws.root(), e.name)) {
            // The server reads its key when it starts: start it again so the old key stops working.
            stopEndpoint(ws, e.name);
            startEndpoint(ws, e.name);
        }
    } else {
        key = readEndpointKey(path);
        if (key.isEmpty())
            throw Error(QStringLiteral("The endpoint '%1' has no key (it serves this machine "
                                       "without one); make one with --regenerate and deploy it "
                                       "with --auth to require it.")
                            .arg(e.name));
    }
    if (inv.flag(QStringLiteral("json")))
        printJson(inv.out, Json{{"name", toStd(e.name)},
                                {"key", toStd(key)},
                                {"key_file", toStd(path)},
                                {"auth", e.auth}});
    else
        inv.out << key << '\n';
    return 0;
}

int stop(Invocation& inv) {
    const bool wasRunning = stopEndpoint(inv.workspace(), inv.positional(0));
    inv.out << "Endpoint '" << inv.positional(0) << "' is Stopped"
            << (wasRunning ? "" : " (its server was not running)") << '\n';
    return 0;
}

int remove(Invocation& inv) {
    removeEndpoint(inv.workspace(), inv.positional(0));
    inv.out << "Removed endpoint '" << inv.positional(0) << "' and its folder\n";
    return 0;
}

OptionSpec valueOption(const char* name, const char* value, const char* help,
                       bool repeatable = false) {
    return {QString::fromLatin1(name),
            {},
            QString::fromLatin1(value),
            QString::fromLatin1(help),
            repeatable};
}

OptionSpec flagOption(const char* name, const char* help) {
    return {QString::fromLatin1(name), {}, {}, QString::fromLatin1(help)};
}

PositionalSpec nameArgument() {
    return {QStringLiteral("NAME"), QStringLiteral("the endpoint")};
}

CommandSpec command(const char* verb, const char* summary, QList<OptionSpec> options,
                    std::function<int(Invocation&)> run) {
    return {{QStringLiteral("endpoints"), QString::fromLatin1(verb)},
            QString::fromLatin1(summary),
            std::move(options),
            {nameArgument()},
            false,
            std::move(run)};
}

} // namespace

void registerEndpointCommands(CommandLine& cli) {
    const OptionSpec timeout =
        valueOption("timeout", "SECONDS", "how long to wait for Healthy or Failed (default 300)");
    cli.add(command(
        "deploy",
        "Serve registered model versions over HTTP: a model.npz natively, anything else through "
        "score.py's init() and run(raw_data).",
        {valueOption("model", "NAME[:VERSION]",
                     "a model version to serve (the latest without "
                     ":VERSION)",
                     true),
         valueOption("entry", "FILE", "the scoring script (Azure ML's score.py), inside --source"),
         valueOption("source", "DIR", "the folder that holds the scoring script (copied)"),
         valueOption("pip", "PACKAGE", "a pip package the scoring script needs", true),
         valueOption("port", "PORT", "the TCP port (default: a free one)"),
         valueOption("host", "ADDRESS",
                     "the address to listen on (default 127.0.0.1; any other "
                     "requires the key)"),
         valueOption("workers", "N", "score.py worker processes (default 1)"),
         flagOption("auth", "require the key even on 127.0.0.1"),
         valueOption("batch-delay-us", "US",
                     "native models: gather concurrent requests this "
                     "many microseconds into one batch (default 0: off)"),
         valueOption("request-timeout", "SECONDS",
                     "a client must send its request within this "
                     "(default 10)"),
         valueOption("run-timeout", "SECONDS",
                     "score.py: run() must answer within this, or the "
                     "client gets 504 and the worker is restarted "
                     "(default 60)"),
         timeout, jsonOption()},
        deploy));
    cli.add(command("start", "Start a Stopped or Failed endpoint again as it was deployed.",
                    {timeout, jsonOption()}, start));
    cli.add({{QStringLiteral("endpoints"), QStringLiteral("list")},
             QStringLiteral("List the workspace's endpoints and their states."),
             {jsonOption()},
             {},
             false,
             list});
    cli.add(command("show", "Show an endpoint: state and its history, URLs, models.",
                    {jsonOption()}, show));
    cli.add(command("logs", "Print an endpoint's log (its server's notes, run() tracebacks).", {},
                    logs));
    cli.add(command("invoke", "Send one request to an endpoint's /score and print the answer.",
                    {valueOption("data", "JSON", "the request body"),
                     valueOption("file", "FILE", "a file holding the request body"),
                     valueOption("content-type", "TYPE",
                                 "the body's type (default application/json; image/png for a "
                                 "PNG, application/x-idx for IDX images, sent to a native "
                                 "endpoint)")},
                    invoke));
    cli.add(
        command("keys", "Print an endpoint's key, or make a new one.",
                {flagOption("regenerate", "replace the key (a running server restarts to use it)"),
                 jsonOption()},
                keys));
    cli.add(command("stop", "Stop an endpoint's server (it can be started again).", {}, stop));
    cli.add(command("remove", "Stop an endpoint and remove it with its folder.", {}, remove));
}

} // namespace lb::cli
