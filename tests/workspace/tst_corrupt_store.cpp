// Issue 20: a store whose pages are damaged (a disk error, a copy cut short) gives one clear
// sentence and never a hang, the run folders are untouched, and `labbench workspace repair
// --force` brings every run and metric back. The damage is real: the pages SQLite's dbstat says
// hold the metrics table are overwritten in the file, through the real labbench binary and its
// supervisor. Before the fix, `submit --wait` on such a store waited in Finalizing for ever,
// since reconciling a run swallowed the ingest's error as if the store were only busy.

#include "tests/runs/RunTestSupport.h"

#include <QTemporaryDir>

#include <sqlite3.h>

#include <vector>

using namespace lbtest;

namespace {

const QByteArray kScript = "import labbench, sys\n"
                           "for i in range(1500):\n"
                           "    labbench.log('loss', 1.0 / (i + 1))\n"
                           "print('trained', sys.argv[1], flush=True)\n";

// The page numbers of one table's b-tree, as SQLite's dbstat virtual table lists them.
std::vector<int> pagesOf(const QString& store, const char* table) {
    std::vector<int> pages;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(store.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) !=
        SQLITE_OK)
        qFatal("cannot open %s", qPrintable(store));
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT pageno FROM dbstat WHERE name = ?", -1, &st, nullptr) !=
        SQLITE_OK)
        qFatal("dbstat: %s", sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW)
        pages.push_back(sqlite3_column_int(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return pages;
}

} // namespace

class TestCorruptStore : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    QString ws;
    QStringList runIds;

    CliResult cli(const QStringList& args, int timeoutMs = 120000) {
        return runCli(ws, args, timeoutMs);
    }
    QString storePath() const { return ws + QStringLiteral("/labbench.db"); }

    QString submit(const QString& tag, CliResult* result = nullptr) {
        const QString src = tmp.filePath(QStringLiteral("src-") + tag);
        writeFile(src + QStringLiteral("/train.py"), kScript);
        const CliResult r = cli({QStringLiteral("submit"), QStringLiteral("--source"), src,
                                 QStringLiteral("--entry"), QStringLiteral("train.py"),
                                 QStringLiteral("--wait"), QStringLiteral("--"), tag},
                                90000);
        if (result) *result = r;
        return r.firstLine();
    }

    // The one sentence every reader of a damaged store must give.
    void verifyDamagedStoreError(const CliResult& r, const QString& what) {
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(!err.startsWith(QLatin1String("timed out")), qPrintable(what + ": hung; " + err));
        QVERIFY2(r.code == 1, qPrintable(what + QStringLiteral(": exit %1, ").arg(r.code) + err));
        QVERIFY2(err.contains(storePath() + QStringLiteral(" is damaged")),
                 qPrintable(what + ": " + err));
        QVERIFY2(err.contains(QStringLiteral("workspace repair --force")),
                 qPrintable(what + ": " + err));
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp.isValid());
        ws = tmp.filePath(QStringLiteral("ws"));
        const CliResult r =
            runCli(tmp.path(), {QStringLiteral("workspace"), QStringLiteral("init"), ws});
        QVERIFY2(r.code == 0, r.err.constData());
        for (const char* tag : {"a", "b", "c"}) {
            runIds << submit(QString::fromLatin1(tag));
            QVERIFY(!runIds.last().isEmpty());
        }
    }

    void damagedPagesGiveAClearErrorAndRepairBringsEverythingBack() {
        std::map<QString, lb::Json> metricsBefore;
        std::map<QString, QByteArray> streamsBefore;
        for (const QString& id : runIds) {
            const CliResult r = cli({QStringLiteral("metrics"), id, QStringLiteral("--json")});
            QVERIFY2(r.code == 0, r.err.constData());
            metricsBefore[id] = r.json();
            streamsBefore[id] =
                readFile(ws + QStringLiteral("/runs/") + id + QStringLiteral("/metrics.jsonl"));
            QCOMPARE(streamsBefore[id].count('\n'), 1500);
        }
        // Every CLI process has closed the store: nothing waits in a WAL file.
        QVERIFY(QFileInfo(storePath() + QStringLiteral("-wal")).size() == 0);

        const std::vector<int> pages = pagesOf(storePath(), "metrics");
        QVERIFY2(pages.size() > 10, "the metrics table should span many pages");
        {
            QFile f(storePath());
            QVERIFY(f.open(QIODevice::ReadWrite));
            for (int page : pages) {
                QVERIFY(f.seek(qint64(page - 1) * 4096));
                f.write(QByteArray(4096, '\xde'));
            }
        }

        // Readers of the damaged table say so, naming the store and the repair, at once.
        verifyDamagedStoreError(cli({QStringLiteral("metrics"), runIds[0]}, 30000),
                                QStringLiteral("metrics"));

        // A new run: its ingest meets the damage, and waiting for it ends with the same sentence
        // instead of waiting in Finalizing for ever.
        CliResult submitted;
        const QString fresh = submit(QStringLiteral("d"), &submitted);
        QVERIFY2(!fresh.isEmpty(), submitted.err.constData());
        verifyDamagedStoreError(submitted, QStringLiteral("submit --wait"));

        // The run folders are untouched: every line each script wrote is still there.
        for (const QString& id : runIds)
            QCOMPARE(
                readFile(ws + QStringLiteral("/runs/") + id + QStringLiteral("/metrics.jsonl")),
                streamsBefore[id]);

        const CliResult repaired = cli({QStringLiteral("workspace"), QStringLiteral("repair"),
                                        QStringLiteral("--force"), QStringLiteral("--json")});
        QVERIFY2(repaired.code == 0, (repaired.out + repaired.err).constData());
        const lb::Json report = repaired.json();
        QCOMPARE(report["restored"]["runs"].get<int>(), 4);
        QVERIFY(!report["moved_aside"].empty()); // the damaged file is kept, never deleted

        for (const QString& id : runIds) {
            const CliResult r = cli({QStringLiteral("metrics"), id, QStringLiteral("--json")});
            QVERIFY2(r.code == 0, r.err.constData());
            const lb::Json after = r.json();
            QVERIFY2(after == metricsBefore[id],
                     lb::Json::diff(metricsBefore[id], after).dump().c_str());
        }
        // The run that met the damage finished all the same, with all its points.
        const CliResult shown =
            cli({QStringLiteral("runs"), QStringLiteral("show"), fresh, QStringLiteral("--json")});
        QVERIFY2(shown.code == 0, shown.err.constData());
        QCOMPARE(shown.json().at("status").get<std::string>(), std::string("Completed"));
        const CliResult freshMetrics = cli({QStringLiteral("metrics"), fresh});
        QVERIFY2(freshMetrics.code == 0, freshMetrics.err.constData());
        QVERIFY2(freshMetrics.out.contains("1500"), freshMetrics.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestCorruptStore)
#include "tst_corrupt_store.moc"
