// The runs search language's parser (issue 17): the queries users of MLflow write parse into the
// comparisons they mean, and each bad query names the column where it goes wrong.
#include "core/query/RunQuery.h"

#include <QTest>

using namespace lb::query;

namespace {

// A compact rendering of a parsed query, to compare whole trees in one line.
QString render(const ExprPtr& e) {
    if (!e)
        return QStringLiteral("*");
    switch (e->kind) {
    case Expr::Kind::And:
    case Expr::Kind::Or: {
        QStringList parts;
        for (const auto& c : e->children)
            parts << render(c);
        return QStringLiteral("(") + parts.join(e->kind == Expr::Kind::And ? QStringLiteral(" & ") : QStringLiteral(" | ")) +
               QStringLiteral(")");
    }
    case Expr::Kind::Not:
        return QStringLiteral("!") + render(e->children.front());
    case Expr::Kind::Compare: {
        static const char* ops[] = {"=", "!=", "<", "<=", ">", ">=", "like", "notlike", "ilike", "notilike",
                                    "in", "notin", "isnull", "notnull"};
        QStringList values;
        for (const auto& v : e->comparison.values)
            values << (v.number ? QStringLiteral("#") + QString::number(*v.number) : QStringLiteral("'") + v.text + QStringLiteral("'"));
        return e->comparison.key.text() + QLatin1Char(' ') + QLatin1String(ops[int(e->comparison.op)]) +
               (values.isEmpty() ? QString() : QLatin1Char(' ') + values.join(QLatin1Char(',')));
    }
    }
    return {};
}

} // namespace

class RunQueryTest : public QObject {
    Q_OBJECT

private slots:
    void goodQueries_data() {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("tree");
        QTest::newRow("issue example") << "metrics.accuracy > 0.97 and params.lr <= 0.01 and tags.stage = 'tuned' and status = 'Completed'"
                                       << "(metrics.accuracy > #0.97 & params.lr <= #0.01 & tags.stage = 'tuned' & status = 'Completed')";
        QTest::newRow("like") << "name LIKE '%bs128%'" << "name like '%bs128%'";
        QTest::newRow("attributes prefix") << "attributes.start > '2026-12-01'" << "start > '2026-12-01'";
        QTest::newRow("in, unquoted and quoted") << "params.optimizer IN ('adam', sgd, \"rms prop\")"
                                                 << "params.optimizer in 'adam','sgd','rms prop'";
        QTest::newRow("not in") << "status NOT IN ('Failed','Canceled')" << "status notin 'Failed','Canceled'";
        QTest::newRow("unquoted string") << "tags.stage = tuned" << "tags.stage = 'tuned'";
        QTest::newRow("keywords any case") << "params.lr = 1 AND params.b = 2 Or not tags.x IS NULL"
                                           << "((params.lr = #1 & params.b = #2) | !tags.x isnull)";
        QTest::newRow("parentheses bind") << "(params.a = 1 or params.b = 2) and status = Completed"
                                          << "((params.a = #1 | params.b = #2) & status = 'Completed')";
        QTest::newRow("--lr is lr") << "params.--lr = 0.1" << "params.lr = #0.1";
        QTest::newRow("backquoted name") << "params.`learning rate` >= 1e-3" << "params.`learning rate` >= #0.001";
        QTest::newRow("dotted metric") << "metrics.eval.acc != 0.5" << "metrics.eval.acc != #0.5";
        QTest::newRow("min max") << "max(metrics.acc) > 0.9 and min(metrics.loss) < 0.1"
                                 << "(max(metrics.acc) > #0.9 & min(metrics.loss) < #0.1)";
        QTest::newRow("no blanks") << "params.lr<=0.01" << "params.lr <= #0.01";
        QTest::newRow("double equals, <>") << "params.a == 1 and params.b <> 2" << "(params.a = #1 & params.b != #2)";
        QTest::newRow("negative number") << "metrics.delta > -5" << "metrics.delta > #-5";
        QTest::newRow("escaped quote") << "tags.note = 'it''s'" << "tags.note = 'it's'";
        QTest::newRow("is not null") << "tags.owner is not null" << "tags.owner notnull";
        QTest::newRow("ilike") << "name not ilike '%BASE%'" << "name notilike '%BASE%'";
        QTest::newRow("empty") << "   " << "*";
    }
    void goodQueries() {
        QFETCH(QString, query);
        QFETCH(QString, tree);
        QCOMPARE(render(parseQuery(query)), tree);
    }

