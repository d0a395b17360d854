// The one place that maps a target kind to its class; a new kind adds one line here.
#include "core/compute/ComputeTarget.h"
#include "core/compute/LocalTarget.h"
#include "core/compute/slurm/SlurmTarget.h"
#include "core/compute/ssh/SshTarget.h"

#include "core/util/Error.h"
#include "core/util/Time.h"
#include "core/workspace/Workspace.h"

namespace lb {

Json ComputeTarget::describe() const {
    Json j;
    j["name"] = toStd(record_.name);
    j["kind"] = toStd(record_.kind);
    j["created"] = toStd(isoTime(record_.created));
    const Json config = Json::parse(record_.config.toStdString(), nullptr, false);
    j["config"] = config.is_discarded() ? Json::object() : config;
    return j;
}

void ComputeTarget::submitBatch(Workspace&, const QList<RunRecord>&, int) {
    throw Error(QStringLiteral("The compute target '%1' starts runs one at a time.").arg(name()));
}

std::unique_ptr<ComputeTarget> makeComputeTarget(const ComputeTargetRecord& record) {
    if (record.kind == QLatin1String("local"))
        return std::make_unique<LocalTarget>(record);
    if (record.kind == QLatin1String("ssh"))
        return std::make_unique<SshTarget>(record);
    if (record.kind == QLatin1String("slurm"))
        return std::make_unique<SlurmTarget>(record);
    throw Error(QStringLiteral("The compute target '%1' is of kind '%2', which this version of "
                               "Labbench cannot run; upgrade Labbench or use another target.")
                    .arg(record.name, record.kind));
}

std::unique_ptr<ComputeTarget> openComputeTarget(Workspace& workspace, const QString& name) {
    auto record = workspace.store().computeTargets().find(name);
    if (!record) {
        QStringList names;
        for (const auto& t : workspace.store().computeTargets().list())
            names.append(t.name);
        throw NotFoundError(QStringLiteral("There is no compute target '%1' in this workspace (it "
                                           "has: %2); create it with 'labbench compute create local "
                                           "%1' or pick one with --compute.")
                                .arg(name, names.join(QStringLiteral(", "))));
    }
    return makeComputeTarget(*record);
}

} // namespace lb
