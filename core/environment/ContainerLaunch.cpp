#include "core/environment/ContainerLaunch.h"

#include "core/environment/EnvironmentSpec.h"
#include "core/util/Error.h"

#include <QFileInfo>
#include <unistd.h>

namespace lb {

QString findContainerEngine(const QString& searchPath) {
    for (const char* name : {"docker", "podman"}) {
        const QString found = findProgram(QString::fromLatin1(name), searchPath);
        if (!found.isEmpty()) return found;
    }
    throw Error(
        QStringLiteral("custom_docker_image needs a container engine, and no container engine "
                       "(docker or podman) found on PATH; install one, or drop --image to run "
                       "in a Python environment on this machine."));
}

QStringList containerCommand(const ContainerLaunch& launch, const QString& workingDirectory,
                             const QStringList& mounts, const QStringList& passEnvironment,
                             const QStringList& command) {
    const bool podman = QFileInfo(launch.engine).fileName().startsWith(QLatin1String("podman"));
    QStringList argv{launch.engine, QStringLiteral("run"), QStringLiteral("--rm"),
                     QStringLiteral("--init")};
    if (!launch.name.isEmpty()) argv << QStringLiteral("--name") << launch.name;
    // Files the script writes into the run folder stay owned by the user, not root.
    argv << QStringLiteral("--user") << QStringLiteral("%1:%2").arg(::getuid()).arg(::getgid());
    for (const QString& m : mounts)
        argv << QStringLiteral("-v") << m + QLatin1Char(':') + m;
    argv << QStringLiteral("-w") << workingDirectory;
    if (launch.useGpu) {
        if (podman) // podman reaches GPUs through the NVIDIA Container Toolkit's CDI spec
            argv << QStringLiteral("--device") << QStringLiteral("nvidia.com/gpu=all");
        else
            argv << QStringLiteral("--gpus") << QStringLiteral("all");
    }
    for (const QString& name : passEnvironment)
        argv << QStringLiteral("-e") << name;
    argv << launch.image;
    argv += command;
    return argv;
}

} // namespace lb
