// labbench workspace repair: rebuild a lost store from the workspace's folders (issue 25).
#include "app/cli/CommandLine.h"
#include "app/cli/JsonOutput.h"
#include "core/repair/WorkspaceRepair.h"
#include "core/workspace/WorkspaceDiscovery.h"

namespace lb::cli {

namespace {

Json reportJson(const RepairReport& r) {
    Json j;
    j["workspace"] = toStd(r.root);
    j["store"] = toStd(r.storePath);
    j["moved_aside"] = Json::array();
    for (const QString& path : r.movedAside)
        j["moved_aside"].push_back(toStd(path));
    j["restored"] = Json::object();
    j["skipped"] = Json::array();
    j["notes"] = Json::array();
    for (const RestoredKind& k : r.kinds) {
        j["restored"][toStd(k.kind)] = k.restored;
        for (const QString& s : k.skipped)
            j["skipped"].push_back(toStd(s));
        for (const QString& n : k.notes)
            j["notes"].push_back(toStd(n));
    }
    j["metric_points"] = r.metricPoints;
    return j;
}

void printReport(QTextStream& out, const RepairReport& r) {
    out << "Rebuilt the store " << r.storePath << " from the workspace's folders:\n";
    for (const RestoredKind& k : r.kinds) {
        out << "  " << k.kind.leftJustified(16) << QString::number(k.restored).rightJustified(7);
        if (k.kind == QLatin1String("runs")) out << "  (" << r.metricPoints << " metric points)";
        out << '\n';
    }
    if (!r.movedAside.isEmpty())
        out << "The old store was moved aside to " << r.movedAside.first()
            << "; nothing was deleted.\n";
    for (const RestoredKind& k : r.kinds)
        for (const QString& n : k.notes)
            out << "Note: " << n << '\n';
    for (const RestoredKind& k : r.kinds)
        for (const QString& s : k.skipped)
            out << "Skipped: " << s << '\n';
}

int repair(Invocation& inv) {
    RepairOptions options;
    options.force = inv.flag(QStringLiteral("force"));
    const RepairReport report =
        repairWorkspace(discoverWorkspaceDir(inv.workspaceOption()), options);
    if (inv.flag(QStringLiteral("json")))
        printJson(inv.out, reportJson(report));
    else
        printReport(inv.out, report);
    return 0;
}

} // namespace

void registerWorkspaceRepairCommand(CommandLine& cli) {
    cli.add(
        {{QStringLiteral("workspace"), QStringLiteral("repair")},
         QStringLiteral("Rebuild a deleted or empty store from the run, model and other folders."),
         {{QStringLiteral("force"),
           {},
           {},
           QStringLiteral("rebuild even though a store exists (it is moved aside, never deleted)")},
          jsonOption()},
         {},
         false,
         repair});
}

} // namespace lb::cli
