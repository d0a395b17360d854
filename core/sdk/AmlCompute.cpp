#include "core/sdk/AmlCompute.h"

#include "core/compute/ComputeTarget.h"
#include "core/util/Error.h"
#include "core/workspace/ComputeAliases.h"
#include "core/workspace/Workspace.h"

#include <QRegularExpression>

namespace lb::sdk {

namespace {

// A node counts as having a size's memory when it has 90% of it: the kernel and firmware keep
// part of a machine's memory, so a 7 GiB VM itself reports about 6.8 GiB.
constexpr double kMemoryShare = 0.9;

bool fits(const NodeCapacity& node, const VmSize& size) {
    return node.cores >= size.cores && node.gpus >= size.gpus &&
           node.memoryGiB >= size.memoryGiB * kMemoryShare;
}

QString gpuText(int gpus, const QString& model = {}) {
    if (gpus == 0)
        return QStringLiteral("no GPU");
    return QStringLiteral("%1 GPU%2%3").arg(gpus).arg(gpus == 1 ? "" : "s")
        .arg(model.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(model));
}

QString nodeText(const NodeCapacity& n) {
    return QStringLiteral("%1 cores, %2 GiB and %3").arg(n.cores).arg(n.memoryGiB, 0, 'f', 1).arg(gpuText(n.gpus));
}

QString aliasFix(const QString& name) {
    return QStringLiteral("map '%1' to a bigger target with \"compute_aliases\" in the workspace's config.json "
                          "(e.g. \"compute_aliases\": {\"%1\": \"hpc\"})")
        .arg(name);
}

void validateAzureName(const QString& name) {
    static const QRegularExpression re(QStringLiteral("^[A-Za-z][A-Za-z0-9_-]{0,63}$"));
    if (!re.match(name).hasMatch())
        throw UsageError(QStringLiteral("'%1' is not a compute name; use 1-64 letters, digits, '-' or '_', "
                                        "starting with a letter, like 'cpu-cluster'.")
                             .arg(name));
}

} // namespace

std::optional<AmlComputeBinding> findAmlCompute(Workspace& ws, const QString& name) {
    validateAzureName(name);
    const QMap<QString, QString> aliases = loadComputeAliases(ws.configPath());
    const auto alias = aliases.constFind(name);
    if (alias != aliases.constEnd()) {
        if (!ws.store().computeTargets().find(*alias))
            throw Error(QStringLiteral("config.json maps compute '%1' to '%2', which is not a compute target of "
                                       "this workspace; create it ('labbench compute create ...') or fix "
                                       "\"compute_aliases\" in %3.")
                            .arg(name, *alias, ws.configPath()));
        return AmlComputeBinding{name, *alias, QStringLiteral("alias")};
    }
    if (ws.store().computeTargets().find(name))
        return AmlComputeBinding{name, name, QStringLiteral("target")};
    return std::nullopt;
}

SizeCheck checkVmSize(const TargetCapacity& capacity, const SizeRequest& request, const QString& name) {
    const auto size = findVmSize(request.vmSize);
    if (!size)
        throw Error(QStringLiteral("'%1' is not a VM size Labbench knows; use one of: %2.")
                        .arg(request.vmSize, knownVmSizeNames().join(QStringLiteral(", "))));
    if (request.maxNodes < 1)
        throw Error(QStringLiteral("max_nodes must be 1 or more, not %1.").arg(request.maxNodes));
    if (request.minNodes < 0 || request.minNodes > request.maxNodes)
        throw Error(QStringLiteral("min_nodes must be from 0 to max_nodes (%1), not %2.")
                        .arg(request.maxNodes)
                        .arg(request.minNodes));
    SizeCheck check{*size, capacity, 0};
    const NodeCapacity* biggest = nullptr;
    for (const NodeCapacity& n : capacity.nodes) {
        check.fittingNodes += fits(n, *size) ? 1 : 0;
        if (!biggest || n.cores + n.gpus * 1000 > biggest->cores + biggest->gpus * 1000)
            biggest = &n;
    }
    const QString wants = QStringLiteral("%1 needs %2 cores, %3 GiB and %4 per node")
                              .arg(size->name)
                              .arg(size->cores)
                              .arg(size->memoryGiB)
                              .arg(gpuText(size->gpus, size->gpuModel));
    if (check.fittingNodes == 0)
        throw Error(QStringLiteral("%1, but compute target '%2' (%3) has at most %4 on a node; pick a smaller "
                                   "vm_size or %5.")
                        .arg(wants, capacity.targetName, capacity.source,
                             biggest ? nodeText(*biggest) : QStringLiteral("nothing"), aliasFix(name)));
    if (request.maxNodes > check.fittingNodes)
        throw Error(QStringLiteral("max_nodes=%1 asks for %1 nodes of %2, but compute target '%3' (%4) has %5 "
                                   "that can give it; use max_nodes=%5 or %6.")
                        .arg(request.maxNodes)
                        .arg(size->name, capacity.targetName, capacity.source)
                        .arg(check.fittingNodes)
                        .arg(aliasFix(name)));
    return check;
}

AmlComputeCreation createAmlCompute(Workspace& ws, const QString& name, const SizeRequest& request) {
    const auto found = findAmlCompute(ws, name);
    const AmlComputeBinding binding =
        found.value_or(AmlComputeBinding{name, ws.config().defaultComputeTarget, QStringLiteral("default")});
    const auto target = openComputeTarget(ws, binding.target);
    const SizeCheck check = checkVmSize(probeCapacity(*target), request, name);
    if (!found)
        saveComputeAlias(ws.configPath(), name, binding.target);
    return {binding, check};
}

} // namespace lb::sdk
