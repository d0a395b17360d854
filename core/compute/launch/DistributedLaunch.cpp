#include "core/compute/launch/DistributedLaunch.h"

#include "core/estimator/Estimator.h"

#include <QCryptographicHash>

namespace lb {

bool isDistributed(const Estimator& e) {
    return e.distributedBackend != QLatin1String("none") && !e.distributedBackend.isEmpty();
}

int taskCount(const Estimator& e) {
    if (e.distributedBackend == QLatin1String("parameter_server"))
        return e.workerCount + e.parameterServerCount;
    return e.totalProcessCount();
}

int basePortFor(const QString& runId) {
    const QByteArray h = QCryptographicHash::hash(runId.toUtf8(), QCryptographicHash::Sha1);
    const unsigned v = (static_cast<unsigned char>(h[0]) << 8) | static_cast<unsigned char>(h[1]);
    return 20000 + static_cast<int>(v % 20000);
}

QStringList distributedPrefix(const Estimator& e, Launcher launcher, const LaunchPaths& paths) {
    if (!isDistributed(e))
        return {};
    const int tasks = taskCount(e);
    const bool ps = e.distributedBackend == QLatin1String("parameter_server");
    // Ranks per node for host lookup; parameter-server tasks are spread in blocks as srun does.
    const int nodes = std::max(1, e.nodeCount);
    const int perNode = ps ? (tasks + nodes - 1) / nodes : e.processCountPerNode;
    QStringList words;
    if (launcher == Launcher::Mpirun) {
        words << QStringLiteral("mpirun") << QStringLiteral("--oversubscribe") << QStringLiteral("-np")
              << QString::number(tasks);
    } else {
        words << QStringLiteral("srun");
        if (e.distributedBackend == QLatin1String("mpi"))
            words << QStringLiteral("--mpi=pmix");
        words << QStringLiteral("--ntasks=%1").arg(tasks);
    }
    words << QStringLiteral("sh") << paths.helper << QStringLiteral("rank-exec") << paths.runDir
          << e.distributedBackend << QString::number(perNode) << QString::number(ps ? e.workerCount : tasks)
          << QString::number(ps ? e.parameterServerCount : 0) << QString::number(paths.basePort)
          << QStringLiteral("--");
    return words;
}

QMap<QString, QString> distributedEnvironment(const Estimator& e) {
    QMap<QString, QString> env;
    if (!isDistributed(e))
        return env;
    // Open MPI refuses root without both; harmless for other users. More ranks than cores is
    // normal for small jobs and tests.
    env.insert(QStringLiteral("OMPI_ALLOW_RUN_AS_ROOT"), QStringLiteral("1"));
    env.insert(QStringLiteral("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"), QStringLiteral("1"));
    env.insert(QStringLiteral("OMPI_MCA_rmaps_base_oversubscribe"), QStringLiteral("1"));
    return env;
}

} // namespace lb
