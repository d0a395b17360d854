// labbench sdk env | compute show | compute list | compute create | vm-sizes | metrics |
// datastore default: the small stable interface the Azure ML SDK surface in
// resources/python/azureml talks to (issue 24). Everything prints JSON; field names are stable.
#include "app/cli/CommandLine.h"
#include "app/cli/JsonOutput.h"

#include "core/compute/ComputeTarget.h"
#include "core/datastore/Datastores.h"
#include "core/lifecycle/Spawn.h"
#include "core/remote/ShellQuote.h"
#include "core/runs/RunControl.h"
#include "core/runs/RunLaunch.h"
#include "core/sdk/AmlCompute.h"
#include "core/sdk/AzureMetrics.h"
#include "core/store/Store.h"
#include "core/util/Error.h"
#include "core/util/Time.h"
#include "core/workspace/ComputeAliases.h"
#include "core/workspace/Workspace.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace lb::cli {

namespace {

QString opt(const char* name) { return QString::fromLatin1(name); }

// The folder the SDK package and the labbench helper live in, next to this program.
QString sdkPythonDir() {
    const QString dir = pythonHelperDir(executableDir());
    if (!QFileInfo::exists(dir + QStringLiteral("/azureml/core/__init__.py")))
        throw Error(QStringLiteral("The Azure ML SDK package is missing from %1; reinstall Labbench (or build "
                                   "the labbench_resources target).")
                        .arg(dir));
    return dir;
}

// eval "$(labbench sdk env)": PYTHONPATH first, then PATH when `labbench` there is another program.
int env(Invocation& inv) {
    inv.out << "export PYTHONPATH=" << shellQuote(sdkPythonDir()) << "\"${PYTHONPATH:+:$PYTHONPATH}\"\n";
    const QString self = QFileInfo(QFile::symLinkTarget(QStringLiteral("/proc/self/exe"))).canonicalFilePath();
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("labbench"));
    if (onPath.isEmpty() || QFileInfo(onPath).canonicalFilePath() != self)
        inv.out << "export PATH=" << shellQuote(QFileInfo(self).absolutePath()) << "\":$PATH\"\n";
    return 0;
}

Json vmSizeJson(const sdk::VmSize& s) {
    return {{"name", toStd(s.name)}, {"cores", s.cores}, {"memory_gib", s.memoryGiB}, {"gpus", s.gpus},
            {"gpu_model", toStd(s.gpuModel)}};
}

Json bindingJson(Workspace& ws, const sdk::AmlComputeBinding& b) {
    Json j{{"name", toStd(b.name)}, {"target", toStd(b.target)}, {"how", toStd(b.how)}, {"found", true}};
    if (const auto record = ws.store().computeTargets().find(b.target))
        j["kind"] = toStd(record->kind);
    return j;
}

int computeShow(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const QString name = inv.positional(0);
    const auto binding = sdk::findAmlCompute(ws, name);
    // Not found is an answer here, not a failure: ComputeTarget(ws, name) raises on it.
    printJson(inv.out, binding ? bindingJson(ws, *binding) : Json{{"name", toStd(name)}, {"found", false}});
    return 0;
}

int computeList(Invocation& inv) {
    Workspace& ws = inv.workspace();
    Json j = Json::array();
    const QMap<QString, QString> aliases = loadComputeAliases(ws.configPath());
    for (auto it = aliases.begin(); it != aliases.end(); ++it)
        j.push_back(bindingJson(ws, {it.key(), it.value(), QStringLiteral("alias")}));
    for (const ComputeTargetRecord& r : ws.store().computeTargets().list())
        if (!aliases.contains(r.name))
            j.push_back(bindingJson(ws, {r.name, r.name, QStringLiteral("target")}));
    printJson(inv.out, j);
    return 0;
}

int computeCreate(Invocation& inv) {
    sdk::SizeRequest request;
    request.vmSize = inv.valueOr(opt("vm-size"), QString());
    if (request.vmSize.isEmpty())
        throw UsageError(QStringLiteral("'labbench sdk compute create' needs --vm-size SIZE (see 'labbench sdk "
                                        "vm-sizes')."));
    request.maxNodes = static_cast<int>(inv.intValue(opt("max-nodes")).value_or(1));
    request.minNodes = static_cast<int>(inv.intValue(opt("min-nodes")).value_or(0));
    Workspace& ws = inv.workspace();
    const sdk::AmlComputeCreation c = sdk::createAmlCompute(ws, inv.positional(0), request);
    Json j = bindingJson(ws, c.binding);
    j["vm_size"] = vmSizeJson(c.check.size);
    j["max_nodes"] = request.maxNodes;
    j["min_nodes"] = request.minNodes;
    j["fitting_nodes"] = c.check.fittingNodes;
    j["capacity_source"] = toStd(c.check.capacity.source);
    j["nodes"] = Json::array();
    for (const sdk::NodeCapacity& n : c.check.capacity.nodes)
        j["nodes"].push_back({{"name", toStd(n.name)}, {"cores", n.cores}, {"memory_gib", n.memoryGiB},
                              {"gpus", n.gpus}});
    printJson(inv.out, j);
    return 0;
}

