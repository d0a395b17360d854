// RunRepository::search: a parsed runs query (core/query) as one SQL statement with bound
// parameters. A test on a parameter, tag or metric summary is `r.id IN (SELECT run_id …)` over
// that table's (name, value) index: one range scan of the key's rows, not one lookup per run, so
// a filter over 10,000 runs reads only the key it compares. A sort key is one LEFT JOIN, read
// once per run. lb_num() (registered by Database) is a value's number when it parses as one.
#include "core/store/Database.h"
#include "core/store/Repositories.h"
#include "core/store/RunRows.h"
#include "core/util/Json.h"

#include <variant>
#include <vector>

namespace lb {

namespace {

using query::Attribute;
using query::CompareOp;
using query::Comparison;
using query::Expr;
using query::Key;
using query::KeyKind;
using query::Value;

using Bound = std::variant<double, QString>;

class SqlBuilder {
public:
    // "?N" for a new parameter.
    std::string bind(Bound value) {
        binds_.push_back(std::move(value));
        return "?" + std::to_string(binds_.size());
    }
    const std::vector<Bound>& binds() const { return binds_; }

    std::string expr(const Expr& e) {
        switch (e.kind) {
        case Expr::Kind::And:
        case Expr::Kind::Or: {
            std::string out = "(";
            for (size_t i = 0; i < e.children.size(); ++i) {
                if (i)
                    out += e.kind == Expr::Kind::And ? " AND " : " OR ";
                out += expr(*e.children[i]);
            }
            return out + ")";
        }
        case Expr::Kind::Not:
            return "(NOT " + expr(*e.children.front()) + ")";
        case Expr::Kind::Compare:
            return comparison(e.comparison);
        }
        return "1";
    }

    // The LEFT JOIN that brings a sort key's value to each run (empty for attributes), and the
    // expression for it.
    std::string sortJoin(const Key& key) {
        switch (key.kind) {
        case KeyKind::Metric:
            return " LEFT JOIN metric_series sk ON sk.run_id = r.id AND sk.name = " + bind(key.name);
        case KeyKind::Param:
            return " LEFT JOIN run_params sk ON sk.run_id = r.id AND sk.name = " + bind(key.name);
        case KeyKind::Tag:
            return " LEFT JOIN run_tags sk ON sk.run_id = r.id AND sk.key = " + bind(key.name);
        case KeyKind::Attribute:
            return {};
        }
        return {};
    }
    static std::string sortValue(const Key& key) {
        switch (key.kind) {
        case KeyKind::Metric: return "sk." + metricColumn(key);
        case KeyKind::Param:
        case KeyKind::Tag: return "sk.value";
        case KeyKind::Attribute: return attributeColumn(key.attribute);
        }
        return "NULL";
    }

private:
    static std::string metricColumn(const Key& key) {
        return key.aggregate == query::MetricAggregate::Min   ? "min_value"
               : key.aggregate == query::MetricAggregate::Max ? "max_value"
                                                              : "last_value";
    }

    static std::string attributeColumn(Attribute a) {
        switch (a) {
        case Attribute::Id: return "r.id";
        case Attribute::Name: return "r.name";
        case Attribute::Status: return "r.status";
        case Attribute::Experiment: return "e.name";
        case Attribute::Target: return "r.compute_target";
        case Attribute::Number: return "r.number";
        case Attribute::Created: return "r.created";
        case Attribute::Start: return "r.started";
        case Attribute::End: return "r.ended";
        case Attribute::ExitCode: return "r.exit_code";
        case Attribute::Size: return "(SELECT u.bytes FROM run_disk_usage u WHERE u.run_id = r.id)";
        case Attribute::Duration:
            return "((julianday(coalesce(r.ended, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))) - julianday(r.started)) "
                   "* 86400.0)";
        }
        return "NULL";
    }

    static bool numericAttribute(Attribute a) {
        return a == Attribute::Number || a == Attribute::ExitCode || a == Attribute::Duration || a == Attribute::Size;
    }

    static const char* sqlOp(CompareOp op) {
        switch (op) {
        case CompareOp::Eq: return "=";
        case CompareOp::Ne: return "<>";
        case CompareOp::Lt: return "<";
        case CompareOp::Le: return "<=";
        case CompareOp::Gt: return ">";
        case CompareOp::Ge: return ">=";
        default: return "=";
        }
    }

