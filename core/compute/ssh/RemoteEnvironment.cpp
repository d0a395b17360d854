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
                            const QString& targetPython, const QString& installHint,
                            bool containers) {
    if (!e.condaPackages.isEmpty() || (!containers && !e.customDockerImage.isEmpty()))
        throw Error(
            QStringLiteral("Compute target '%1' cannot prepare conda packages or container images; "
                           "%2 and drop --conda/--image from the estimator (pip packages work).")
                .arg(targetName, installHint));
    if (!e.customDockerImage.isEmpty()) {
        // The same name check as on the local target (EnvironmentSpec::fromEstimator).
        const QString image = e.customDockerImage.trimmed();
        if (image.startsWith(QLatin1Char('-')) || image.contains(QLatin1Char(' ')))
            throw Error(QStringLiteral("custom_docker_image '%1' is not an image name; use a name "
                                       "like 'python:3.11-slim' or 'registry/name:tag'.")
                            .arg(image));
        if (!e.pipPackages.isEmpty())
            throw Error(
                QStringLiteral("Compute target '%1' cannot add pip packages to the image %2 "
                               "yet (local targets can); install them in the image (a "
                               "Dockerfile RUN pip install …) and drop --pip.")
                    .arg(targetName, image));
    }
    EnvironmentSpec::forRemote(e, targetPython);
}

} // namespace lb
