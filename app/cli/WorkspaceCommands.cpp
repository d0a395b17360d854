// labbench workspace init | show (repair: WorkspaceRepairCommand.cpp)
#include "app/cli/CommandLine.h"
#include "app/cli/JsonOutput.h"

#include "core/util/Json.h"
#include "core/util/Time.h"
#include "core/workspace/Workspace.h"

#include <QDir>

namespace lb::cli {

namespace {

Json workspaceJson(Workspace& ws) {
    const WorkspaceConfig& c = ws.config();
    Json j;
    j["name"] = toStd(c.name);
    j["id"] = toStd(c.id);
    j["path"] = toStd(ws.root());
    j["created"] = toStd(isoTime(c.created));
    j["schema_version"] = c.schemaVersion;
    j["store_schema_version"] = ws.store().database().userVersion();
    j["default_compute_target"] = toStd(c.defaultComputeTarget);
    j["data_folders"] = Json::array();
    for (const auto& f : c.dataFolders)
        j["data_folders"].push_back(toStd(f));
    j["experiments"] = ws.store().experiments().list().size();
    j["compute_targets"] = ws.store().computeTargets().list().size();
    return j;
}

int init(Invocation& inv) {
    const QString dir = inv.positional(0);
    const QString name = inv.valueOr(QStringLiteral("name"), QDir(dir).dirName());
    Workspace ws = Workspace::create(dir, name);
    if (inv.flag(QStringLiteral("json")))
        printJson(inv.out, workspaceJson(ws));
    else
        inv.out << "Created workspace '" << ws.config().name << "' in " << ws.root() << '\n';
    return 0;
}

int show(Invocation& inv) {
    Workspace& ws = inv.workspace();
    const Json j = workspaceJson(ws);
    if (inv.flag(QStringLiteral("json"))) {
        printJson(inv.out, j);
        return 0;
    }
    inv.out << "Workspace:       " << ws.config().name << '\n'
            << "Path:            " << ws.root() << '\n'
            << "Id:              " << ws.config().id << '\n'
            << "Created:         " << isoTime(ws.config().created) << '\n'
            << "Default compute: " << ws.config().defaultComputeTarget << '\n'
            << "Experiments:     " << j["experiments"].get<int>() << '\n'
            << "Compute targets: " << j["compute_targets"].get<int>() << '\n';
    for (const auto& f : ws.config().dataFolders)
        inv.out << "Data folder:     " << f << '\n';
    return 0;
}

} // namespace

void registerWorkspaceCommands(CommandLine& cli) {
    cli.add({{QStringLiteral("workspace"), QStringLiteral("init")},
             QStringLiteral("Create a workspace (config.json and its store) in DIR."),
             {{QStringLiteral("name"), {}, QStringLiteral("NAME"), QStringLiteral("the workspace's name (default: the folder's name)")},
              jsonOption()},
             {{QStringLiteral("DIR"), QStringLiteral("the folder to create the workspace in")}},
             false,
             init});
    cli.add({{QStringLiteral("workspace"), QStringLiteral("show")},
             QStringLiteral("Show the current workspace."),
             {jsonOption()},
             {},
             false,
             show});
    registerWorkspaceRepairCommand(cli);
}

} // namespace lb::cli
