// The runs search, names, notes, tags and archive on the command line (issue 17), through the
// real labbench binary on real runs: `runs list --filter/--sort/--columns --json|--csv`, a bad
// query's column, rename/note/tag/untag/archive/restore and what `runs show --json` says.
#include "tests/runs/RunTestSupport.h"

#include <QTemporaryDir>

using namespace lbtest;

class TestRunsSearchCli : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    QString ws;
    QStringList runIds; // lr 0.1, 0.01, 0.001 in submit order

    QStringList listIds(const QStringList& args) {
        const CliResult r = runCli(ws, QStringList{QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")} + args);
        if (r.code != 0)
            qWarning("%s", r.err.constData());
        QStringList out;
        for (const auto& run : r.json())
            out << QString::fromStdString(run["id"]);
        return out;
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp.isValid());
        ws = tmp.filePath(QStringLiteral("ws"));
        QCOMPARE(runCli(tmp.path(), {QStringLiteral("workspace"), QStringLiteral("init"), ws}).code, 0);
        const QString src = tmp.filePath(QStringLiteral("src"));
        writeFile(src + QStringLiteral("/train.py"), R"(import argparse, labbench, os, time
p = argparse.ArgumentParser(); p.add_argument("--lr", type=float); p.add_argument("--sleep", type=float, default=0)
a = p.parse_args()
for step in range(3):
    labbench.log("accuracy", 1.0 - a.lr * (3 - step))
os.makedirs("outputs", exist_ok=True)
open("outputs/model.txt", "w").write(str(a.lr))
time.sleep(a.sleep)
)");
        for (const char* lr : {"0.1", "0.01", "0.001"}) {
            const CliResult r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"),
                                            QStringLiteral("train.py"), QStringLiteral("--wait"), QStringLiteral("--"),
                                            QStringLiteral("--lr"), QString::fromLatin1(lr)},
                                       120000);
            QVERIFY2(r.code == 0, (r.out + r.err).constData());
            runIds << r.firstLine();
        }
    }

    void filterAndSortRunInTheStore() {
        QCOMPARE(listIds({QStringLiteral("--filter"), QStringLiteral("params.lr <= 0.01 and metrics.accuracy > 0.985")}),
                 QStringList({runIds[2], runIds[1]}));
        QCOMPARE(listIds({QStringLiteral("--sort"), QStringLiteral("params.lr"), QStringLiteral("--desc")}), runIds);
        QCOMPARE(listIds({QStringLiteral("--sort"), QStringLiteral("metrics.accuracy"), QStringLiteral("--limit"), QStringLiteral("1")}),
                 QStringList({runIds[0]}));
        QCOMPARE(listIds({QStringLiteral("--filter"), QStringLiteral("status = 'Failed'")}), QStringList());
    }

    void columnsAsJsonAndCsv() {
        CliResult r = runCli(ws, {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--sort"), QStringLiteral("params.lr"),
                                  QStringLiteral("--columns"), QStringLiteral("id,params.lr,max(metrics.accuracy),status"),
                                  QStringLiteral("--csv")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QStringList lines = QString::fromUtf8(r.out).trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.value(0), QStringLiteral("id,params.lr,max(metrics.accuracy),status"));
        QCOMPARE(lines.value(1), runIds[2] + QStringLiteral(",0.001,0.999,Completed"));
        QCOMPARE(lines.size(), 4);
        r = runCli(ws, {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--columns"),
                        QStringLiteral("params.lr,metrics.accuracy"), QStringLiteral("--json")});
        const lb::Json j = r.json();
        QCOMPARE(j.size(), size_t(3));
        QVERIFY2(j[0]["columns"]["metrics.accuracy"].is_number(), j.dump().c_str());
        QVERIFY2(j[0].contains("name") && j[0]["name"].is_null(), j.dump().c_str());
    }

    void sizeSortsAndFiltersAfterMeasuringTheFolders() {
        // The middle run's folder gets a 300 KB file after it ended: only a fresh measure knows.
        const lb::Json shown = runCli(ws, {QStringLiteral("runs"), QStringLiteral("show"), runIds[1], QStringLiteral("--json")}).json();
        writeFile(QString::fromStdString(shown["run_dir"]) + QStringLiteral("/outputs/big.bin"), QByteArray(300000, 'b'));
        QCOMPARE(listIds({QStringLiteral("--sort"), QStringLiteral("size"), QStringLiteral("--desc"), QStringLiteral("--limit"),
                          QStringLiteral("1")}),
                 QStringList({runIds[1]}));
        QCOMPARE(listIds({QStringLiteral("--filter"), QStringLiteral("size > 250000")}), QStringList({runIds[1]}));
        const CliResult r = runCli(ws, {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--columns"),
                                        QStringLiteral("id,size"), QStringLiteral("--sort"), QStringLiteral("size"),
                                        QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const lb::Json j = r.json();
        QCOMPARE(j.size(), size_t(3));
        QCOMPARE(QString::fromStdString(j[2]["id"]), runIds[1]);
        QVERIFY2(j[2]["columns"]["size"].get<double>() >= 300000, j.dump().c_str());
        QVERIFY2(j[0]["columns"]["size"].get<double>() < 300000, j.dump().c_str());
        // A size compares with a number only.
        const CliResult bad = runCli(ws, {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--filter"),
                                          QStringLiteral("size > big")});
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains("size is a number"), bad.err.constData());
    }

    void aBadQuerySaysWhereAndExitsTwo() {
        const CliResult r = runCli(ws, {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--filter"),
                                        QStringLiteral("metrics.accuracy >> 1")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("column 19"), r.err.constData());
        QVERIFY2(r.err.contains("metrics.accuracy >> 1\n"), r.err.constData());
        QVERIFY2(r.err.contains(QByteArray(2 + 18, ' ') + "^"), r.err.constData());
    }

    void namesNotesTagsAndArchive() {
        const QString id = runIds[1];
        QCOMPARE(runCli(ws, {QStringLiteral("runs"), QStringLiteral("rename"), id, QStringLiteral("bs128 baseline")}).code, 0);
        QCOMPARE(runCli(ws, {QStringLiteral("runs"), QStringLiteral("note"), id, QStringLiteral("# Why\nLower **lr**.")}).code, 0);
        QCOMPARE(runCli(ws, {QStringLiteral("runs"), QStringLiteral("tag"), id, QStringLiteral("stage=tuned"), QStringLiteral("seed=3")}).code, 0);
        QCOMPARE(runCli(ws, {QStringLiteral("runs"), QStringLiteral("untag"), id, QStringLiteral("seed")}).code, 0);
        QCOMPARE(runCli(ws, {QStringLiteral("runs"), QStringLiteral("untag"), id, QStringLiteral("seed")}).code, 1);
        lb::Json show = runCli(ws, {QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")}).json();
        QVERIFY2(show["name"] == "bs128 baseline", show["name"].dump().c_str());
        QVERIFY2(show["note"] == "# Why\nLower **lr**.", show["note"].dump().c_str());
        QVERIFY2(show["tags"] == lb::Json({{"stage", "tuned"}}), show["tags"].dump().c_str());
        QVERIFY2(show["params"]["lr"] == "0.01", show["params"]["lr"].dump().c_str());
        QCOMPARE(listIds({QStringLiteral("--filter"), QStringLiteral("name like '%bs128%' and tags.stage = tuned")}), QStringList({id}));
        // run.json carries them too, for `workspace repair`
        const lb::Json runJson = lb::Json::parse(readFile(QString::fromStdString(show["run_dir"]) + QStringLiteral("/run.json")).toStdString());
        QVERIFY2(runJson["name"] == "bs128 baseline", runJson["name"].dump().c_str());
        QVERIFY2(runJson["tags"]["stage"] == "tuned", runJson["tags"]["stage"].dump().c_str());

        QCOMPARE(runCli(ws, {QStringLiteral("runs"), QStringLiteral("archive"), runIds[0], id}).code, 0);
        QCOMPARE(listIds({}), QStringList({runIds[2]}));
        QCOMPARE(listIds({QStringLiteral("--archived")}).size(), 3);
        QVERIFY(lb::Json::parse(readFile(QString::fromStdString(show["run_dir"]) + QStringLiteral("/run.json")).toStdString())["archived"]);
        QCOMPARE(runCli(ws, {QStringLiteral("runs"), QStringLiteral("restore"), runIds[0], id}).code, 0);
        QCOMPARE(listIds({}).size(), 3);
        // a typo among several ids archives none of them
        QCOMPARE(runCli(ws, {QStringLiteral("runs"), QStringLiteral("archive"), id, QStringLiteral("nosuchrun")}).code, 1);
        QCOMPARE(listIds({}).size(), 3);
    }

    void compareShowsParamsAndMetricSummaries() {
        CliResult r = runCli(ws, {QStringLiteral("runs"), QStringLiteral("compare"), runIds[0], runIds[1], QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const lb::Json j = r.json();
        QVERIFY2(j["differing_params"] == lb::Json::array({"--lr"}), j["differing_params"].dump().c_str());
        const lb::Json& acc = j["runs"][0]["metrics"]["accuracy"];
        QCOMPARE(acc["min"].get<double>(), 1.0 - 0.1 * 3);
        QCOMPARE(acc["min_step"].get<int>(), 0);
        QCOMPARE(acc["max_step"].get<int>(), 2);
        QCOMPARE(acc["points"].get<int>(), 3);
        r = runCli(ws, {QStringLiteral("runs"), QStringLiteral("compare"), runIds[0], runIds[1], QStringLiteral("--csv")});
        QVERIFY2(r.out.startsWith("run,name,--lr,accuracy.last,accuracy.min,accuracy.max\n"), r.out.constData());
        r = runCli(ws, {QStringLiteral("runs"), QStringLiteral("compare"), runIds[0], runIds[1], QStringLiteral("--metric"),
                        QStringLiteral("nope")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("'nope'"), r.err.constData());
        QCOMPARE(runCli(ws, {QStringLiteral("runs"), QStringLiteral("compare"), runIds[0]}).code, 2);
    }

    void deleteAsksRefusesAndFrees() {
        const QString src = tmp.filePath(QStringLiteral("src"));
        // no terminal to confirm: refused, nothing deleted
        CliResult r = runCli(ws, {QStringLiteral("runs"), QStringLiteral("delete"), runIds[2]});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("add --yes"), r.err.constData());
        // a run whose outputs back a registered model: refused without --force
        QCOMPARE(runCli(ws, {QStringLiteral("models"), QStringLiteral("register"), QStringLiteral("--run"), runIds[2],
                             QStringLiteral("--name"), QStringLiteral("lrmodel"), QStringLiteral("--path"),
                             QStringLiteral("outputs/model.txt")})
                     .code,
                 0);
        r = runCli(ws, {QStringLiteral("runs"), QStringLiteral("delete"), runIds[2], QStringLiteral("--yes")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("lrmodel:1") && r.err.contains("--force"), r.err.constData());
        // an active run: refused
        const CliResult active = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"),
                                             QStringLiteral("train.py"), QStringLiteral("--"), QStringLiteral("--lr"),
                                             QStringLiteral("0.2"), QStringLiteral("--sleep"), QStringLiteral("30")});
        QCOMPARE(active.code, 0);
        r = runCli(ws, {QStringLiteral("runs"), QStringLiteral("delete"), active.firstLine(), QStringLiteral("--yes")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("cancel it first"), r.err.constData());
        QCOMPARE(runCli(ws, {QStringLiteral("cancel"), active.firstLine()}, 30000).code, 0);
        // with --force and --yes: the rows and the folder go, other runs stay
        const lb::Json shown = runCli(ws, {QStringLiteral("runs"), QStringLiteral("show"), runIds[2], QStringLiteral("--json")}).json();
        const QString folder = QString::fromStdString(shown["run_dir"]);
        QVERIFY(QFileInfo::exists(folder));
        r = runCli(ws, {QStringLiteral("runs"), QStringLiteral("delete"), runIds[2], active.firstLine(), QStringLiteral("--yes"),
                        QStringLiteral("--force")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains("Deleted 2 runs"), r.out.constData());
        QVERIFY(!QFileInfo::exists(folder));
        QCOMPARE(runCli(ws, {QStringLiteral("runs"), QStringLiteral("show"), runIds[2]}).code, 1);
        QVERIFY(!listIds({QStringLiteral("--archived")}).contains(runIds[2]));
        QVERIFY(listIds({QStringLiteral("--archived")}).contains(runIds[1]));
        // the registered model stays usable
        QCOMPARE(runCli(ws, {QStringLiteral("models"), QStringLiteral("show"), QStringLiteral("lrmodel")}).code, 0);
    }

    void submitTakesAName() {
        const CliResult r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), tmp.filePath(QStringLiteral("src")),
                                        QStringLiteral("--entry"), QStringLiteral("train.py"), QStringLiteral("--name"),
                                        QStringLiteral("named at submit"), QStringLiteral("--wait"), QStringLiteral("--"),
                                        QStringLiteral("--lr"), QStringLiteral("0.5")},
                                   120000);
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(listIds({QStringLiteral("--filter"), QStringLiteral("name = 'named at submit'")}), QStringList({r.firstLine()}));
    }
};

QTEST_GUILESS_MAIN(TestRunsSearchCli)
#include "tst_runs_search_cli.moc"
