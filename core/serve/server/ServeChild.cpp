#include "core/serve/server/ServeChild.h"

#include "core/environment/EnvironmentCache.h"
#include "core/estimator/Estimator.h"
#include "core/lifecycle/HelperMain.h"
#include "core/lifecycle/RunHelper.h"
#include "core/lifecycle/Spawn.h"
#include "core/models/ModelRegistry.h"
#include "core/serve/EndpointFolder.h"
#include "core/serve/EndpointKey.h"
#include "core/serve/ServeMonitor.h"
#include "core/serve/server/HttpRoutes.h"
#include "core/serve/server/NativeScorer.h"
#include "core/serve/server/ScoreWorkerPool.h"
#include "core/serve/server/ServeMetrics.h"
#include "core/store/EndpointLimits.h"
#include "core/util/SafeFile.h"
#include "core/workspace/Workspace.h"

#include <QDir>
#include <QFileInfo>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace lb {

namespace {

constexpr const char* kWho = "labbench-serve";
constexpr std::chrono::seconds kInitTimeout{300};

// Thrown for anything that keeps the endpoint from serving: the reason it is Failed.
struct ServeFailure {
    QString reason;
};

QString modelFile(Workspace& ws, const QString& ref) {
    const ModelVersion m = ModelRegistry(ws).get(ModelRef::parse(ref, true));
    return QFileInfo(m.path).isDir() ? m.path + QStringLiteral("/model.npz") : m.path;
}

// AZUREML_MODEL_DIR: the version's folder with one model, model-dir/<name>/<version> with several.
QString azureModelDir(Workspace& ws, const EndpointRecord& e) {
    if (e.models.size() > 1) return EndpointFolder(ws.root(), e.name).modelDir();
    return QFileInfo(ModelRegistry(ws).get(ModelRef::parse(e.models.value(0), true)).path)
        .absolutePath();
}

std::unique_ptr<serve::Scorer> nativeScorer(Workspace& ws, const EndpointRecord& e) {
    const QString path = modelFile(ws, e.models.value(0));
    try {
        return std::make_unique<serve::NativeScorer>(path.toStdString(), e.batchDelayUs);
    } catch (const std::exception& error) {
        throw ServeFailure{QStringLiteral("The model %1 does not load: %2")
                               .arg(e.models.value(0), QString::fromUtf8(error.what()))};
    }
}

std::unique_ptr<serve::Scorer> scoreScorer(Workspace& ws, const EndpointRecord& e,
                                           const EndpointLimits& limits, int logFd) {
    const EndpointFolder folder(ws.root(), e.name);
    const QString helperDir =
        QDir::cleanPath(executableDir() + QStringLiteral("/../share/labbench/python"));
    serve::WorkerLaunch launch;
    launch.workerScript = helperDir + QStringLiteral("/labbench_serve_worker.py");
    launch.entryScript = folder.sourceDir() + QLatin1Char('/') + e.entry;
    launch.workingDir = folder.sourceDir();
    launch.logFd = logFd;
    launch.environment = currentEnvironment();
    const QString systemPython = QFileInfo::exists(QStringLiteral("/usr/bin/python3"))
                                     ? QStringLiteral("/usr/bin/python3")
                                     : QStringLiteral("python3");
    launch.python = systemPython;
    if (!e.pipPackages.isEmpty()) {
        Estimator estimator;
        estimator.pipPackages = e.pipPackages;
        try {
            EnvironmentCache cache(ws.environmentsDir());
            const ResolvedEnvironment env = cache.prepare(
                estimator, [](const QString& line) { helperNote(kWho, line); }, systemPython);
            launch.python = env.python;
            QString path = environmentValue(launch.environment, QStringLiteral("PATH"));
            for (const QString& dir : env.pathPrepend)
                path = dir + QLatin1Char(':') + path;
            setEnvironmentVariable(launch.environment, QStringLiteral("PATH"), path);
            for (auto it = env.variables.begin(); it != env.variables.end(); ++it)
                setEnvironmentVariable(launch.environment, it.key(), it.value());
        } catch (const std::exception& error) {
            throw ServeFailure{
                QStringLiteral("The environment with --pip %1 could not be built: %2")
                    .arg(e.pipPackages.join(QLatin1Char(' ')), QString::fromUtf8(error.what()))};
        }
    }
    const QString pythonPath = environmentValue(launch.environment, QStringLiteral("PYTHONPATH"));
    setEnvironmentVariable(launch.environment, QStringLiteral("PYTHONPATH"),
                           pythonPath.isEmpty() ? helperDir
                                                : helperDir + QLatin1Char(':') + pythonPath);
    setEnvironmentVariable(launch.environment, QStringLiteral("AZUREML_MODEL_DIR"),
                           azureModelDir(ws, e));
    setEnvironmentVariable(launch.environment, QStringLiteral("PYTHONUNBUFFERED"),
                           QStringLiteral("1"));
    auto pool = std::make_unique<serve::ScoreWorkerPool>(
        launch, e.workers, std::chrono::seconds(limits.runTimeoutS), kInitTimeout);
    try {
        pool->start();
    } catch (const serve::WorkerInitError& error) {
        throw ServeFailure{QString::fromUtf8(error.what())};
    }
    return pool;
}

// SIGTERM and SIGINT stop the server. Blocking them for a sigwait() thread is not enough: the
// BLAS library starts its threads before main() with nothing blocked, and any of them would take
// the signal and die. So a handler (which may run on any thread) writes a byte to a pipe, and one
// thread reads it and stops the server.
int gStopPipe[2] = {-1, -1};

void onStopSignal(int) {
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(gStopPipe[1], &byte, 1);
}

bool installStopSignals() {
    ::signal(SIGPIPE, SIG_IGN); // a worker or client gone mid-write is an error return, not death
    if (::pipe2(gStopPipe, O_CLOEXEC) != 0) return false;
    struct sigaction sa {};
    sa.sa_handler = onStopSignal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    return ::sigaction(SIGTERM, &sa, nullptr) == 0 && ::sigaction(SIGINT, &sa, nullptr) == 0;
}

void waitForStopSignal() {
    char byte = 0;
    while (::read(gStopPipe[0], &byte, 1) < 0 && errno == EINTR) {
    }
}

int fail(Workspace& ws, const QString& name, const QString& reason) {
    helperNote(kWho, QStringLiteral("failed: ") + reason);
    ws.store().endpoints().transition(name, EndpointState::Failed, reason);
    return kServeExitFailed;
}

} // namespace

