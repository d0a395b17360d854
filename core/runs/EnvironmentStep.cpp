#include "runs/EnvironmentStep.h"

#include "estimator/Estimator.h"
#include "util/Error.h"

namespace lb {

PreparedEnvironment SystemEnvironmentStep::prepare(const Estimator& e, const RunFolder&) {
    QStringList asked;
    if (!e.pipPackages.isEmpty())
        asked.append(QStringLiteral("pip packages (%1)").arg(e.pipPackages.join(QStringLiteral(", "))));
    if (!e.condaPackages.isEmpty())
        asked.append(QStringLiteral("conda packages (%1)").arg(e.condaPackages.join(QStringLiteral(", "))));
    if (!e.customDockerImage.isEmpty())
        asked.append(QStringLiteral("the container image %1").arg(e.customDockerImage));
    if (!asked.isEmpty())
        throw Error(QStringLiteral("Preparing %1 is not supported yet; install them into the "
                                   "interpreter yourself and name it with --python, or drop "
                                   "--pip/--conda/--image.")
                        .arg(asked.join(QStringLiteral(" and "))));
    return {};
}

std::unique_ptr<EnvironmentStep> makeEnvironmentStep(const QString&) {
    return std::make_unique<SystemEnvironmentStep>();
}

} // namespace lb
