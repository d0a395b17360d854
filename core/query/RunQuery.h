#pragma once
// The runs search language (issue 17), shared by the runs table and `labbench runs list --filter`.
// It reads like MLflow's search_runs filter, plus OR, NOT and parentheses:
//
//   metrics.accuracy > 0.97 and params.lr <= 0.01 and tags.stage = 'tuned' and status = 'Completed'
//   name LIKE '%bs128%'    attributes.start > '2026-12-01'    params.optimizer IN ('adam', sgd)
//   max(metrics.accuracy) >= 0.9    params.`learning rate` = 0.1    tags.note IS NULL
//
// Grammar (keywords in any case; a key's parts are identifiers or `back-quoted` names):
//
//   query      := [ or ] EOF
//   or         := and { OR and }
//   and        := unary { AND unary }
//   unary      := NOT unary | '(' or ')' | comparison
//   comparison := operand ( op value | [NOT] (LIKE | ILIKE) value
//                         | [NOT] IN '(' value { ',' value } ')' | IS [NOT] NULL )
//   operand    := key | (MIN | MAX | LAST) '(' key ')'          min/max/last: metrics only
//   key        := part { '.' part }      part := IDENT | `quoted`
//   op         := '=' | '==' | '!=' | '<>' | '<' | '<=' | '>' | '>='
//   value      := 'string' | "string" | NUMBER | IDENT          (quoted or not, alike)
//
// Keys: metrics.NAME (its last value unless min()/max() says otherwise), params.NAME (the script
// argument --NAME, -NAME or NAME), tags.NAME, and the attributes (with or without "attributes."):
// id, name, status, experiment, target, number, created, start, end, duration, exit_code.
// Everything after "metrics." / "params." / "tags." is the name, dots included.
// A comparison is numeric when both sides parse as numbers, and a string comparison otherwise.

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <stdexcept>
#include <variant>
#include <vector>

namespace lb::query {

// A query that does not parse: what is wrong, and the 1-based column where it is.
class QueryError : public std::runtime_error {
public:
    QueryError(int column, const QString& message);
    int column() const { return column_; }
    const QString& message() const { return message_; }

private:
    int column_;
    QString message_;
};

enum class KeyKind { Metric, Param, Tag, Attribute };
enum class MetricAggregate { Last, Min, Max };

// Size: the run folder's bytes on disk as last measured (RunFolders' recordRunDiskUsage).
enum class Attribute { Id, Name, Status, Experiment, Target, Number, Created, Start, End, Duration, ExitCode, Size };

// What a key names: one metric, parameter, tag or run attribute.
struct Key {
    KeyKind kind = KeyKind::Attribute;
    QString name;                // metric/param/tag name
    Attribute attribute = Attribute::Id;
    MetricAggregate aggregate = MetricAggregate::Last;
    QString text() const;        // as a user would write it: "metrics.accuracy", "status"
};

// A literal: its text, and its value when it parses as a number.
struct Value {
    QString text;
    std::optional<double> number;
};

enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge, Like, NotLike, ILike, NotILike, In, NotIn, IsNull, IsNotNull };

struct Comparison {
    Key key;
    CompareOp op = CompareOp::Eq;
    std::vector<Value> values; // one, several for IN, none for IS NULL
};

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr {
    enum class Kind { And, Or, Not, Compare } kind = Kind::Compare;
    std::vector<ExprPtr> children; // And/Or: two or more; Not: one
    Comparison comparison;         // Compare
};

// Parses a filter. An empty (or blank) query matches every run: nullptr. Throws QueryError.
ExprPtr parseQuery(const QString& text);

// Parses a sort or column key ("metrics.loss", "min(metrics.loss)", "params.lr", "start").
// Throws QueryError.
Key parseKey(const QString& text);

// The name a script parameter is known by: "--lr" and "-lr" are "lr"; "lr" stays "lr".
QString paramName(const QString& word);

// The script's argv words as (name, value) pairs: "--lr 0.1" and "--lr=0.1" give ("lr", "0.1"),
// a flag followed by another option or nothing gives (name, ""), positional words are left out.
std::vector<std::pair<QString, QString>> scriptParamPairs(const QStringList& words);

} // namespace lb::query
