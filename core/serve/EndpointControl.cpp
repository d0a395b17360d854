#include "core/serve/EndpointControl.h"

#include "core/lifecycle/RunLock.h"
#include "core/serve/EndpointFolder.h"
#include "core/util/Error.h"
#include "core/util/SafeFile.h"
#include "core/workspace/Workspace.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <algorithm>
#include <csignal>
#include <sys/stat.h>

namespace lb {

namespace {

// True when `pid` is a labbench-serve process (the recorded pid may have been reused since).
bool isServeProcess(qint64 pid) {
    if (pid <= 0) return false;
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (!cmdline.open(QIODevice::ReadOnly)) return false;
    const QByteArray argv0 = cmdline.readAll().split('\0').value(0);
    return argv0.endsWith("labbench-serve");
}

bool waitForLockFree(const QString& lockPath, int ms) {
    const qint64 deadline = QDateTime::currentMSecsSinceEpoch() + ms;
    while (RunLock::isHeld(lockPath)) {
        if (QDateTime::currentMSecsSinceEpoch() >= deadline) return false;
        QThread::msleep(50);
    }
    return true;
}

} // namespace

bool endpointServerRunning(const QString& workspaceRoot, const QString& name) {
    return RunLock::isHeld(EndpointFolder(workspaceRoot, name).lockPath());
}

EndpointRecord findEndpoint(Workspace& ws, const QString& name) {
    auto e = ws.store().endpoints().find(name);
    if (!e)
        throw NotFoundError(QStringLiteral("There is no endpoint '%1' in this workspace; "
                                           "'labbench endpoints list' shows them.")
                                .arg(name));
    if (!isDown(e->state)) {
        // Checked by taking the lock: a server holds it while it runs, and a deploy or start
        // takes it before it records Transitioning and hands it to its server, so a lock taken
        // here means nobody looks after the endpoint, and nobody can begin to until it is let go.
        // The state is read again under it (a server that just ended recorded its own).
        const EndpointFolder folder(ws.root(), name);
        const bool noFolder = !QFileInfo(folder.dir).isDir();
        const auto probe = noFolder ? std::nullopt : RunLock::tryAcquire(folder.lockPath());
        if (noFolder || probe) {
            e = ws.store().endpoints().find(name);
            if (e && !isDown(e->state)) {
                ws.store().endpoints().transition(
                    name, EndpointState::Failed,
                    QStringLiteral("Its labbench-serve process is gone (killed, or the machine "
                                   "restarted); start it again with 'labbench endpoints start "
                                   "%1'; its log says more.")
                        .arg(name));
                e = ws.store().endpoints().find(name);
            }
        }
        if (!e)
            throw NotFoundError(QStringLiteral("There is no endpoint '%1' in this workspace; "
                                               "'labbench endpoints list' shows them.")
                                    .arg(name));
    }
    return *e;
}

bool stopEndpoint(Workspace& ws, const QString& name, int graceMs) {
    const EndpointRecord e = findEndpoint(ws, name);
    const EndpointFolder folder(ws.root(), name);
    bool wasRunning = endpointServerRunning(ws.root(), name);
    if (wasRunning && isServeProcess(e.pid)) {
        ::kill(static_cast<pid_t>(e.pid), SIGTERM); // the server stops its workers and says Stopped
        if (!waitForLockFree(folder.lockPath(), graceMs)) {
            // Its own session and process group: everything it started goes with it.
            ::kill(-static_cast<pid_t>(e.pid), SIGKILL);
            ::kill(static_cast<pid_t>(e.pid), SIGKILL);
            waitForLockFree(folder.lockPath(), 5000);
        }
    } else if (wasRunning) {
        // A deploy or start holds the lock from before its Transitioning record until its
        // server has recorded its pid.
        throw Error(QStringLiteral("The endpoint '%1' is held by a process other than the server "
                                   "it recorded (pid %2): a deploy or start of it is under way "
                                   "(stop it once that ends), or a stray labbench-serve holds "
                                   "endpoints/%1/serve.lock.")
                        .arg(name)
                        .arg(e.pid));
    }
    auto now = ws.store().endpoints().find(name);
    if (now && now->state != EndpointState::Stopped)
        ws.store().endpoints().transition(name, EndpointState::Stopped, QStringLiteral("Stopped."));
    ws.store().endpoints().setPid(name, 0);
    return wasRunning;
}

void removeEndpoint(Workspace& ws, const QString& name) {
    validateEndpointName(name); // the name becomes a folder to remove: never one outside
    stopEndpoint(ws, name);
    ws.store().endpoints().remove(name);
    QDir(EndpointFolder(ws.root(), name).dir).removeRecursively();
}

QByteArray endpointLogTail(Workspace& ws, const QString& name, qint64 maxBytes) {
    findEndpoint(ws, name);
    const QString path = EndpointFolder(ws.root(), name).logPath();
    const auto file = SafeFile::openIfRegular(path, FollowLinks::No);
    if (!file) return {};
    struct stat st {};
    if (::fstat(file->fd(), &st) != 0) return {};
    const qint64 from = std::max<qint64>(0, st.st_size - maxBytes);
    return file->readAt(from, st.st_size - from);
}

QString endpointUrl(const EndpointRecord& e) {
    const QString host =
        e.host.contains(QLatin1Char(':')) ? QLatin1Char('[') + e.host + QLatin1Char(']') : e.host;
    return QStringLiteral("http://%1:%2").arg(host).arg(e.port);
}

} // namespace lb
