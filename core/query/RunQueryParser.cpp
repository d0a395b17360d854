// A recursive-descent parser for the runs search language; the grammar is in RunQuery.h.
#include "core/query/RunQuery.h"
#include "core/query/RunQueryLexer.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <iterator>

namespace lb::query {

QueryError::QueryError(int column, const QString& message)
    : std::runtime_error(QStringLiteral("column %1: %2").arg(column).arg(message).toStdString()),
      column_(column), message_(message) {}

namespace {

struct AttributeName {
    const char* name;
    Attribute attribute;
};

// Accepted spellings; the first of each attribute is how it is shown.
constexpr AttributeName kAttributes[] = {
    {"id", Attribute::Id},           {"run_id", Attribute::Id},
    {"name", Attribute::Name},       {"run_name", Attribute::Name},
    {"status", Attribute::Status},   {"experiment", Attribute::Experiment},
    {"target", Attribute::Target},   {"compute_target", Attribute::Target},
    {"number", Attribute::Number},   {"created", Attribute::Created},
    {"start", Attribute::Start},     {"start_time", Attribute::Start},
    {"end", Attribute::End},         {"end_time", Attribute::End},
    {"duration", Attribute::Duration}, {"exit_code", Attribute::ExitCode},
    {"size", Attribute::Size},
};

QString attributeList() {
    QStringList shown;
    for (size_t i = 0; i < std::size(kAttributes); ++i)
        if (i == 0 || kAttributes[i].attribute != kAttributes[i - 1].attribute)
            shown << QString::fromLatin1(kAttributes[i].name);
    return shown.join(QStringLiteral(", "));
}

std::optional<double> asNumber(const QString& text) {
    const QByteArray bytes = text.trimmed().toLatin1();
    if (bytes.isEmpty() || text.trimmed().size() != text.size())
        return std::nullopt;
    for (char c : bytes) // strtod also reads "inf", "nan" and hex: those stay strings
        if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
            return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(bytes.constData(), &end);
    if (end != bytes.constData() + bytes.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

bool isKeyword(const Token& t, const char* word) {
    return t.kind == Token::Kind::Word && t.text.compare(QLatin1String(word), Qt::CaseInsensitive) == 0;
}

QString describe(const Token& t) {
    switch (t.kind) {
    case Token::Kind::End:
        return QStringLiteral("the end of the query");
    case Token::Kind::Quoted:
        return QStringLiteral("'%1'").arg(t.text);
    case Token::Kind::BackQuoted:
        return QStringLiteral("`%1`").arg(t.text);
    default:
        return QStringLiteral("'%1'").arg(t.text);
    }
}

class Parser {
public:
    explicit Parser(const QString& text) : tokens_(tokenize(text)) {}

    ExprPtr query() {
        if (peek().kind == Token::Kind::End)
            return nullptr;
        ExprPtr e = orExpr();
        if (peek().kind != Token::Kind::End)
            throw QueryError(peek().column, QStringLiteral("expected AND, OR or the end of the query, found %1")
                                                .arg(describe(peek())));
        return e;
    }

    Key keyOnly() {
        Key k = operand();
        if (peek().kind != Token::Kind::End)
            throw QueryError(peek().column, QStringLiteral("expected the end of the key, found %1").arg(describe(peek())));
        return k;
    }

private:
    const Token& peek(int ahead = 0) const {
        const size_t i = std::min(pos_ + size_t(ahead), tokens_.size() - 1);
        return tokens_[i];
    }
    const Token& next() {
        const Token& t = peek();
        if (pos_ < tokens_.size() - 1)
            ++pos_;
        return t;
    }

    ExprPtr combine(Expr::Kind kind, std::vector<ExprPtr> children) {
        if (children.size() == 1)
            return children.front();
        auto e = std::make_shared<Expr>();
        e->kind = kind;
        e->children = std::move(children);
        return e;
    }

    ExprPtr orExpr() {
        std::vector<ExprPtr> parts{andExpr()};
        while (isKeyword(peek(), "or")) {
            next();
            parts.push_back(andExpr());
        }
        return combine(Expr::Kind::Or, std::move(parts));
    }

    ExprPtr andExpr() {
        std::vector<ExprPtr> parts{unary()};
        while (isKeyword(peek(), "and")) {
            next();
            parts.push_back(unary());
        }
        return combine(Expr::Kind::And, std::move(parts));
    }

    // NOT and '(' recurse: a filter of a hundred thousand '(' (a CLI argument may be that long)
    // would overflow the stack (#20 item 5). No one nests a query this deep by hand.
    static constexpr int kMaxDepth = 200;

    ExprPtr unary() {
        if (depth_ >= kMaxDepth)
            throw QueryError(peek().column, QStringLiteral("the query nests NOT and parentheses more than %1 deep")
                                                .arg(kMaxDepth));
        ++depth_;
        ExprPtr e = unaryBody();
        --depth_;
        return e;
    }

    ExprPtr unaryBody() {
        if (isKeyword(peek(), "not")) {
            next();
            auto e = std::make_shared<Expr>();
            e->kind = Expr::Kind::Not;
            e->children.push_back(unary());
            return e;
        }
        if (peek().kind == Token::Kind::LParen) {
            const int column = next().column;
            ExprPtr inner = orExpr();
            if (peek().kind != Token::Kind::RParen)
                throw QueryError(peek().column, QStringLiteral("expected ')' to close the '(' at column %1, found %2")
                                                    .arg(column)
                                                    .arg(describe(peek())));
            next();
            return inner;
        }
        auto e = std::make_shared<Expr>();
        e->kind = Expr::Kind::Compare;
        e->comparison = comparison();
        return e;
    }

    // The parts of one key: words split at dots, back-quoted names kept whole, glued together.
    QStringList keyParts(int* column) {
        const Token& first = peek();
        if (first.kind != Token::Kind::Word && first.kind != Token::Kind::BackQuoted)
            throw QueryError(first.column, QStringLiteral("expected a key such as metrics.accuracy, params.lr, "
                                                          "tags.stage or status, found %1")
                                               .arg(describe(first)));
        *column = first.column;
        QStringList parts;
        bool open = true; // the last part ended with a dot: another part may follow
        do {
            const Token& t = next();
            if (t.kind == Token::Kind::BackQuoted) {
                parts << t.text;
                open = false;
            } else {
                QStringList split = t.text.split(QLatin1Char('.'));
                open = split.last().isEmpty();
                if (open)
                    split.removeLast();
                if (!split.isEmpty() && split.first().isEmpty())
                    split.removeFirst();
                parts << split;
            }
        } while (peek().glued && (peek().kind == Token::Kind::BackQuoted ||
                                  (open && peek().kind == Token::Kind::Word)));
        return parts;
    }

    Key key() {
        int column = 0;
        const QStringList parts = keyParts(&column);
        Key k;
        const QString head = parts.value(0).toLower();
        const QString rest = parts.mid(1).join(QLatin1Char('.'));
        auto named = [&](KeyKind kind, const char* what) {
            if (rest.isEmpty())
                throw QueryError(column, QStringLiteral("'%1' needs a %2 name after the dot, such as %1.%3")
                                             .arg(parts.value(0), QString::fromLatin1(what),
                                                  QString::fromLatin1(kind == KeyKind::Metric  ? "accuracy"
                                                                      : kind == KeyKind::Param ? "lr"
                                                                                               : "stage")));
            k.kind = kind;
            k.name = rest;
        };
        if (head == QLatin1String("metrics") || head == QLatin1String("metric")) {
            named(KeyKind::Metric, "metric");
        } else if (head == QLatin1String("params") || head == QLatin1String("param") ||
                   head == QLatin1String("parameters")) {
            named(KeyKind::Param, "parameter");
            k.name = paramName(k.name);
        } else if (head == QLatin1String("tags") || head == QLatin1String("tag")) {
            named(KeyKind::Tag, "tag");
        } else {
            const bool prefixed = head == QLatin1String("attributes") || head == QLatin1String("attribute") ||
                                  head == QLatin1String("attr");
            const QString name = (prefixed ? rest : parts.join(QLatin1Char('.'))).toLower();
            bool found = false;
            for (const auto& a : kAttributes)
                if (name == QLatin1String(a.name)) {
                    k.attribute = a.attribute;
                    found = true;
                }
            if (!found)
                throw QueryError(column, QStringLiteral("unknown key '%1': use metrics.NAME, params.NAME, tags.NAME "
                                                        "or an attribute (%2)")
                                             .arg(parts.join(QLatin1Char('.')), attributeList()));
            k.kind = KeyKind::Attribute;
        }
        return k;
    }

    // key, or min(key) / max(key) / last(key) for metrics.
    Key operand() {
        const Token& t = peek();
        const bool call = t.kind == Token::Kind::Word && peek(1).kind == Token::Kind::LParen && peek(1).glued;
        if (!call)
            return key();
        MetricAggregate aggregate;
        if (isKeyword(t, "min"))
            aggregate = MetricAggregate::Min;
        else if (isKeyword(t, "max"))
            aggregate = MetricAggregate::Max;
        else if (isKeyword(t, "last"))
            aggregate = MetricAggregate::Last;
        else
            throw QueryError(t.column, QStringLiteral("unknown function '%1': min(), max() and last() take a metric")
                                           .arg(t.text));
        next();
        next(); // (
        const int column = peek().column;
        Key k = key();
        if (k.kind != KeyKind::Metric)
            throw QueryError(column, QStringLiteral("%1() takes a metric, such as %1(metrics.accuracy)").arg(t.text.toLower()));
        k.aggregate = aggregate;
        if (peek().kind != Token::Kind::RParen)
            throw QueryError(peek().column, QStringLiteral("expected ')' after the metric, found %1").arg(describe(peek())));
        next();
        return k;
    }

    Value value(const Key& key, bool pattern) {
        const Token& t = peek();
        if (t.kind != Token::Kind::Word && t.kind != Token::Kind::Quoted)
            throw QueryError(t.column, QStringLiteral("expected a value after the operator, found %1").arg(describe(t)));
        next();
        Value v;
        v.text = t.text;
        v.number = asNumber(t.text);
        const bool numericKey = key.kind == KeyKind::Metric ||
                                (key.kind == KeyKind::Attribute &&
                                 (key.attribute == Attribute::Number || key.attribute == Attribute::Duration ||
                                  key.attribute == Attribute::ExitCode || key.attribute == Attribute::Size));
        if (numericKey && !pattern && !v.number)
            throw QueryError(t.column, QStringLiteral("%1 is a number, so compare it with a number, not %2")
                                           .arg(key.text(), describe(t)));
        if (numericKey && pattern)
            throw QueryError(t.column, QStringLiteral("%1 is a number: LIKE compares text (use <, >, = instead)")
                                           .arg(key.text()));
        return v;
    }

    Comparison comparison() {
        Comparison c;
        c.key = operand();
        const Token& t = peek();
        if (t.kind == Token::Kind::Op) {
            next();
            const QString& op = t.text;
            c.op = op == QLatin1String("=") || op == QLatin1String("==") ? CompareOp::Eq
                   : op == QLatin1String("!=") || op == QLatin1String("<>") ? CompareOp::Ne
                   : op == QLatin1String("<")                               ? CompareOp::Lt
                   : op == QLatin1String("<=")                              ? CompareOp::Le
                   : op == QLatin1String(">")                               ? CompareOp::Gt
                                                                            : CompareOp::Ge;
            c.values.push_back(value(c.key, false));
            return c;
        }
        bool negated = false;
        if (isKeyword(t, "not")) {
            negated = true;
            next();
        }
        const Token& word = peek();
        if (isKeyword(word, "like") || isKeyword(word, "ilike")) {
            const bool insensitive = isKeyword(word, "ilike");
            next();
            c.op = insensitive ? (negated ? CompareOp::NotILike : CompareOp::ILike)
                               : (negated ? CompareOp::NotLike : CompareOp::Like);
            c.values.push_back(value(c.key, true));
            return c;
        }
        if (isKeyword(word, "in")) {
            next();
            c.op = negated ? CompareOp::NotIn : CompareOp::In;
            if (peek().kind != Token::Kind::LParen)
                throw QueryError(peek().column, QStringLiteral("IN takes a list in parentheses, such as IN ('a', 'b')"));
            next();
            for (;;) {
                c.values.push_back(value(c.key, false));
                if (peek().kind == Token::Kind::Comma) {
                    next();
                    continue;
                }
                if (peek().kind != Token::Kind::RParen)
                    throw QueryError(peek().column, QStringLiteral("expected ',' or ')' in the IN list, found %1")
                                                        .arg(describe(peek())));
                next();
                return c;
            }
        }
        if (!negated && isKeyword(word, "is")) {
            next();
            bool isNot = false;
            if (isKeyword(peek(), "not")) {
                next();
                isNot = true;
            }
            if (!isKeyword(peek(), "null"))
                throw QueryError(peek().column, QStringLiteral("expected NULL after IS%1").arg(isNot ? QStringLiteral(" NOT") : QString()));
            next();
            c.op = isNot ? CompareOp::IsNotNull : CompareOp::IsNull;
            return c;
        }
        throw QueryError(word.column, QStringLiteral("expected an operator after %1 (=, !=, <, <=, >, >=, LIKE, ILIKE, "
                                                     "IN, IS NULL), found %2")
                                          .arg(c.key.text(), describe(word)));
    }

    std::vector<Token> tokens_;
    size_t pos_ = 0;
    int depth_ = 0; // NOT and '(' levels open around the current token
};

} // namespace

QString Key::text() const {
    auto quoted = [](const QString& n) {
        // A bare word's trailing '.' is read as "another part follows", so a name ending in one
        // is written quoted too (fuzz_query: "metrics..x." came back as ".x").
        const bool endsInDot = n.endsWith(QLatin1Char('.'));
        for (QChar c : n)
            if (endsInDot || c.isSpace() || c == QLatin1Char('`') || c == QLatin1Char('(') || c == QLatin1Char(')') ||
                c == QLatin1Char('\'') || c == QLatin1Char('"') || c == QLatin1Char(',') || c == QLatin1Char('=') ||
                c == QLatin1Char('<') || c == QLatin1Char('>') || c == QLatin1Char('!')) {
                // Inside back quotes the lexer reads '\\' as an escape and '``' as one '`': write
                // them so, or the text names another key (#20 item 5, fuzz_query).
                QString escaped = n;
                escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('`'), QStringLiteral("``"));
                return QStringLiteral("`%1`").arg(escaped);
            }
        return n;
    };
    switch (kind) {
    case KeyKind::Metric: {
        const QString base = QStringLiteral("metrics.") + quoted(name);
        return aggregate == MetricAggregate::Min   ? QStringLiteral("min(%1)").arg(base)
               : aggregate == MetricAggregate::Max ? QStringLiteral("max(%1)").arg(base)
                                                   : base;
    }
    case KeyKind::Param:
        // paramName() drops up to two leading dashes when the key is read back: a name that
        // itself starts with '-' gets two more, so that "params.---x" stays "-x".
        return QStringLiteral("params.") + quoted(name.startsWith(QLatin1Char('-')) ? QStringLiteral("--") + name : name);
    case KeyKind::Tag:
        return QStringLiteral("tags.") + quoted(name);
    case KeyKind::Attribute:
        for (const auto& a : kAttributes)
            if (a.attribute == attribute)
                return QString::fromLatin1(a.name);
    }
    return {};
}

ExprPtr parseQuery(const QString& text) { return Parser(text).query(); }

Key parseKey(const QString& text) {
    if (text.trimmed().isEmpty())
        throw QueryError(1, QStringLiteral("the key is empty: name a metric, parameter, tag or attribute"));
    return Parser(text).keyOnly();
}

QString paramName(const QString& word) {
    qsizetype dashes = 0;
    while (dashes < word.size() && dashes < 2 && word[dashes] == QLatin1Char('-'))
        ++dashes;
    return dashes < word.size() ? word.mid(dashes) : word;
}

std::vector<std::pair<QString, QString>> scriptParamPairs(const QStringList& words) {
    std::vector<std::pair<QString, QString>> pairs;
    auto isOption = [](const QString& w) {
        return w.size() > 1 && w.startsWith(QLatin1Char('-')) && !asNumber(w); // "-5" is a value
    };
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QString& w = words[i];
        if (!isOption(w))
            continue; // a positional word
        const qsizetype eq = w.indexOf(QLatin1Char('='));
        if (eq > 0) {
            pairs.emplace_back(paramName(w.left(eq)), w.mid(eq + 1));
        } else if (i + 1 < words.size() && !isOption(words[i + 1])) {
            pairs.emplace_back(paramName(w), words[i + 1]);
            ++i;
        } else {
            pairs.emplace_back(paramName(w), QString());
        }
    }
    return pairs;
}

} // namespace lb::query
