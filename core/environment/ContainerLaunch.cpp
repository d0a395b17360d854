#include "core/environment/ContainerLaunch.h"

#include "core/environment/EnvironmentSpec.h"
#include "core/util/Error.h"

#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QProcess>
#include <QProcessEnvironment>

#include <unistd.h>

namespace lb {

namespace {

constexpr int kInfoTimeoutMs = 15000;

bool isPodman(const QString& engine) {
    return QFileInfo(engine).fileName().startsWith(QLatin1String("podman"));
}

struct Probe {
    bool answered = false;
    QString why; // the engine's last line when it did not answer
};

// `ENGINE info`: a daemonless podman answers by itself; docker answers only when dockerd runs.
Probe probe(const QString& engine, const QString& searchPath) {
    QProcess p;
    if (!searchPath.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PATH"), searchPath);
        p.setProcessEnvironment(env);
    }
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(engine, {QStringLiteral("info")});
    Probe r;
    if (!p.waitForStarted(kInfoTimeoutMs)) {
        r.why = QStringLiteral("it could not be started");
        return r;
    }
    p.closeWriteChannel();
    if (!p.waitForFinished(kInfoTimeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        r.why = QStringLiteral("'%1 info' gave no answer in %2 s")
                    .arg(QFileInfo(engine).fileName())
                    .arg(kInfoTimeoutMs / 1000);
        return r;
    }
    r.answered = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (!r.answered) {
        const QStringList lines =
            QString::fromUtf8(p.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        r.why =
            lines.isEmpty() ? QStringLiteral("exit %1").arg(p.exitCode()) : lines.last().trimmed();
    }
    return r;
}

} // namespace

QString findContainerEngine(const QString& searchPath) {
    // A run probes once; a process that launches many (the GUI) asks the engines once.
    static QMutex mutex;
    static QHash<QString, QString> answered;
    QMutexLocker locker(&mutex);
    if (const auto it = answered.constFind(searchPath); it != answered.constEnd())
        return it.value();
    QStringList found;
    QStringList problems;
    for (const char* name : {"podman", "docker"}) {
        const QString path = findProgram(QString::fromLatin1(name), searchPath);
        if (path.isEmpty()) continue;
        found.append(QString::fromLatin1(name));
        const Probe p = probe(path, searchPath);
        if (p.answered) {
            answered.insert(searchPath, path);
            return path;
        }
        problems.append(QStringLiteral("%1 (%2)").arg(QString::fromLatin1(name), p.why));
    }
    if (found.isEmpty())
        throw Error(QStringLiteral(
            "custom_docker_image needs a container engine, and no container engine "
            "(docker or podman) found on PATH; install one (apt-get install podman), "
            "or drop --image to run in a Python environment on this machine."));
    if (found == QStringList{QStringLiteral("docker")})
        throw Error(
            QStringLiteral("custom_docker_image needs a container engine: docker is installed "
                           "but its daemon does not answer (%1); install podman (apt-get "
                           "install podman) or start dockerd.")
                .arg(problems.join(QStringLiteral("; "))));
    throw Error(
        QStringLiteral("custom_docker_image needs a container engine, and none answers: %1; "
                       "check '%2 info', install podman (apt-get install podman) or start "
                       "dockerd.")
            .arg(problems.join(QStringLiteral("; ")), found.first()));
}

bool cdiConfigured(const QStringList& places) {
    const QStringList where = places.isEmpty() ? QStringList{QStringLiteral("/etc/cdi/nvidia.yaml"),
                                                             QStringLiteral("/var/run/cdi")}
                                               : places;
    for (const QString& p : where)
        if (QFileInfo::exists(p)) return true;
    return false;
}

QString containerName(const QString& runId) {
    // Engines take [a-zA-Z0-9][a-zA-Z0-9_.-]*; "labbench-" makes the first character valid.
    QString name = QStringLiteral("labbench-");
    for (const QChar c : runId) {
        const bool ok = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                        (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
                        (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_') ||
                        c == QLatin1Char('.') || c == QLatin1Char('-');
        name.append(ok ? c : QLatin1Char('_'));
    }
    return name;
}

QStringList containerCommand(const ContainerLaunch& launch, const QString& workingDirectory,
                             const QStringList& mounts, const QStringList& passEnvironment,
                             const QStringList& command) {
    const bool podman = isPodman(launch.engine);
    QStringList argv{launch.engine, QStringLiteral("run"), QStringLiteral("--rm"),
                     QStringLiteral("--init")};
    if (!launch.name.isEmpty()) argv << QStringLiteral("--name") << launch.name;
    // Files the script writes into the run folder stay owned by the user, not root.
    argv << QStringLiteral("--user") << QStringLiteral("%1:%2").arg(::getuid()).arg(::getgid());
    for (const QString& m : mounts + launch.mounts)
        argv << QStringLiteral("-v") << m + QLatin1Char(':') + m;
    for (const QString& m : launch.readOnlyMounts)
        argv << QStringLiteral("-v") << m + QLatin1Char(':') + m + QStringLiteral(":ro");
    argv << QStringLiteral("-w") << workingDirectory;
    if (launch.useGpu) {
        if (launch.cdi) // the NVIDIA Container Toolkit's CDI spec: both engines read it
            argv << QStringLiteral("--device") << QStringLiteral("nvidia.com/gpu=all");
        else if (!podman)
            argv << QStringLiteral("--gpus") << QStringLiteral("all");
        else
            throw Error(QStringLiteral(
                "podman reaches GPUs through a CDI spec, and none is set up (no "
                "/etc/cdi/nvidia.yaml); "
                "generate it with 'nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml' (NVIDIA "
                "Container Toolkit), or run without GPUs."));
    }
    for (const QString& name : passEnvironment)
        argv << QStringLiteral("-e") << name;
    argv << launch.image;
    argv += command;
    return argv;
}

QStringList containerRemoveCommand(const QString& engine, const QString& name) {
    QStringList argv{engine, QStringLiteral("rm"), QStringLiteral("-f")};
    if (isPodman(engine)) argv << QStringLiteral("-t") << QStringLiteral("0");
    argv << name;
    return argv;
}

bool removeContainer(const QString& engine, const QString& name, int timeoutMs) {
    if (engine.isEmpty() || name.isEmpty()) return false;
    const QStringList argv = containerRemoveCommand(engine, name);
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(argv.first(), argv.mid(1));
    if (!p.waitForStarted(timeoutMs)) return false;
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        return false;
    }
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace lb