    // LIKE is case-sensitive, as in MLflow: the pattern becomes a GLOB (% -> *, _ -> ?).
    static QString likeToGlob(const QString& like) {
        QString glob;
        for (QChar c : like) {
            if (c == QLatin1Char('%'))
                glob += QLatin1Char('*');
            else if (c == QLatin1Char('_'))
                glob += QLatin1Char('?');
            else if (c == QLatin1Char('*') || c == QLatin1Char('?') || c == QLatin1Char('['))
                glob += QLatin1Char('[') + c + QLatin1Char(']');
            else
                glob += c;
        }
        return glob;
    }

    // `column op value` for a text column: numeric when both sides are numbers, text otherwise.
    std::string compareText(const std::string& column, CompareOp op, const Value& v, bool nocase = false) {
        const std::string text = column + " " + sqlOp(op) + " " + bind(v.text) + (nocase ? " COLLATE NOCASE" : "");
        if (!v.number)
            return text;
        return "(CASE WHEN lb_num(" + column + ") IS NOT NULL THEN lb_num(" + column + ") " + sqlOp(op) + " " +
               bind(*v.number) + " ELSE " + text + " END)";
    }

    // One test of `column` (text unless `numeric`) against the comparison's values.
    std::string test(const std::string& column, const Comparison& c, bool numeric, bool nocase) {
        auto one = [&](CompareOp op, const Value& v) {
            if (numeric)
                return column + " " + sqlOp(op) + " " + bind(*v.number);
            return compareText(column, op, v, nocase);
        };
        switch (c.op) {
        case CompareOp::Like:
        case CompareOp::NotLike: {
            const std::string t = column + " GLOB " + bind(likeToGlob(c.values.front().text));
            return c.op == CompareOp::Like ? t : "NOT (" + t + ")";
        }
        case CompareOp::ILike:
        case CompareOp::NotILike: {
            const std::string t = column + " LIKE " + bind(c.values.front().text);
            return c.op == CompareOp::ILike ? t : "NOT (" + t + ")";
        }
        case CompareOp::In:
        case CompareOp::NotIn: {
            std::string any = "(";
            for (size_t i = 0; i < c.values.size(); ++i)
                any += (i ? " OR " : "") + one(CompareOp::Eq, c.values[i]);
            any += ")";
            return c.op == CompareOp::In ? any : "NOT " + any;
        }
        default:
            return one(c.op, c.values.front());
        }
    }

    std::string comparison(const Comparison& c) {
        const bool nullTest = c.op == CompareOp::IsNull || c.op == CompareOp::IsNotNull;
        // run_id is never NULL, so NOT IN is the exact negation of IN here.
        const std::string in = c.op == CompareOp::IsNull ? "r.id NOT IN" : "r.id IN";
        switch (c.key.kind) {
        case KeyKind::Metric: {
            const std::string col = "s." + metricColumn(c.key);
            return in + " (SELECT s.run_id FROM metric_series s WHERE s.name = " + bind(c.key.name) + " AND " +
                   (nullTest ? col + " IS NOT NULL" : test(col, c, true, false)) + ")";
        }
        case KeyKind::Param:
            return in + " (SELECT p.run_id FROM run_params p WHERE p.name = " + bind(c.key.name) +
                   (nullTest ? std::string() : " AND " + test("p.value", c, false, false)) + ")";
        case KeyKind::Tag:
            return in + " (SELECT t.run_id FROM run_tags t WHERE t.key = " + bind(c.key.name) +
                   (nullTest ? std::string() : " AND " + test("t.value", c, false, false)) + ")";
        case KeyKind::Attribute: {
            const std::string col = attributeColumn(c.key.attribute);
            if (nullTest)
                return col + (c.op == CompareOp::IsNull ? " IS NULL" : " IS NOT NULL");
            const std::string t = test(col, c, numericAttribute(c.key.attribute),
                                       c.key.attribute == Attribute::Status);
            return "(" + col + " IS NOT NULL AND " + t + ")";
        }
        }
        return "1";
    }