int serveEndpoint(const HelperArgs& args) {
    if (!installStopSignals()) {
        helperNote(kWho, QStringLiteral("cannot install the stop signal handler"));
        return kServeExitFailed;
    }
    Workspace ws = Workspace::open(args.workspaceRoot);
    const auto found = ws.store().endpoints().find(args.id);
    if (!found) {
        helperNote(kWho, QStringLiteral("there is no endpoint '%1'").arg(args.id));
        return kServeExitFailed;
    }
    const EndpointRecord e = *found;
    const EndpointFolder folder(ws.root(), e.name);
    const EndpointLimits limits{e.requestTimeoutS, e.runTimeoutS}; // the store's, since migration 7
    helperNote(kWho, QStringLiteral("starting endpoint '%1' (%2, %3) on %4:%5")
                         .arg(e.name, e.kind, e.models.join(QLatin1Char(' ')), e.host)
                         .arg(e.port));

    httplib::Server server;
    // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, with which a second server of
    // this user would share a port in use instead of being told it is taken.
    int listening = -1;
    server.set_socket_options([&listening](socket_t sock) {
        const int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        // cpp-httplib writes an answer's headers and its body in two send()s. With Nagle on, the
        // body waits for the client's delayed ACK of the headers: 40 ms for every request on
        // Linux (bench/serve measured 36 requests/s on one connection). Accepted sockets inherit
        // TCP_NODELAY from the listening one.
        ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
        listening = sock;
    });
    if (!server.bind_to_port(e.host.toStdString(), e.port))
        return fail(ws, e.name,
                    QStringLiteral("Port %1 on %2 is already in use (or cannot be bound there); "
                                   "deploy again with another --port.")
                        .arg(e.port)
                        .arg(e.host));
    // Debian's cpp-httplib listens with a backlog of 5: a burst of clients connecting at once
    // would overflow it and some would be reset. Listening again sets the kernel's limit instead.
    if (listening >= 0) ::listen(listening, SOMAXCONN);
    std::string key;
    std::unique_ptr<serve::Scorer> scorer;
    const int logFd = openForAppend(folder.logPath());
    try {
        if (e.auth) {
            key = readEndpointKey(folder.keyPath()).toStdString();
            if (key.empty())
                throw ServeFailure{QStringLiteral("The endpoint needs a key and has none; make one "
                                                  "with 'labbench endpoints keys %1 --regenerate'.")
                                       .arg(e.name)};
        }
        scorer = e.kind == QLatin1String("native") ? nativeScorer(ws, e)
                                                   : scoreScorer(ws, e, limits, logFd);
    } catch (const ServeFailure& f) {
        return fail(ws, e.name, f.reason);
    } catch (const std::exception& error) {
        return fail(ws, e.name, QString::fromUtf8(error.what()));
    }

    serve::ServeMetrics metrics;
    serve::RouteContext context;
    context.endpointName = e.name.toStdString();
    context.kind = e.kind.toStdString();
    context.key = key;
    context.scorer = scorer.get();
    context.metrics = &metrics;
    context.requestTimeoutS = limits.requestTimeoutS;
    const std::string health = nlohmann::json{
        {"name", context.endpointName},
        {"state", "Healthy"},
        {"kind", context.kind}}.dump();
    context.healthJson = [health] { return health; };
    serve::installRoutes(server, context);

    std::thread([&server] {
        waitForStopSignal();
        server.stop();
    }).detach();

    ws.store().endpoints().transition(e.name, EndpointState::Healthy);
    helperNote(kWho, QStringLiteral("serving on %1:%2").arg(e.host).arg(e.port));
    server.listen_after_bind();
    helperNote(kWho, QStringLiteral("server stopped"));
    scorer.reset(); // stops the workers before the process ends
    if (logFd >= 0) ::close(logFd);
    return 0;
}

} // namespace lb
