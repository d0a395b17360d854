#include "core/serve/EndpointDeploy.h"

#include "core/environment/EnvironmentSpec.h"
#include "core/estimator/Estimator.h"
#include "core/lifecycle/RunLock.h"
#include "core/lifecycle/Spawn.h"
#include "core/models/ModelRegistry.h"
#include "core/runs/Snapshot.h"
#include "core/serve/EndpointControl.h"
#include "core/serve/EndpointFolder.h"
#include "core/serve/EndpointKey.h"
#include "core/store/EndpointLimits.h"
#include "core/util/Error.h"
#include "core/workspace/Workspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lb {

namespace {

constexpr int kMaxWorkers = 64;
constexpr int kMaxBatchDelayUs = 1000000;

// A socket address for host:port; false for a host that is not an IP address.
bool socketAddress(const QString& host, int port, sockaddr_storage* out, socklen_t* length) {
    const QByteArray h =
        host == QLatin1String("localhost") ? QByteArray("127.0.0.1") : host.toLatin1();
    *out = {};
    auto* v4 = reinterpret_cast<sockaddr_in*>(out);
    if (::inet_pton(AF_INET, h.constData(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(static_cast<uint16_t>(port));
        *length = sizeof(sockaddr_in);
        return true;
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(out);
    if (::inet_pton(AF_INET6, h.constData(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(static_cast<uint16_t>(port));
        *length = sizeof(sockaddr_in6);
        return true;
    }
    return false;
}

// Binds a test socket; returns the port bound (the kernel's pick for port 0), or -1.
int testBind(const QString& host, int port) {
    sockaddr_storage address;
    socklen_t length = 0;
    if (!socketAddress(host, port, &address, &length))
        throw UsageError(QStringLiteral("--host '%1' is not an IP address; give one such as "
                                        "127.0.0.1 (this machine only) or 0.0.0.0 (every network).")
                             .arg(host));
    const int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    int bound = -1;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0) {
        sockaddr_storage got{};
        socklen_t gotLength = sizeof(got);
        if (::getsockname(fd, reinterpret_cast<sockaddr*>(&got), &gotLength) == 0)
            bound =
                ntohs(got.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&got)->sin_port
                                               : reinterpret_cast<sockaddr_in6*>(&got)->sin6_port);
    }
    ::close(fd);
    return bound;
}

QString resolveModel(Workspace& ws, const QString& text) {
    const ModelVersion m = ModelRegistry(ws).get(ModelRef::parse(text, false));
    return m.name + QLatin1Char(':') + QString::number(m.version);
}

// The native kind serves one model.npz.
void checkNativeModel(Workspace& ws, const QStringList& models) {
    if (models.size() != 1)
        throw UsageError(QStringLiteral("A native endpoint serves one model.npz; give one --model, "
                                        "or --entry score.py --source DIR to serve several."));
    const ModelVersion m = ModelRegistry(ws).get(ModelRef::parse(models.first(), true));
    const QFileInfo file(m.path);
    const bool npz = file.isFile() ? m.path.endsWith(QLatin1String(".npz"))
                                   : QFileInfo(m.path + QStringLiteral("/model.npz")).isFile();
    if (!npz)
        throw UsageError(
            QStringLiteral("The model %1 is not a model.npz that labbench-train wrote; "
                           "serve it with --entry score.py --source DIR.")
                .arg(models.first()));
}

EndpointRecord recordFrom(Workspace& ws, const DeployRequest& r) {
    validateEndpointName(r.name);
    if (r.models.isEmpty())
        throw UsageError(QStringLiteral("Name the model to serve with --model NAME[:VERSION]."));
    EndpointRecord e;
    e.name = r.name;
    for (const QString& m : r.models)
        e.models << resolveModel(ws, m);
    e.kind = r.entry.isEmpty() ? QStringLiteral("native") : QStringLiteral("score");
    if (e.kind == QLatin1String("native")) {
        if (!r.source.isEmpty() || !r.pipPackages.isEmpty())
            throw UsageError(QStringLiteral("--source and --pip go with --entry score.py; a "
                                            "native endpoint needs neither."));
        checkNativeModel(ws, e.models);
    } else {
        if (r.source.isEmpty())
            throw UsageError(QStringLiteral("--entry needs --source DIR, the folder that holds %1.")
                                 .arg(r.entry));
        if (QDir::isAbsolutePath(r.entry) ||
            r.entry.split(QLatin1Char('/')).contains(QStringLiteral("..")))
            throw UsageError(QStringLiteral("--entry '%1' must be a path inside --source, like "
                                            "score.py.")
                                 .arg(r.entry));
        const QString source = QFileInfo(r.source).absoluteFilePath();
        if (!QFileInfo(source + QLatin1Char('/') + r.entry).isFile())
            throw UsageError(QStringLiteral("There is no %1 in %2; give the folder that holds the "
                                            "entry script as --source.")
                                 .arg(r.entry, source));
        e.entry = r.entry;
        e.sourceDir = source;
        if (!r.pipPackages.isEmpty()) {
            Estimator estimator; // the same checks a run's --pip gets, before anything starts
            estimator.pipPackages = r.pipPackages;
            (void)EnvironmentSpec::fromEstimator(estimator, QStringLiteral("python3"));
        }
    }
    if (r.port < 0 || r.port > 65535)
        throw UsageError(QStringLiteral("--port %1 is not a TCP port (1 to 65535).").arg(r.port));
    if (r.workers < 1 || r.workers > kMaxWorkers)
        throw UsageError(
            QStringLiteral("--workers must be 1 to %1, not %2.").arg(kMaxWorkers).arg(r.workers));
    if (r.batchDelayUs < 0 || r.batchDelayUs > kMaxBatchDelayUs)
        throw UsageError(QStringLiteral("--batch-delay-us must be 0 (off) to %1, not %2.")
                             .arg(kMaxBatchDelayUs)
                             .arg(r.batchDelayUs));
    if (r.requestTimeoutS < 1 || r.requestTimeoutS > kMaxEndpointTimeoutS)
        throw UsageError(QStringLiteral("--request-timeout must be 1 to %1 seconds, not %2.")
                             .arg(kMaxEndpointTimeoutS)
                             .arg(r.requestTimeoutS));
    if (r.runTimeoutS < 1 || r.runTimeoutS > kMaxEndpointTimeoutS)
        throw UsageError(QStringLiteral("--run-timeout must be 1 to %1 seconds, not %2.")
                             .arg(kMaxEndpointTimeoutS)
                             .arg(r.runTimeoutS));
    e.host = r.host.isEmpty() ? QStringLiteral("127.0.0.1") : r.host;
    e.port = r.port == 0 ? pickFreePort(e.host) : r.port;
    if (!portIsFree(e.host, e.port))
        throw Error(QStringLiteral("Port %1 on %2 is already in use; pick another with --port, or "
                                   "stop what listens there.")
                        .arg(e.port)
                        .arg(e.host));
    e.workers = r.workers;
    e.auth = r.auth || !isLoopbackHost(e.host); // off this machine, never without a key
    e.pipPackages = r.pipPackages;
    e.batchDelayUs = r.batchDelayUs;
    e.requestTimeoutS = r.requestTimeoutS;
    e.runTimeoutS = r.runTimeoutS;
    e.logPath = EndpointFolder(ws.root(), e.name).logPath();
    return e;
}

// AZUREML_MODEL_DIR for several models: model-dir/<name>/<version> links to the registry.
void linkModels(Workspace& ws, const EndpointRecord& e, const EndpointFolder& folder) {
    QDir(folder.modelDir()).removeRecursively();
    if (e.models.size() < 2) return;
    for (const QString& text : e.models) {
        const ModelVersion m = ModelRegistry(ws).get(ModelRef::parse(text, true));
        const QString parent = folder.modelDir() + QLatin1Char('/') + m.name;
        QDir().mkpath(parent);
        const QString versionDir = QFileInfo(m.path).absolutePath();
        if (!QFile::link(versionDir, parent + QLatin1Char('/') + QString::number(m.version)))
            throw Error(QStringLiteral("Cannot link %1 into %2; check the permissions of the "
                                       "endpoint's folder.")
                            .arg(versionDir, parent));
    }
}

EndpointRecord waitForServer(Workspace& ws, const QString& name, int waitSeconds) {
    const qint64 deadline = QDateTime::currentMSecsSinceEpoch() + qint64(waitSeconds) * 1000;
    for (;;) {
        const EndpointRecord e = findEndpoint(ws, name); // reconciles a server that died
        if (e.state != EndpointState::Transitioning ||
            QDateTime::currentMSecsSinceEpoch() >= deadline)
            return e;
        QThread::msleep(100);
    }
}

// How long a launch waits for the endpoint's lock while something else holds it: a state check
// (RunLock::isHeld, findEndpoint's reconcile) holds it for an instant; a server holds it for good.
constexpr int kLaunchLockWaitMs = 2000;

// Takes the endpoint's lock for a deploy or start. It is taken before the endpoint is recorded
// Transitioning and handed to the server, so from that record on somebody always holds it: a
// state check in between sees a server starting, not one that is gone (#18: it marked a
// still-starting endpoint Failed, for good, since Failed never moves to Healthy).
RunLock takeLaunchLock(const QString& name, const QString& lockPath) {
    const qint64 deadline = QDateTime::currentMSecsSinceEpoch() + kLaunchLockWaitMs;
    for (;;) {
        if (auto lock = RunLock::tryAcquire(lockPath)) return std::move(*lock);
        if (QDateTime::currentMSecsSinceEpoch() >= deadline)
            throw Error(QStringLiteral("The server of endpoint '%1' is still running; stop it "
                                       "first with 'labbench endpoints stop %1'.")
                            .arg(name));
        QThread::msleep(20);
    }
}

// Starts the server with `lock` (taken by takeLaunchLock before the Transitioning record) and
// waits for it.
EndpointRecord launch(Workspace& ws, const QString& name, RunLock lock, int waitSeconds) {
    const EndpointFolder folder(ws.root(), name);
    try {
        spawnRunHelper(
            QStringLiteral("labbench-serve"),
            {QStringLiteral("--workspace"), ws.root(), QStringLiteral("--endpoint"), name},
            lock.fd(), folder.logPath(), true);
    } catch (const Error& e) {
        ws.store().endpoints().transition(name, EndpointState::Failed, e.message());
        throw;
    }
    lock.release(); // the server holds its own descriptor of the lock now
    return waitForServer(ws, name, waitSeconds);
}

} // namespace

bool isLoopbackHost(const QString& host) {
    if (host == QLatin1String("localhost") || host == QLatin1String("::1")) return true;
    in_addr v4{};
    return ::inet_pton(AF_INET, host.toLatin1().constData(), &v4) == 1 &&
           (ntohl(v4.s_addr) >> 24) == 127; // 127.0.0.0/8
}

bool portIsFree(const QString& host, int port) {
    return testBind(host, port) == port;
}

int pickFreePort(const QString& host) {
    const int port = testBind(host, 0);
    if (port <= 0)
        throw Error(QStringLiteral("No free port on %1; give one with --port.").arg(host));
    return port;
}

EndpointRecord deployEndpoint(Workspace& ws, const DeployRequest& request) {
    validateEndpointName(request.name);
    const auto existing = ws.store().endpoints().find(request.name);
    if (existing && endpointServerRunning(ws.root(), request.name))
        throw Error(QStringLiteral("The endpoint '%1' is %2; stop it first with 'labbench "
                                   "endpoints stop %1', or deploy under another name.")
                        .arg(request.name, toString(existing->state)));
    const EndpointRecord e = recordFrom(ws, request);
    const EndpointFolder folder(ws.root(), e.name);
    if (!QDir().mkpath(folder.dir))
        throw Error(QStringLiteral("Cannot create %1; check the permissions of the workspace.")
                        .arg(folder.dir));
    // Held from here, before the source copy and the Transitioning record, until the server
    // has it: a second deploy of the same name waits or says the server runs.
    RunLock lock = takeLaunchLock(e.name, folder.lockPath());
    if (e.kind == QLatin1String("score")) {
        QDir(folder.sourceDir()).removeRecursively();
        SnapshotOptions options;
        options.excludedFolders << ws.root();
        takeSnapshot(e.sourceDir, folder.sourceDir(), options);
    }
    linkModels(ws, e, folder);
    // The folder's record of the limits too, as before the store held them.
    writeEndpointLimits(folder.limitsPath(), {e.requestTimeoutS, e.runTimeoutS});
    if (e.auth) ensureEndpointKey(folder.keyPath());
    if (existing) {
        ws.store().endpoints().updateConfig(e);
        ws.store().endpoints().transition(e.name, EndpointState::Transitioning,
                                          QStringLiteral("Deployed again."));
    } else if (!ws.store().endpoints().add(e)) {
        throw Error(QStringLiteral("Another deploy of '%1' came first; see 'labbench endpoints "
                                   "show %1'.")
                        .arg(e.name));
    }
    return launch(ws, e.name, std::move(lock), request.waitSeconds);
}

EndpointRecord startEndpoint(Workspace& ws, const QString& name, int waitSeconds) {
    const EndpointRecord e = findEndpoint(ws, name);
    if (endpointServerRunning(ws.root(), name))
        throw Error(QStringLiteral("The endpoint '%1' is already running (%2).")
                        .arg(name, toString(e.state)));
    if (!portIsFree(e.host, e.port))
        throw Error(QStringLiteral("Port %1 on %2 is already in use; stop what listens there, or "
                                   "deploy the endpoint again with another --port.")
                        .arg(e.port)
                        .arg(e.host));
    const EndpointFolder folder(ws.root(), name);
    if (e.auth) ensureEndpointKey(folder.keyPath());
    RunLock lock = takeLaunchLock(name, folder.lockPath());
    ws.store().endpoints().transition(name, EndpointState::Transitioning,
                                      QStringLiteral("Started again."));
    return launch(ws, name, std::move(lock), waitSeconds);
}

} // namespace lb
