#include "core/sdk/TargetCapacity.h"

#include "core/compute/LocalTarget.h"
#include "core/compute/slurm/SlurmTarget.h"
#include "core/compute/ssh/SshTarget.h"
#include "core/util/Error.h"

#include <QSet>
#include <QThread>

#include <unistd.h>

namespace lb::sdk {

namespace {

constexpr double kKiBPerGiB = 1024.0 * 1024.0;

TargetCapacity localCapacity(const LocalTarget& target) {
    NodeCapacity node;
    node.name = QStringLiteral("this machine");
    node.cores = QThread::idealThreadCount();
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
    node.memoryGiB = pages > 0 && pageSize > 0 ? double(pages) * double(pageSize) / (kKiBPerGiB * 1024.0) : 0;
    // The GPUs the target may use, not every GPU of the machine: a run only ever gets those.
    node.gpus = static_cast<int>(target.config().gpus.size());
    return {target.name(), QStringLiteral("local"), {node}, QStringLiteral("this machine")};
}

// MemTotal of /proc/meminfo in GiB, 0 when absent.
double memTotalGiB(const QByteArray& meminfo) {
    for (const QByteArray& line : meminfo.split('\n'))
        if (line.startsWith("MemTotal:"))
            return line.mid(9).trimmed().split(' ').value(0).toDouble() / kKiBPerGiB;
    return 0;
}

TargetCapacity sshCapacity(const SshTarget& target) {
    auto shell = target.openShell();
    NodeCapacity node;
    node.name = target.config().endpoint.host;
    const QString what = QStringLiteral("ask %1 for its cores and memory").arg(shell->display());
    node.cores = QString::fromUtf8(shell->check({QStringLiteral("nproc")}, what)).trimmed().toInt();
    node.memoryGiB = memTotalGiB(shell->check({QStringLiteral("cat"), QStringLiteral("/proc/meminfo")}, what));
    // No nvidia-smi there (or no driver): no GPUs.
    const CommandResult gpus = shell->run({QStringLiteral("nvidia-smi"), QStringLiteral("-L")});
    if (gpus.ok())
        for (const QByteArray& line : gpus.out.split('\n'))
            node.gpus += line.startsWith("GPU ") ? 1 : 0;
    return {target.name(), QStringLiteral("ssh"), {node}, shell->display()};
}

TargetCapacity slurmCapacity(const SlurmTarget& target) {
    auto shell = target.openShell();
    QStringList argv{QStringLiteral("sinfo"), QStringLiteral("-h"), QStringLiteral("-N"), QStringLiteral("-o"),
                     QStringLiteral("%N|%c|%m|%G")};
    QString source = QStringLiteral("sinfo");
    if (!target.config().partition.isEmpty()) {
        argv << QStringLiteral("-p") << target.config().partition;
        source += QStringLiteral(" -p ") + target.config().partition;
    }
    const QByteArray out = shell->check(argv, QStringLiteral("ask Slurm for its nodes (sinfo)"));
    TargetCapacity c{target.name(), QStringLiteral("slurm"), parseSinfoNodes(out),
                     source + QStringLiteral(" on ") + shell->display()};
    if (c.nodes.isEmpty())
        throw Error(QStringLiteral("Slurm reports no nodes for compute target '%1' (%2); check its partition "
                                   "with 'labbench compute test %1'.")
                        .arg(target.name(), c.source));
    return c;
}

} // namespace

int gpusInGres(const QString& gres) {
    int total = 0;
    for (QString item : gres.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        item = item.section(QLatin1Char('('), 0, 0).trimmed(); // "gpu:2(S:0)" -> "gpu:2"
        if (!item.startsWith(QLatin1String("gpu:")))
            continue;
        bool ok = false;
        const int n = item.section(QLatin1Char(':'), -1).toInt(&ok);
        total += ok ? n : 0;
    }
    return total;
}

QList<NodeCapacity> parseSinfoNodes(const QByteArray& out) {
    QList<NodeCapacity> nodes;
    QSet<QString> seen;
    for (const QByteArray& raw : out.split('\n')) {
        const QStringList f = QString::fromUtf8(raw).trimmed().split(QLatin1Char('|'));
        if (f.size() < 4 || f[0].isEmpty() || seen.contains(f[0]))
            continue;
        seen.insert(f[0]);
        NodeCapacity n;
        n.name = f[0];
        n.cores = f[1].toInt();
        n.memoryGiB = f[2].toDouble() / 1024.0; // sinfo %m is in MB (MiB)
        n.gpus = gpusInGres(f[3]);
        nodes.append(n);
    }
    return nodes;
}

TargetCapacity probeCapacity(const ComputeTarget& target) {
    if (const auto* local = dynamic_cast<const LocalTarget*>(&target))
        return localCapacity(*local);
    if (const auto* ssh = dynamic_cast<const SshTarget*>(&target))
        return sshCapacity(*ssh);
    if (const auto* slurm = dynamic_cast<const SlurmTarget*>(&target))
        return slurmCapacity(*slurm);
    throw Error(QStringLiteral("Labbench cannot tell what compute target '%1' (%2) has, so it cannot map an "
                               "Azure VM size to it; map the name to a local, SSH or Slurm target.")
                    .arg(target.name(), target.record().kind));
}

} // namespace lb::sdk
