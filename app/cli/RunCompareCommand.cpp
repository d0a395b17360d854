// labbench runs compare RUN RUN… [--metric M]… [--csv | --json]: runs side by side (issue 17):
// their parameters (those that differ marked), and each metric's last, min and max with the
// steps where the min and max came.
#include "app/cli/JsonOutput.h"
#include "app/cli/RunCommands.h"

#include "core/live/CompareModel.h"
#include "core/live/CompareTable.h"
#include "core/live/RunColumns.h"
#include "core/runs/RunControl.h"
#include "core/util/Error.h"
#include "core/workspace/Workspace.h"

#include <QSet>

#include <cmath>

namespace lb::cli {

namespace {

Json number(double v) { return std::isfinite(v) ? Json(v) : Json(toStd(displayText(v))); }

int compare(Invocation& inv) {
    if (inv.flag(QStringLiteral("json")) && inv.flag(QStringLiteral("csv")))
        throw UsageError(QStringLiteral("Choose one of --json and --csv."));
    Workspace& ws = inv.workspace();
    QStringList ids;
    for (int i = 0; i < inv.positionalCount(); ++i)
        ids << findRun(ws, inv.positional(i)).id;
    if (ids.size() < 2)
        throw UsageError(QStringLiteral("runs compare needs two runs or more."));
    const QStringList onlyMetrics = inv.values(QStringLiteral("metric"));
    const CompareData data = CompareData::load(ws, ids);
    const CompareTable t = compareTable(data, onlyMetrics);
    for (const QString& m : onlyMetrics)
        if (!t.metrics.contains(m))
            throw NotFoundError(QStringLiteral("None of these runs logged a metric '%1'.").arg(m));

    if (inv.flag(QStringLiteral("json"))) {
        Json out;
        out["runs"] = Json::array();
        for (const CompareRow& row : data.rows) {
            Json r = runSummaryJson(row.run);
            r["params"] = Json::object();
            for (const auto& [flag, value] : row.params)
                r["params"][toStd(flag)] = toStd(value);
            r["metrics"] = Json::object();
            for (const QString& m : t.metrics) {
                if (!row.metrics.contains(m))
                    continue;
                const MetricSummary& s = row.metrics[m];
                r["metrics"][toStd(m)] = {{"last", number(s.last)},     {"min", number(s.min)},
                                          {"max", number(s.max)},       {"last_step", s.lastStep},
                                          {"min_step", s.minStep},      {"max_step", s.maxStep},
                                          {"points", s.points}};
            }
            out["runs"].push_back(r);
        }
        out["differing_params"] = Json::array();
        for (const QString& p : t.params)
            if (t.differ.contains(p))
                out["differing_params"].push_back(toStd(p));
        printJson(inv.out, out);
        return 0;
    }
    // CSV and text share the columns: run, name, each parameter, each metric's last/min/max.
    const QStringList& header = t.header;
    const QList<QStringList>& rows = t.rows;
    if (inv.flag(QStringLiteral("csv"))) {
        inv.out << QString::fromUtf8(toCsv(header, rows));
        return 0;
    }
    // Text: one line per column, runs side by side; '*' marks parameters that differ.
    QList<qsizetype> widths;
    for (const QStringList& cells : rows) {
        qsizetype w = 0;
        for (const QString& c : cells)
            w = std::max(w, c.size());
        widths << std::min<qsizetype>(w, 40);
    }
    qsizetype labelWidth = 0;
    for (const QString& h : header)
        labelWidth = std::max(labelWidth, h.size() + 2);
    for (qsizetype c = 0; c < header.size(); ++c) {
        const bool differs = c >= 2 && c - 2 < t.params.size() && t.differ.contains(header[c]);
        QString line = ((differs ? QStringLiteral("* ") : QStringLiteral("  ")) + header[c]).leftJustified(labelWidth + 2);
        for (qsizetype r = 0; r < rows.size(); ++r)
            line += rows[r][c].left(widths[r]).leftJustified(widths[r] + 2);
        inv.out << line.trimmed() << '\n';
    }
    return 0;
}

} // namespace

void registerRunCompareCommand(CommandLine& cli) {
    cli.add({{QStringLiteral("runs"), QStringLiteral("compare")},
             QStringLiteral("Compare runs: parameters ('*' where they differ) and each metric's last, min and max."),
             {{QStringLiteral("metric"), {}, QStringLiteral("M"), QStringLiteral("only this metric (repeatable)"), true},
              {QStringLiteral("csv"), {}, {}, QStringLiteral("print CSV: a row per run")},
              jsonOption()},
             {{QStringLiteral("RUN"), QStringLiteral("two run ids (or unique prefixes) or more"), false, true}},
             false,
             compare});
}

} // namespace lb::cli
