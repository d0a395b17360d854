#pragma once
// Running a script inside a container image (custom_docker_image) with docker or podman: finding
// the engine and building its command line. The run folder is mounted at the same path inside,
// so every LABBENCH_* path the script is given means the same file in there.

#include <QString>
#include <QStringList>

namespace lb {

struct ContainerLaunch {
    QString engine; // absolute path of docker or podman
    QString image;
    bool useGpu = false;
    QString name; // container name (e.g. "labbench-<run id>"), empty for none
};

// The engine to use: docker first, then podman, on `searchPath` (empty = PATH). Throws lb::Error
// "no container engine (docker or podman) found …" when neither is there.
QString findContainerEngine(const QString& searchPath = {});

// The words that start `command` (the interpreter and its arguments) in the container:
//   ENGINE run --rm --init [--name N] --user UID:GID -v DIR:DIR … -w WORKDIR
//          [--gpus all | --device nvidia.com/gpu=all] -e NAME … IMAGE COMMAND…
// `mounts` are host folders mounted read-write at the same path; `passEnvironment` are names of
// variables passed from the launching process's environment (-e NAME takes the value from there,
// so values never appear on a command line).
QStringList containerCommand(const ContainerLaunch& launch, const QString& workingDirectory,
                             const QStringList& mounts, const QStringList& passEnvironment,
                             const QStringList& command);

} // namespace lb