    std::vector<Bound> binds_;
};

// FROM … WHERE … for a search, its parameters in `sql`.
std::string whereClause(SqlBuilder& sql, const RunSearch& search) {
    std::string where = " WHERE 1";
    if (!search.experiment.isEmpty())
        where += " AND e.name = " + sql.bind(search.experiment);
    // "+r.archived": the flag never chooses the plan. Without the plus, SQLite (no ANALYZE
    // statistics) read every unarchived run through runs_by_archived and sorted them (58 ms at
    // 10,000 runs, not 1 ms down runs_by_created), and a filter checked its IN lists against all of
    // them (11 ms, not 3). A count still reads runs_by_archived, as its covering index.
    if (search.onlyArchived)
        where += " AND +r.archived = 1";
    else if (!search.includeArchived)
        where += " AND +r.archived = 0";
    if (search.filter)
        where += " AND " + sql.expr(*search.filter);
    return where;
}

void bindAll(Statement& s, const SqlBuilder& sql) {
    int i = 1;
    for (const Bound& b : sql.binds()) {
        if (const double* d = std::get_if<double>(&b))
            s.bind(i, *d);
        else
            s.bind(i, std::get<QString>(b));
        ++i;
    }
}

} // namespace

QList<RunRecord> RunRepository::search(const RunSearch& search) {
    SqlBuilder sql;
    std::string text = std::string(kRunColumns) + (search.sortKey ? sql.sortJoin(*search.sortKey) : std::string()) +
                       whereClause(sql, search) + " ORDER BY ";
    if (search.sortKey) {
        const std::string value = SqlBuilder::sortValue(*search.sortKey);
        const char* dir = search.descending ? " DESC" : " ASC";
        // Runs without the value last either way; metric summaries are numbers, other values
        // sort numbers before text, each in order.
        if (search.sortKey->kind == KeyKind::Metric)
            text += value + " IS NULL, " + value + dir + ", ";
        else
            text += value + " IS NULL, lb_num(" + value + ") IS NULL, lb_num(" + value + ")" + dir + ", " + value +
                    dir + ", ";
    }
    text += "r.created DESC, r.rowid DESC";
    if (search.limit >= 0 || search.offset > 0)
        text += " LIMIT " + std::to_string(search.limit >= 0 ? search.limit : -1) + " OFFSET " +
                std::to_string(std::max(0, search.offset));
    Statement s(db_, text);
    bindAll(s, sql);
    QList<RunRecord> runs;
    while (s.step())
        runs.append(readRun(s));
    return runs;
}

QHash<QString, QVariant> RunRepository::keyValues(const query::Key& key, const QStringList& runIds) {
    if (runIds.isEmpty())
        return {};
    std::string sql;
    switch (key.kind) {
    case KeyKind::Metric:
        sql = key.aggregate == query::MetricAggregate::Min   ? "SELECT run_id, min_value FROM metric_series WHERE name = ?1"
              : key.aggregate == query::MetricAggregate::Max ? "SELECT run_id, max_value FROM metric_series WHERE name = ?1"
                                                             : "SELECT run_id, last_value FROM metric_series WHERE name = ?1";
        break;
    case KeyKind::Param:
        sql = "SELECT run_id, value FROM run_params WHERE name = ?1";
        break;
    case KeyKind::Tag:
        sql = "SELECT run_id, value FROM run_tags WHERE key = ?1";
        break;
    case KeyKind::Attribute:
        return {};
    }
    // Only the asked runs, each found through its (run_id, name) key: a page of 200 runs reads
    // 200 rows, not the key's value for every run of the workspace.
    sql += " AND run_id IN (SELECT value FROM json_each(?2))";
    Json ids = Json::array();
    for (const QString& id : runIds)
        ids.push_back(id.toStdString());
    Statement s(db_, sql);
    s.bind(1, key.name);
    s.bind(2, ids.dump());
    QHash<QString, QVariant> values;
    while (s.step()) {
        if (s.isNull(1))
            continue;
        values.insert(s.text(0), key.kind == KeyKind::Metric ? QVariant(s.real(1)) : QVariant(s.text(1)));
    }
    return values;
}

QStringList RunRepository::keyNames(query::KeyKind kind, const QString& experiment) {
    std::string table, column;
    switch (kind) {
    case KeyKind::Metric: table = "metric_series"; column = "name"; break;
    case KeyKind::Param: table = "run_params"; column = "name"; break;
    case KeyKind::Tag: table = "run_tags"; column = "key"; break;
    case KeyKind::Attribute: return {};
    }
    std::string sql = "SELECT DISTINCT x." + column + " FROM " + table + " x";
    if (!experiment.isEmpty())
        sql += " JOIN runs r ON r.id = x.run_id JOIN experiments e ON e.id = r.experiment_id WHERE e.name = ?1";
    sql += " ORDER BY 1";
    Statement s(db_, sql);
    if (!experiment.isEmpty())
        s.bind(1, experiment);
    QStringList names;
    while (s.step())
        names << s.text(0);
    return names;
}

int RunRepository::countMatching(const RunSearch& search) {
    SqlBuilder sql;
    Statement s(db_, "SELECT count(*) FROM runs r JOIN experiments e ON e.id = r.experiment_id" +
                         whereClause(sql, search));
    bindAll(s, sql);
    return s.step() ? static_cast<int>(s.int64(0)) : 0;
}

} // namespace lb