int vmSizes(Invocation& inv) {
    Json j = Json::array();
    for (const sdk::VmSize& s : sdk::knownVmSizes())
        j.push_back(vmSizeJson(s));
    printJson(inv.out, j);
    return 0;
}

int metrics(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const RunRecord run = reconcileRun(ws, findRun(ws, inv.positional(0)));
    printJson(inv.out, sdk::azureMetrics(ws, run));
    return 0;
}

// Azure's workspaceblobstore: a folder in the workspace, registered as a datastore on first use.
int defaultDatastore(Invocation& inv) {
    static const QString name = QStringLiteral("workspaceblobstore");
    Workspace& ws = inv.workspace();
    auto found = ws.store().datastores().find(name);
    if (!found) {
        const QString dir = QDir(ws.root()).filePath(QStringLiteral("datastores/") + name);
        if (!QDir().mkpath(dir))
            throw Error(QStringLiteral("Cannot create the default datastore's folder %1; check the permissions of %2.")
                            .arg(dir, ws.root()));
        try {
            addDatastore(ws.store(), name, dir);
        } catch (const Error&) {
            // Another process registered it first; theirs is as good.
        }
        found = ws.store().datastores().find(name);
        if (!found)
            throw Error(QStringLiteral("Cannot register the default datastore '%1' for %2.").arg(name, dir));
    }
    printJson(inv.out, {{"name", toStd(found->name)}, {"kind", toStd(found->kind)}, {"path", toStd(found->path)},
                        {"uri", toStd(kDatastoreScheme + found->name + QLatin1Char('/'))},
                        {"created", toStd(isoTime(found->created))}});
    return 0;
}

PositionalSpec nameArg() {
    return {QStringLiteral("NAME"), QStringLiteral("the Azure ML compute name, e.g. cpu-cluster")};
}

} // namespace

void registerSdkCommands(CommandLine& cli) {
    cli.add({{QStringLiteral("sdk"), QStringLiteral("env")},
             QStringLiteral("Print the shell lines that let python3 import the Azure ML SDK surface: "
                            "eval \"$(labbench sdk env)\"."),
             {},
             {},
             false,
             env});
    cli.add({{QStringLiteral("sdk"), QStringLiteral("compute"), QStringLiteral("show")},
             QStringLiteral("Print (JSON) the Labbench target an Azure ML compute name maps to, or found: false."),
             {},
             {nameArg()},
             false,
             computeShow});
    cli.add({{QStringLiteral("sdk"), QStringLiteral("compute"), QStringLiteral("list")},
             QStringLiteral("Print (JSON) every Azure ML compute name: the aliases in config.json and the targets."),
             {},
             {},
             false,
             computeList});
    cli.add({{QStringLiteral("sdk"), QStringLiteral("compute"), QStringLiteral("create")},
             QStringLiteral("Map an Azure ML compute name to a target after checking the VM size against it "
                            "(JSON)."),
             {{opt("vm-size"), {}, QStringLiteral("SIZE"), QStringLiteral("an Azure VM size, e.g. STANDARD_D2_V2")},
              {opt("max-nodes"), {}, QStringLiteral("N"), QStringLiteral("nodes the cluster may grow to (default 1)")},
              {opt("min-nodes"), {}, QStringLiteral("N"), QStringLiteral("nodes it keeps (default 0)")}},
             {nameArg()},
             false,
             computeCreate});
    cli.add({{QStringLiteral("sdk"), QStringLiteral("vm-sizes")},
             QStringLiteral("Print (JSON) the Azure VM sizes Labbench knows: cores, memory, GPUs."),
             {},
             {},
             false,
             vmSizes});
    cli.add({{QStringLiteral("sdk"), QStringLiteral("metrics")},
             QStringLiteral("Print (JSON) a run's metrics as Azure ML's Run.get_metrics() returns them."),
             {},
             {{QStringLiteral("RUN"), QStringLiteral("a run id (or a unique prefix of one)")}},
             false,
             metrics});
    cli.add({{QStringLiteral("sdk"), QStringLiteral("datastore"), QStringLiteral("default")},
             QStringLiteral("Print (JSON) the default datastore, workspaceblobstore, creating it in the workspace "
                            "on first use."),
             {},
             {},
             false,
             defaultDatastore});
}

} // namespace lb::cli
