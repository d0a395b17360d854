#pragma once
// Running a script inside a container image (custom_docker_image) with podman or docker: finding
// the engine that answers, building its command line, and removing a run's container by name.
// The run folder is mounted at the same path inside, so every LABBENCH_* path the script is given
// means the same file in there.

#include <QString>
#include <QStringList>

namespace lb {

struct ContainerLaunch {
    QString engine; // absolute path of podman or docker
    QString image;
    bool useGpu = false;
    QString name;       // container name (containerName(run id)), empty for none
    bool cdi = false;   // an NVIDIA CDI spec is set up: GPUs as --device nvidia.com/gpu=all
    QStringList mounts; // more host folders mounted read-write at their own path (datastores)
    QStringList readOnlyMounts; // host folders mounted read-only at their own path (a cached venv)
};

// The engine to use: the first of podman, docker (on `searchPath`, empty = PATH) whose `info`
// answers within a few seconds; podman first, as it needs no daemon. The answer is remembered for
// the life of the process (per search path). Throws lb::Error naming what was found and how to
// fix it: "no container engine (docker or podman) found …" when neither is installed, "docker is
// installed but its daemon does not answer; install podman …" when none answers.
QString findContainerEngine(const QString& searchPath = {});

// Whether GPUs can be passed through the Container Device Interface: the NVIDIA Container
// Toolkit's spec exists in one of `places` (default /etc/cdi/nvidia.yaml, /var/run/cdi).
bool cdiConfigured(const QStringList& places = {});

// "labbench-<run id>", with every character an engine refuses in a name replaced by '_'.
QString containerName(const QString& runId);

// The words that start `command` (the interpreter and its arguments) in the container:
//   ENGINE run --rm --init [--name N] --user UID:GID -v DIR:DIR … -v RO:RO:ro … -w WORKDIR
//          [--device nvidia.com/gpu=all | --gpus all] -e NAME … IMAGE COMMAND…
// `mounts` (and launch.mounts) are host folders mounted read-write at the same path;
// `passEnvironment` are names of variables passed from the launching process's environment
// (-e NAME takes the value from there, so values never appear on a command line). Throws
// lb::Error for GPUs with podman where no CDI spec is set up.
QStringList containerCommand(const ContainerLaunch& launch, const QString& workingDirectory,
                             const QStringList& mounts, const QStringList& passEnvironment,
                             const QStringList& command);

// `ENGINE rm -f NAME` (podman: with -t 0, as the script already had its grace period).
QStringList containerRemoveCommand(const QString& engine, const QString& name);

// Removes the container `name` if it exists (running or not), as an argument vector, no shell.
// Returns true when one was removed. Waits at most `timeoutMs`.
bool removeContainer(const QString& engine, const QString& name, int timeoutMs = 30000);

} // namespace lb