    // Each bad query is refused with the column where it goes wrong (1-based).
    void badQueriesNameTheirColumn_data() {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("says");
        QTest::newRow("unknown attribute") << "stat = 'x'" << 1 << "unknown key 'stat'";
        QTest::newRow("missing operator") << "metrics.acc 0.9" << 13 << "expected an operator";
        QTest::newRow("missing value") << "params.lr =" << 12 << "expected a value";
        QTest::newRow("text for a metric") << "metrics.acc > high" << 15 << "compare it with a number";
        QTest::newRow("unterminated string") << "tags.a = 'open" << 10 << "no closing";
        QTest::newRow("dangling and") << "params.a = 1 and" << 17 << "expected a key";
        QTest::newRow("two comparisons without and") << "params.a = 1 params.b = 2" << 14 << "expected AND, OR";
        QTest::newRow("unclosed paren") << "(params.a = 1" << 14 << "to close the '(' at column 1";
        QTest::newRow("lone bang") << "params.a ! 1" << 10 << "'!' must be followed by '='";
        QTest::newRow("in without list") << "params.a in 1" << 13 << "IN takes a list";
        QTest::newRow("like on a metric") << "metrics.acc like '9%'" << 18 << "LIKE compares text";
        QTest::newRow("no name after prefix") << "metrics. > 1" << 1 << "needs a metric name";
        QTest::newRow("function on a param") << "max(params.lr) > 1" << 5 << "takes a metric";
        QTest::newRow("unknown function") << "avg(metrics.x) > 1" << 1 << "unknown function 'avg'";
        QTest::newRow("is what") << "tags.a is 5" << 11 << "expected NULL";
    }
    void badQueriesNameTheirColumn() {
        QFETCH(QString, query);
        QFETCH(int, column);
        QFETCH(QString, says);
        try {
            parseQuery(query);
            QFAIL("the query parsed");
        } catch (const QueryError& e) {
            QVERIFY2(e.message().contains(says), qPrintable(e.message()));
            QCOMPARE(e.column(), column);
        }
    }

    // A deep nest is refused with a QueryError, not a stack overflow (#20 item 5: a filter of
    // 100,000 '(' crashed `runs list --filter`).
    void deepNestingIsAnErrorNotACrash() {
        const QString nested = QString(100000, QLatin1Char('(')) + QStringLiteral("status = Completed") +
                               QString(100000, QLatin1Char(')'));
        QVERIFY_THROWS_EXCEPTION(QueryError, parseQuery(nested));
        QStringList nots;
        for (int i = 0; i < 100000; ++i)
            nots << QStringLiteral("not");
        QVERIFY_THROWS_EXCEPTION(QueryError, parseQuery(nots.join(QLatin1Char(' ')) + QStringLiteral(" status = Completed")));
        // 50 levels, more than anyone writes, still parse.
        const QString fifty = QString(50, QLatin1Char('(')) + QStringLiteral("not status = Completed") +
                              QString(50, QLatin1Char(')'));
        QCOMPARE(render(parseQuery(fifty)), QStringLiteral("!status = 'Completed'"));
    }

    void keysForSortAndColumns() {
        QCOMPARE(parseKey(QStringLiteral("metrics.loss")).kind, KeyKind::Metric);
        QCOMPARE(parseKey(QStringLiteral("min(metrics.loss)")).aggregate, MetricAggregate::Min);
        QCOMPARE(parseKey(QStringLiteral("params.lr")).name, QStringLiteral("lr"));
        QCOMPARE(parseKey(QStringLiteral("start_time")).attribute, Attribute::Start);
        QCOMPARE(parseKey(QStringLiteral("params.`batch size`")).text(), QStringLiteral("params.`batch size`"));
        QVERIFY_THROWS_EXCEPTION(QueryError, parseKey(QStringLiteral("metrics.loss > 1")));
        QVERIFY_THROWS_EXCEPTION(QueryError, parseKey(QStringLiteral("")));
    }

    // Key::text() is what the runs table saves for a column and sort; it must read back as the
    // same key (#20 item 5: fuzz_query found names with '\\' or '`' inside back quotes, and
    // parameter names starting with '-', that came back as other keys).
    void keyTextReadsBackAsTheSameKey() {
        for (const char* text : {"metrics.`val loss\\\\top`", "metrics.`a``b c`", "params.---x", "params.`-- lr`",
                                 "max(metrics.`x\\\\ y`)", "tags.`it's`", "params.----",
                                 "metrics..x..", "tags.`a.`"}) { // a name ending in '.' (fuzz_query)
            const Key k = parseKey(QString::fromUtf8(text));
            const Key again = parseKey(k.text());
            QCOMPARE(again.kind, k.kind);
            QCOMPARE(again.name, k.name);
            QCOMPARE(again.aggregate, k.aggregate);
        }
        QCOMPARE(parseKey(QStringLiteral("metrics.`val loss\\\\top`")).name, QStringLiteral("val loss\\top"));
        QCOMPARE(parseKey(QStringLiteral("params.---x")).name, QStringLiteral("-x"));
    }

    // params.NAME matches the script's --NAME: the argv words become (name, value) pairs.
    void scriptWordsBecomeParameterPairs() {
        const auto pairs = scriptParamPairs({QStringLiteral("--lr"), QStringLiteral("0.1"), QStringLiteral("--epochs=5"),
                                             QStringLiteral("-v"), QStringLiteral("--shift"), QStringLiteral("-5"),
                                             QStringLiteral("positional"), QStringLiteral("--flag")});
        QCOMPARE(int(pairs.size()), 5);
        QCOMPARE(pairs[0], std::make_pair(QStringLiteral("lr"), QStringLiteral("0.1")));
        QCOMPARE(pairs[1], std::make_pair(QStringLiteral("epochs"), QStringLiteral("5")));
        QCOMPARE(pairs[2], std::make_pair(QStringLiteral("v"), QString()));
        QCOMPARE(pairs[3], std::make_pair(QStringLiteral("shift"), QStringLiteral("-5")));
        QCOMPARE(pairs[4], std::make_pair(QStringLiteral("flag"), QString()));
    }
};

QTEST_GUILESS_MAIN(RunQueryTest)
#include "tst_run_query.moc"
