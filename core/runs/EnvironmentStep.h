#pragma once
// The Preparing step of a run: make the environment the estimator asks for (pip and conda
// packages, a container image) and say how to launch inside it. The next issue implements real
// preparation; until then the system environment is used, and a run that asks for packages or
// an image fails in Preparing with a clear reason.

#include <QMap>
#include <QString>
#include <QStringList>

#include <memory>

namespace lb {

struct Estimator;
class RunFolder;

// What preparation produced: how the launch differs from the system environment.
struct PreparedEnvironment {
    QString python;                     // overrides the interpreter when not empty
    QStringList pathPrepend;            // folders put first on PATH (a venv's bin/)
    QMap<QString, QString> variables;   // extra environment variables
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

// The step runs of `workspaceRoot` use (the place later issues plug real preparation in).
std::unique_ptr<EnvironmentStep> makeEnvironmentStep(const QString& workspaceRoot);

} // namespace lb
