#include "app/cli/SystemMetricsCommand.h"

#include "app/cli/CommandLine.h"
#include "app/cli/JsonOutput.h"
#include "core/store/Store.h"
#include "core/store/SystemMetricRepository.h"
#include "core/util/Error.h"
#include "core/util/JsonValues.h"
#include "core/util/ShortestNumber.h"
#include "core/workspace/Workspace.h"

#include <optional>

namespace lb::cli {

namespace {

QString cell(const std::optional<double>& v) {
    return v ? shortestNumber(*v) : QStringLiteral("-");
}

} // namespace

int printSystemMetrics(Invocation& inv, const RunRecord& run) {
    if (inv.flag(QStringLiteral("csv")))
        throw UsageError(QStringLiteral("--system prints a table, or every point with --json; "
                                        "--csv is for the script's own metrics."));
    SystemMetricRepository store(inv.workspace().store().database());
    if (inv.flag(QStringLiteral("json"))) {
        Json j = Json::array();
        for (const SystemMetricPoint& p : store.all(run.id))
            j.push_back({{"node", toStd(p.node)},
                         {"name", toStd(p.name)},
                         {"step", p.step},
                         {"value", jsonNumber(p.value)},
                         {"time", jsonNumber(p.time)}});
        printJson(inv.out, j);
        return 0;
    }
    const QList<SystemMetricSeries> series = store.series(run.id);
    if (series.isEmpty()) {
        inv.out << "No system metrics sampled (yet).\n";
        return 0;
    }
    inv.out << QStringLiteral("NODE").leftJustified(16) << QStringLiteral("NAME").leftJustified(22)
            << QStringLiteral("POINTS").rightJustified(8)
            << QStringLiteral("LAST").rightJustified(16) << QStringLiteral("MIN").rightJustified(16)
            << QStringLiteral("MAX").rightJustified(16) << '\n';
    for (const SystemMetricSeries& s : series)
        inv.out << s.node.leftJustified(15) << ' ' << s.name.leftJustified(21) << ' '
                << QString::number(s.points).rightJustified(8) << cell(s.last).rightJustified(16)
                << cell(s.min).rightJustified(16) << cell(s.max).rightJustified(16) << '\n';
    return 0;
}

} // namespace lb::cli
