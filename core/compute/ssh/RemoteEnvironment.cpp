#include "core/compute/ssh/RemoteEnvironment.h"

#include "core/environment/EnvironmentSpec.h"
#include "core/estimator/Estimator.h"
#include "core/util/Error.h"

namespace lb {

QStringList RemoteEnvironment::prepareWords() const {
    return QStringList{root, hash, python} + packages;
}

QStringList RemoteEnvironment::startWords() const {
    return QStringList{QStringLiteral("--venv"), root, hash, python,
                       QString::number(packages.size())} +
           packages;
}

std::optional<RemoteEnvironment> remoteEnvironment(const Estimator& e, const RemoteLayout& layout,
                                                   const QString& targetPython) {
    const EnvironmentSpec spec = EnvironmentSpec::forRemote(e, targetPython);
    if (spec.kind != EnvironmentSpec::Kind::Venv) return std::nullopt;
    return RemoteEnvironment{layout.environmentsDir(), spec.hash(), spec.python, spec.pipPackages};
}

void checkRemoteEnvironment(const Estimator& e, const QString& targetName,
                            const QString& targetPython, const QString& installHint) {
    if (!e.condaPackages.isEmpty() || !e.customDockerImage.isEmpty())
        throw Error(
            QStringLiteral("Compute target '%1' cannot prepare conda packages or container images; "
                           "%2 and drop --conda/--image from the estimator (pip packages work).")
                .arg(targetName, installHint));
    EnvironmentSpec::forRemote(e, targetPython);
}

} // namespace lb
