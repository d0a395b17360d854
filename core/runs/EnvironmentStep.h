#pragma once
// The Preparing step of a run: make the environment the estimator asks for (pip and conda
// packages, a container image) and say how to launch inside it.

#include "core/environment/ContainerLaunch.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace lb {

struct Estimator;
class RunFolder;

// What preparation produced: how the launch differs from the system environment.
struct PreparedEnvironment {
    QString python;                     // overrides the interpreter when not empty
    QStringList pathPrepend;            // folders put first on PATH (a venv's bin/)
    QMap<QString, QString> variables;   // extra environment variables
    std::optional<ContainerLaunch> container; // custom_docker_image: run the command in it
};

class EnvironmentStep {
public:
    virtual ~EnvironmentStep() = default;
    // Prepares (or reuses) the environment; throws lb::Error with the reason the run fails.
    virtual PreparedEnvironment prepare(const Estimator& estimator, const RunFolder& folder) = 0;
};

// The system environment: nothing to install; refuses packages and images for now.
class SystemEnvironmentStep : public EnvironmentStep {
public:
    PreparedEnvironment prepare(const Estimator& estimator, const RunFolder& folder) override;
};

// The workspace's environment cache (core/environment, issue 4): a venv or conda environment per
// package list, built once and reused; a container image pulled when missing. pip's output goes
// to driver.log, and a failed install fails the run in Preparing with pip's error.
class CachedEnvironmentStep : public EnvironmentStep {
public:
    explicit CachedEnvironmentStep(QString workspaceRoot) : root_(std::move(workspaceRoot)) {}
    PreparedEnvironment prepare(const Estimator& estimator, const RunFolder& folder) override;

private:
    QString root_;
};

// The step runs of `workspaceRoot` use (the place later issues plug real preparation in).
std::unique_ptr<EnvironmentStep> makeEnvironmentStep(const QString& workspaceRoot);

} // namespace lb
