// labbench runs list [--experiment E] [--filter Q] [--sort KEY [--desc]] [--columns K,…]
//                    [--archived] [--limit N] [--json | --csv]
// The runs search of issue 17 on the command line: the same parser as the runs table
// (core/query), run as one SQL query on the store.
#include "app/cli/JsonOutput.h"
#include "app/cli/RunCommands.h"
#include "core/live/RunColumns.h"
#include "core/live/RunSizes.h"
#include "core/runs/RunControl.h"
#include "core/store/Store.h"
#include "core/util/Error.h"
#include "core/util/Time.h"
#include "core/workspace/Workspace.h"

#include <algorithm>

namespace lb::cli {

namespace {

// A query error as the user sees it: the query, a caret under the column, the sentence.
UsageError queryUsageError(const char* option, const QString& text, const query::QueryError& e) {
    return UsageError(QStringLiteral("%1 is not a valid query at column %2: %3.\n  %4\n  %5^")
                          .arg(QString::fromLatin1(option))
                          .arg(e.column())
                          .arg(e.message(), text, QString(e.column() - 1, QLatin1Char(' '))));
}

QList<query::Key> parseColumns(const QString& text) {
    QList<query::Key> keys;
    // Commas split columns except inside back-quotes and parentheses: `a,b` and max(metrics.x).
    QString current;
    int depth = 0;
    bool quoted = false;
    auto flush = [&] {
        if (current.trimmed().isEmpty())
            throw UsageError(
                QStringLiteral("--columns has an empty entry; separate keys with single commas."));
        try {
            keys << query::parseKey(current.trimmed());
        } catch (const query::QueryError& e) {
            throw queryUsageError("--columns entry", current.trimmed(), e);
        }
        current.clear();
    };
    for (QChar c : text) {
        if (c == QLatin1Char('`'))
            quoted = !quoted;
        else if (!quoted && c == QLatin1Char('('))
            ++depth;
        else if (!quoted && c == QLatin1Char(')'))
            --depth;
        if (c == QLatin1Char(',') && !quoted && depth == 0)
            flush();
        else
            current += c;
    }
    flush();
    return keys;
}

QList<query::Key> defaultColumns() {
    QList<query::Key> keys;
    for (auto a : {query::Attribute::Id, query::Attribute::Name, query::Attribute::Experiment,
                   query::Attribute::Status, query::Attribute::Target, query::Attribute::Created}) {
        query::Key k;
        k.attribute = a;
        keys << k;
    }
    return keys;
}

QString csvField(const QString& text) {
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

Json jsonValue(const QVariant& v) {
    if (!v.isValid() || v.isNull()) return nullptr;
    switch (v.typeId()) {
    case QMetaType::Double: {
        const double d = v.toDouble();
        return std::isfinite(d) ? Json(d) : Json(toStd(displayText(v))); // "NaN", "Infinity"
    }
    case QMetaType::Int:
    case QMetaType::LongLong:
        return v.toLongLong();
    default:
        return toStd(v.toString());
    }
}

RunSearch searchFrom(Invocation& inv) {
    RunSearch search;
    search.experiment = inv.valueOr(QStringLiteral("experiment"), QString());
    search.includeArchived = inv.flag(QStringLiteral("archived"));
    if (auto q = inv.value(QStringLiteral("filter"))) {
        try {
            search.filter = query::parseQuery(*q);
        } catch (const query::QueryError& e) {
            throw queryUsageError("--filter", *q, e);
        }
    }
    if (auto s = inv.value(QStringLiteral("sort"))) {
        try {
            search.sortKey = query::parseKey(*s);
        } catch (const query::QueryError& e) {
            throw queryUsageError("--sort", *s, e);
        }
        search.descending = inv.flag(QStringLiteral("desc"));
    } else if (inv.flag(QStringLiteral("desc"))) {
        throw UsageError(QStringLiteral("--desc orders by the --sort key; give --sort KEY too."));
    }
    if (auto n = inv.intValue(QStringLiteral("limit"))) {
        if (*n < 0) throw UsageError(QStringLiteral("--limit needs a number of runs, 0 or more."));
        search.limit = static_cast<int>(*n);
    }
    return search;
}

bool isSize(const query::Key& key) {
    return key.kind == query::KeyKind::Attribute && key.attribute == query::Attribute::Size;
}

bool mentionsSize(const query::ExprPtr& e) {
    if (!e) return false;
    if (e->kind == query::Expr::Kind::Compare) return isSize(e->comparison.key);
    return std::any_of(e->children.begin(), e->children.end(), mentionsSize);
}

int listRuns(Invocation& inv) {
    if (inv.flag(QStringLiteral("json")) && inv.flag(QStringLiteral("csv")))
        throw UsageError(QStringLiteral("Choose one of --json and --csv."));
    const RunSearch search = searchFrom(inv);
    const auto columnsOption = inv.value(QStringLiteral("columns"));
    const QList<query::Key> columns =
        columnsOption ? parseColumns(*columnsOption) : defaultColumns();
    Workspace& ws = inv.workspace();
    reconcileRuns(ws);
    // Sizes are kept as last measured (by the runs table, or here): a query that asks for them
    // measures the folders first, so it never answers with stale or missing sizes.
    if (mentionsSize(search.filter) || (search.sortKey && isSize(*search.sortKey)) ||
        std::any_of(columns.begin(), columns.end(), isSize))
        measureRunDiskUsage(ws.store(), search.experiment);
    const QList<RunRecord> runs = ws.store().runs().search(search);
    const QList<QList<QVariant>> rows = runColumnValues(ws.store(), runs, columns);

    if (inv.flag(QStringLiteral("json"))) {
        Json out = Json::array();
        for (qsizetype i = 0; i < runs.size(); ++i) {
            Json j = runSummaryJson(runs[i]);
            if (columnsOption) {
                Json values = Json::object();
                for (qsizetype c = 0; c < columns.size(); ++c)
                    values[toStd(columns[c].text())] = jsonValue(rows[i][c]);
                j["columns"] = values;
            }
            out.push_back(j);
        }
        printJson(inv.out, out);
        return 0;
    }
    if (inv.flag(QStringLiteral("csv"))) {
        QStringList header;
        for (const auto& k : columns)
            header << csvField(k.text());
        inv.out << header.join(QLatin1Char(',')) << '\n';
        for (const auto& row : rows) {
            QStringList fields;
            for (const QVariant& v : row)
                fields << csvField(displayText(v));
            inv.out << fields.join(QLatin1Char(',')) << '\n';
        }
        return 0;
    }
    if (runs.isEmpty()) {
        if (search.filter || !search.experiment.isEmpty())
            inv.out << "No run matches.\n";
        else
            inv.out << "No runs yet; 'labbench submit --entry train.py' starts one.\n";
        return 0;
    }
    // Plain text: each column as wide as its widest value (capped), two spaces apart.
    QList<qsizetype> widths;
    for (qsizetype c = 0; c < columns.size(); ++c) {
        qsizetype w = columns[c].text().size();
        for (const auto& row : rows)
            w = std::max(w, displayText(row[c]).size());
        widths << std::min<qsizetype>(w, 48);
    }
    auto line = [&](const QStringList& cells) {
        QString text;
        for (qsizetype c = 0; c < cells.size(); ++c) {
            QString cell = cells[c];
            if (cell.size() > widths[c]) cell = cell.left(widths[c] - 1) + QChar(0x2026);
            text += c + 1 < cells.size() ? cell.leftJustified(widths[c] + 2) : cell;
        }
        inv.out << text << '\n';
    };
    QStringList header;
    for (const auto& k : columns)
        header << k.text().toUpper();
    line(header);
    for (const auto& row : rows) {
        QStringList cells;
        for (const QVariant& v : row)
            cells << displayText(v);
        line(cells);
    }
    return 0;
}

} // namespace

void registerRunListCommand(CommandLine& cli) {
    auto value = [](const char* name, const char* valueName, const char* help) {
        return OptionSpec{QString::fromLatin1(name),
                          {},
                          QString::fromLatin1(valueName),
                          QString::fromLatin1(help)};
    };
    auto flag = [](const char* name, const char* help) {
        return OptionSpec{QString::fromLatin1(name), {}, {}, QString::fromLatin1(help)};
    };
    cli.add(
        {{QStringLiteral("runs"), QStringLiteral("list")},
         QStringLiteral("List runs, newest first, or those a query selects in the order of a key."),
         {value("experiment", "E", "only this experiment's runs"),
          value("filter", "QUERY",
                "e.g. \"metrics.accuracy > 0.97 and params.lr <= 0.01 and status = 'Completed'\" "
                "(keys: metrics.NAME, min()/max(metrics.NAME), params.NAME, tags.NAME, id, name, "
                "status (Queued, Preparing, Running, Finalizing, Preempted, Completed, Failed, "
                "Canceled), experiment, target, number, created, start, end, duration, exit_code; =, !=, <, "
                "<=, >, "
                ">=, LIKE, ILIKE, IN (...), IS [NOT] NULL, AND, OR, NOT, parentheses)"),
          value("sort", "KEY", "order by this key (a metric, parameter, tag or attribute)"),
          flag("desc", "with --sort: largest first"),
          value("columns", "KEYS",
                "comma-separated keys to show (default: id,name,experiment,status,target,created)"),
          flag("archived", "include archived runs"), value("limit", "N", "at most N runs"),
          flag("csv", "print CSV (a header row, then one row a run)"), jsonOption()},
         {},
         false,
         listRuns});
}

} // namespace lb::cli
