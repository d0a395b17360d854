#include "core/runs/EnvironmentStep.h"

#include "core/environment/EnvironmentCache.h"
#include "core/estimator/Estimator.h"
#include "core/lifecycle/RunFinish.h"
#include "core/lifecycle/RunFolder.h"
#include "core/util/Error.h"

#include <QFileInfo>

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

PreparedEnvironment CachedEnvironmentStep::prepare(const Estimator& e, const RunFolder& folder) {
    EnvironmentCache cache(root_ + QStringLiteral("/environments"));
    const ResolvedEnvironment env =
        cache.prepare(e, [&folder](const QString& line) { appendToDriverLog(folder, line); });
    PreparedEnvironment prepared;
    if (!env.hash.isEmpty() || env.container) // the system environment keeps the launch's own choice
        prepared.python = env.python;
    prepared.pathPrepend = env.pathPrepend;
    prepared.variables = env.variables;
    prepared.container = env.container;
    if (prepared.container) // a name to find (and stop) the container by: the run folder is the id
        prepared.container->name = containerName(QFileInfo(folder.dir()).fileName());
    return prepared;
}

std::unique_ptr<EnvironmentStep> makeEnvironmentStep(const QString& workspaceRoot) {
    return std::make_unique<CachedEnvironmentStep>(workspaceRoot);
}

} // namespace lb
