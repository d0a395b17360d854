// labbench experiments list
#include "app/cli/CommandLine.h"
#include "app/cli/JsonOutput.h"

#include "core/util/Time.h"
#include "core/workspace/Workspace.h"

namespace lb::cli {

namespace {

int list(Invocation& inv) {
    const auto experiments = inv.workspace().store().experiments().list();
    if (inv.flag(QStringLiteral("json"))) {
        Json j = Json::array();
        for (const auto& e : experiments)
            j.push_back({{"name", toStd(e.name)}, {"created", toStd(isoTime(e.created))}, {"runs", e.runCount}});
        printJson(inv.out, j);
        return 0;
    }
    if (experiments.isEmpty()) {
        inv.out << "No experiments yet; 'labbench submit --experiment NAME ...' creates one.\n";
        return 0;
    }
    inv.out << QStringLiteral("NAME").leftJustified(32) << QStringLiteral("RUNS").rightJustified(6) << "  CREATED\n";
    for (const auto& e : experiments)
        inv.out << e.name.leftJustified(32) << QString::number(e.runCount).rightJustified(6) << "  "
                << isoTime(e.created) << '\n';
    return 0;
}

} // namespace

void registerExperimentCommands(CommandLine& cli) {
    cli.add({{QStringLiteral("experiments"), QStringLiteral("list")},
             QStringLiteral("List the workspace's experiments with their run counts."),
             {jsonOption()},
             {},
             false,
             list});
}

} // namespace lb::cli
