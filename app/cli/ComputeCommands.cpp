// labbench compute create local | compute list | compute show
#include "app/cli/CommandLine.h"
#include "app/cli/JsonOutput.h"

#include "core/compute/ComputeTarget.h"
#include "core/compute/LocalTarget.h"
#include "core/compute/TargetAdmin.h"
#include "core/compute/TargetSettings.h"
#include "core/store/Store.h"
#include "core/util/Error.h"
#include "core/workspace/Workspace.h"

namespace lb::cli {

namespace {

int createLocal(Invocation& inv) {
    const QString name = inv.positional(0);
    checkComputeTargetName(name);
    TargetFields fields;
    for (const QString& field : targetFieldNames(QStringLiteral("local")))
        fields.insert(field, inv.valueOr(field, QString()));
    fields.insert(QStringLiteral("name"), name);
    const TargetDraft draft = draftComputeTarget(QStringLiteral("local"), fields);
    throwFirstProblem(draft.problems);
    Workspace& ws = inv.workspace();
    createComputeTarget(ws, draft.record);
    const auto target = openComputeTarget(ws, name);
    if (inv.flag(QStringLiteral("json"))) {
        printJson(inv.out, target->describe());
        return 0;
    }
    const LocalTargetConfig& config = static_cast<const LocalTarget&>(*target).config();
    inv.out << "Created local compute target '" << name << "' (max " << config.maxConcurrentRuns
            << " concurrent runs"
            << (config.gpus.isEmpty() ? QString()
                                      : QStringLiteral(", GPUs %1")
                                            .arg(QString::fromStdString(config.toJson()["gpus"].dump())))
            << ")\n";
    return 0;
}

int list(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const auto records = ws.store().computeTargets().list();
    if (inv.flag(QStringLiteral("json"))) {
        Json j = Json::array();
        for (const auto& r : records) {
            try {
                j.push_back(makeComputeTarget(r)->describe());
            } catch (const Error& e) {
                j.push_back({{"name", toStd(r.name)}, {"kind", toStd(r.kind)}, {"error", toStd(e.message())}});
            }
        }
        printJson(inv.out, j);
        return 0;
    }
    inv.out << QStringLiteral("NAME").leftJustified(20) << QStringLiteral("KIND").leftJustified(8) << "SETTINGS\n";
    for (const auto& r : records)
        inv.out << r.name.leftJustified(19) << ' ' << r.kind.leftJustified(7) << ' ' << r.config << '\n';
    return 0;
}

int show(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const auto target = openComputeTarget(ws, inv.positional(0));
    Json j = target->describe();
    int active = 0, queued = 0;
    for (const RunRecord& r : ws.store().runs().listByStatus(
             {RunStatus::Preparing, RunStatus::Running, RunStatus::Finalizing, RunStatus::Preempted},
             target->name()))
        active += r.computeTarget == target->name() ? 1 : 0;
    queued = static_cast<int>(ws.store().runs().listByStatus({RunStatus::Queued}, target->name()).size());
    j["active_runs"] = active;
    j["queued_runs"] = queued;
    if (inv.flag(QStringLiteral("json"))) {
        printJson(inv.out, j);
        return 0;
    }
    inv.out << "Name:     " << target->name() << '\n'
            << "Kind:     " << target->record().kind << '\n'
            << "Settings: " << QString::fromStdString(j["config"].dump()) << '\n'
            << "Active:   " << active << " runs\n"
            << "Queued:   " << queued << " runs\n";
    return 0;
}

} // namespace

void registerComputeCommands(CommandLine& cli) {
    cli.add({{QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("local")},
             QStringLiteral("Create a compute target on this machine."),
             {{QStringLiteral("gpus"), {}, QStringLiteral("LIST"), QStringLiteral("GPUs it may use, e.g. 0,1 (one run per GPU)")},
              {QStringLiteral("max-concurrent"), {}, QStringLiteral("N"),
               QStringLiteral("runs at a time; more wait in a queue (default: 1, or one per GPU)")},
              {QStringLiteral("python"), {}, QStringLiteral("EXE"), QStringLiteral("the interpreter for .py scripts (default: python3)")},
              jsonOption()},
             {{QStringLiteral("NAME"), QStringLiteral("the target's name")}},
             false,
             createLocal});
    cli.add({{QStringLiteral("compute"), QStringLiteral("list")},
             QStringLiteral("List the workspace's compute targets."),
             {jsonOption()},
             {},
             false,
             list});
    cli.add({{QStringLiteral("compute"), QStringLiteral("show")},
             QStringLiteral("Show a compute target with its active and queued runs."),
             {jsonOption()},
             {{QStringLiteral("NAME"), QStringLiteral("the target's name")}},
             false,
             show});
}

} // namespace lb::cli
