// labbench runs compare RUN RUN… [--metric M]… [--csv | --json]: runs side by side (issue 17):
// their parameters (those that differ marked), and each metric's last, min and max with the
// steps where the min and max came.
#include "app/cli/JsonOutput.h"
#include "app/cli/RunCommands.h"

#include "core/live/CompareModel.h"
#include "core/live/RunColumns.h"
#include "core/runs/RunControl.h"
#include "core/util/Error.h"
#include "core/workspace/Workspace.h"

#include <QSet>

#include <cmath>

namespace lb::cli {

namespace {

struct Table {
    QStringList params;    // every parameter any run has, in first-seen order
    QSet<QString> differ;  // those whose value is not the same in every run (or missing in one)
    QStringList metrics;   // every metric any run has (or the --metric ones), sorted
};

QString paramValue(const CompareRow& row, const QString& name) {
    for (const auto& [flag, value] : row.params)
        if (flag == name)
            return value;
    return {};
}

bool hasParam(const CompareRow& row, const QString& name) {
    for (const auto& p : row.params)
        if (p.first == name)
            return true;
    return false;
}

Table tableOf(const CompareData& data, const QStringList& onlyMetrics) {
    Table t;
    QSet<QString> metricSet;
    for (const CompareRow& row : data.rows) {
        for (const auto& p : row.params)
            if (!t.params.contains(p.first))
                t.params << p.first;
        for (auto it = row.metrics.begin(); it != row.metrics.end(); ++it)
            if (onlyMetrics.isEmpty() || onlyMetrics.contains(it.key()))
                metricSet.insert(it.key());
    }
    for (const QString& p : t.params) {
        const CompareRow& first = data.rows.first();
        for (const CompareRow& row : data.rows)
            if (hasParam(row, p) != hasParam(first, p) || paramValue(row, p) != paramValue(first, p))
                t.differ.insert(p);
    }
    t.metrics = QStringList(metricSet.begin(), metricSet.end());
    t.metrics.sort();
    return t;
}

Json number(double v) { return std::isfinite(v) ? Json(v) : Json(toStd(displayText(v))); }

QString csvField(const QString& text) {
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')))
        return text;
    QString q = text;
    q.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

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
    const Table t = tableOf(data, onlyMetrics);
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
    QStringList header{QStringLiteral("run"), QStringLiteral("name")};
    for (const QString& p : t.params)
        header << p;
    for (const QString& m : t.metrics)
        header << m + QStringLiteral(".last") << m + QStringLiteral(".min") << m + QStringLiteral(".max");
    QList<QStringList> rows;
    for (const CompareRow& row : data.rows) {
        QStringList cells{row.run.id, row.run.name};
        for (const QString& p : t.params)
            cells << (hasParam(row, p) ? paramValue(row, p) : QString());
        for (const QString& m : t.metrics) {
            if (!row.metrics.contains(m)) {
                cells << QString() << QString() << QString();
                continue;
            }
            const MetricSummary& s = row.metrics[m];
            cells << displayText(s.last) << QStringLiteral("%1 @%2").arg(displayText(s.min)).arg(s.minStep)
                  << QStringLiteral("%1 @%2").arg(displayText(s.max)).arg(s.maxStep);
        }
        rows << cells;
    }
    if (inv.flag(QStringLiteral("csv"))) {
        QStringList fields;
        for (const QString& h : header)
            fields << csvField(h);
        inv.out << fields.join(QLatin1Char(',')) << '\n';
        for (const QStringList& cells : rows) {
            fields.clear();
            for (const QString& c : cells)
                fields << csvField(c);
            inv.out << fields.join(QLatin1Char(',')) << '\n';
        }
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
