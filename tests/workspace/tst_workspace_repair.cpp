// Issue 25 item 2: a deleted or empty store is reported, never silently replaced, and
// `labbench workspace repair` rebuilds it from the workspace's folders. Everything goes through
// the real labbench binary, its supervisor and sweep driver, with real Python scripts: a
// workspace with a completed, a failed and a canceled run, a GPU run (a fake NVML stands in for
// the driver), a sweep with children, TensorBoard scalars, registered models with tags, a compute
// target and a datastore. What the CLI prints as JSON is the same before the store is lost and
// after it is rebuilt.

#include "core/lifecycle/RunLock.h"
#include "core/store/Store.h"
#include "tests/runs/RunTestSupport.h"
#include "tests/tensorboard/EventFileWriter.h"

#include <QTemporaryDir>

using namespace lbtest;

namespace {

const QByteArray kTrainScript =
    "import labbench, os, shutil, sys, time\n"
    "mode = sys.argv[1]\n"
    "for step in range(5):\n"
    "    labbench.log('loss', 1.0 / (step + 1), step=step)\n"
    "labbench.log('acc', 0.5)\n"
    "labbench.log('acc', 0.75)\n"
    "labbench.log('diverged', float('nan'))\n"
    "labbench.tag('stage', mode)\n"
    "print('trained', mode, flush=True)\n"
    "os.makedirs('outputs/saved', exist_ok=True)\n"
    "open('outputs/model.txt', 'w').write('weights ' + mode)\n"
    "open('outputs/saved/a.bin', 'w').write('x' * 100)\n"
    "if os.path.exists('tb.bin'):\n"
    "    os.makedirs('logs/train', exist_ok=True)\n"
    "    shutil.copy('tb.bin', 'logs/train/events.out.tfevents.1.host')\n"
    "if mode == 'fail':\n"
    "    sys.exit(3)\n"
    "if mode == 'sleep':\n"
    "    time.sleep(1000)\n";

const QByteArray kSweepScript = "import labbench, sys\n"
                                "x = float(sys.argv[sys.argv.index('--x') + 1])\n"
                                "labbench.log('loss', (x - 0.3) ** 2)\n";

QByteArray tensorBoardFile() {
    using namespace tbw;
    return record(fileVersionEvent(1700000000.0)) +
           record(eventRecordData(1700000001.25, 1, {simpleValue("tb/accuracy", 0.5f)})) +
           record(eventRecordData(1700000002.5, 2, {simpleValue("tb/accuracy", 0.875f)}));
}

} // namespace

class TestWorkspaceRepair : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    QString ws;
    QStringList runIds;
    QString sweepId;
    int counter = 0;

    QString source(const QByteArray& script, bool withTensorBoard = false) {
        const QString dir = tmp.filePath(QStringLiteral("src%1").arg(++counter));
        writeFile(dir + QStringLiteral("/train.py"), script);
        if (withTensorBoard) writeFile(dir + QStringLiteral("/tb.bin"), tensorBoardFile());
        return dir;
    }

    CliResult cli(const QStringList& args, int timeoutMs = 120000) {
        return runCli(ws, args, timeoutMs);
    }

    QString submit(const QString& mode, const QStringList& extra = {}) {
        const CliResult r =
            cli(QStringList{QStringLiteral("submit"), QStringLiteral("--source"),
                            source(kTrainScript, mode == QLatin1String("ok")),
                            QStringLiteral("--entry"), QStringLiteral("train.py"),
                            QStringLiteral("--experiment"), QStringLiteral("repair")} +
                extra + QStringList{QStringLiteral("--"), mode});
        if (r.code != 0) qWarning() << r.err;
        return r.firstLine();
    }

    QString storePath() const { return ws + QStringLiteral("/labbench.db"); }

    // Every JSON view the CLI gives of the workspace, keyed by command.
    std::map<std::string, lb::Json> snapshot() {
        std::map<std::string, lb::Json> views;
        const auto take = [&](const QStringList& args) {
            const CliResult r = cli(args + QStringList{QStringLiteral("--json")});
            if (r.code != 0) qWarning() << args << r.err;
            views[args.join(QLatin1Char(' ')).toStdString()] =
                r.code == 0 ? r.json() : lb::Json("failed: " + r.err.toStdString());
        };
        take({QStringLiteral("runs"), QStringLiteral("list")});
        take({QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--archived")});
        take({QStringLiteral("experiments"), QStringLiteral("list")});
        take({QStringLiteral("models"), QStringLiteral("list")});
        take({QStringLiteral("compute"), QStringLiteral("list")});
        take({QStringLiteral("datastore"), QStringLiteral("list")});
        take({QStringLiteral("sweep"), QStringLiteral("show"), sweepId});
        for (const QString& id : runIds) {
            take({QStringLiteral("runs"), QStringLiteral("show"), id});
            take({QStringLiteral("metrics"), id});
            // System metrics come back from RUN/system/*.jsonl (issue 19).
            take({QStringLiteral("metrics"), id, QStringLiteral("--system")});
            take({QStringLiteral("files"), id});
        }
        return views;
    }

    static void compareViews(const std::map<std::string, lb::Json>& before,
                             const std::map<std::string, lb::Json>& after) {
        QCOMPARE(after.size(), before.size());
        for (const auto& [command, json] : before) {
            const lb::Json& other = after.at(command);
            QVERIFY2(other == json, (command + ": " + lb::Json::diff(json, other).dump()).c_str());
        }
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp.isValid());
        ws = tmp.filePath(QStringLiteral("ws"));
        CliResult r = runCli(tmp.path(), {QStringLiteral("workspace"), QStringLiteral("init"), ws});
        QVERIFY2(r.code == 0, r.err.constData());
        r = cli({QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("local"),
                 QStringLiteral("roomy"), QStringLiteral("--max-concurrent"), QStringLiteral("4")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString data = tmp.filePath(QStringLiteral("data"));
        QDir().mkpath(data);
        r = cli(
            {QStringLiteral("datastore"), QStringLiteral("add"), QStringLiteral("shared"), data});
        QVERIFY2(r.code == 0, r.err.constData());
        // Added and removed: its file goes with it, so repair does not bring it back.
        r = cli({QStringLiteral("datastore"), QStringLiteral("add"), QStringLiteral("gone"), data});
        QVERIFY2(r.code == 0, r.err.constData());
        r = cli({QStringLiteral("datastore"), QStringLiteral("remove"), QStringLiteral("gone")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(!QFileInfo::exists(ws + QStringLiteral("/datastores/gone.json")));

        // A completed, a failed and a canceled run.
        const QString ok = submit(QStringLiteral("ok"), {QStringLiteral("--wait")});
        QVERIFY(!ok.isEmpty());
        const QString failed = submit(QStringLiteral("fail"), {QStringLiteral("--wait")});
        QVERIFY(!failed.isEmpty());
        const QString sleeper =
            submit(QStringLiteral("sleep"), {QStringLiteral("--compute"), QStringLiteral("roomy")});
        QVERIFY(waitFor(
            [&] { return readFile(ws + "/runs/" + sleeper + "/driver.log").contains("trained"); },
            30000));
        r = cli({QStringLiteral("cancel"), sleeper});
        QVERIFY2(r.code == 0, r.err.constData());
        runIds << ok << failed << sleeper;

#ifdef FAKE_NVML
        // A GPU run: its device stays recorded, and its GPU samples live in the store.
        r = cli({QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("local"),
                 QStringLiteral("gpus"), QStringLiteral("--gpus"), QStringLiteral("0,1")});
        QVERIFY2(r.code == 0, r.err.constData());
        qputenv("LABBENCH_NVML_LIBRARY", FAKE_NVML);
        const QString gpu =
            submit(QStringLiteral("gpu"), {QStringLiteral("--compute"), QStringLiteral("gpus"),
                                           QStringLiteral("--gpu"), QStringLiteral("--wait")});
        qunsetenv("LABBENCH_NVML_LIBRARY");
        QVERIFY(!gpu.isEmpty());
        // Its GPU samples are system metrics in RUN/system/<node>.jsonl (issue 19).
        QVERIFY(!QDir(ws + "/runs/" + gpu + "/system")
                     .entryList({QStringLiteral("*.jsonl")}, QDir::Files)
                     .isEmpty());
        runIds << gpu;
#endif

        // A sweep with three children.
        const QString spec = tmp.filePath(QStringLiteral("sweep.json"));
        writeFile(spec, QStringLiteral(R"({"experiment": "tune",
            "estimator": {"source_directory": "%1", "entry_script": "train.py", "compute_target": "roomy"},
            "sampling": {"method": "grid"},
            "parameters": {"--x": {"choice": [0.1, 0.3, 0.9]}},
            "primary_metric": {"name": "loss", "goal": "minimize"},
            "max_total_runs": 3, "max_concurrent_runs": 2})")
                            .arg(source(kSweepScript))
                            .toUtf8());
        r = cli({QStringLiteral("sweep"), QStringLiteral("submit"), spec, QStringLiteral("--wait")},
                240000);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        sweepId = r.firstLine();
        const lb::Json sweep = cli({QStringLiteral("sweep"), QStringLiteral("show"), sweepId,
                                    QStringLiteral("--json")})
                                   .json();
        QCOMPARE(sweep["children"].size(), size_t(3));
        runIds << sweepId;
        for (const auto& child : sweep["children"])
            runIds << QString::fromStdString(child["id"].get<std::string>());

        // Two versions of a model (a file, then a folder), tagged after registration.
        r = cli({QStringLiteral("models"), QStringLiteral("register"), QStringLiteral("--run"), ok,
                 QStringLiteral("--name"), QStringLiteral("digits"), QStringLiteral("--path"),
                 QStringLiteral("outputs/model.txt"), QStringLiteral("--tag"),
                 QStringLiteral("team=vision"), QStringLiteral("--property"),
                 QStringLiteral("acc=0.75"), QStringLiteral("--description"),
                 QStringLiteral("first")});
        QVERIFY2(r.code == 0, r.err.constData());
        r = cli({QStringLiteral("models"), QStringLiteral("register"), QStringLiteral("--run"), ok,
                 QStringLiteral("--name"), QStringLiteral("digits"), QStringLiteral("--path"),
                 QStringLiteral("outputs/saved")});
        QVERIFY2(r.code == 0, r.err.constData());
        r = cli({QStringLiteral("models"), QStringLiteral("tag"), QStringLiteral("digits:1"),
                 QStringLiteral("stage=prod")});
        QVERIFY2(r.code == 0, r.err.constData());

        // What the user gave the runs (issue 17): a name, a note, a tag, a tag the script logged
        // then removed by the user, an archived run.
        for (const QStringList& edit :
             {QStringList{QStringLiteral("rename"), ok, QStringLiteral("baseline run")},
              QStringList{QStringLiteral("note"), ok, QStringLiteral("Lower **lr** helps")},
              QStringList{QStringLiteral("tag"), failed, QStringLiteral("triage=flaky")},
              QStringList{QStringLiteral("untag"), ok, QStringLiteral("stage")},
              QStringList{QStringLiteral("archive"), sleeper}}) {
            r = cli(QStringList{QStringLiteral("runs")} + edit);
            QVERIFY2(r.code == 0, r.err.constData());
        }
    }

    // #25: the store deleted, every command says so (naming the store and the repair command)
    // instead of answering from a new, empty store; repair brings back what the CLI showed.
    void deletedStoreIsReportedAndRepairBringsEverythingBack() {
        const auto before = snapshot();
        QCOMPARE(before.at("runs list --archived").size(), size_t(runIds.size()));
        QCOMPARE(before.at("runs list").size(), size_t(runIds.size() - 1)); // one archived
        const lb::Json& shown = before.at("runs show " + runIds[0].toStdString());
        QVERIFY(shown.at("name") == "baseline run" && shown.at("note") == "Lower **lr** helps");
        QVERIFY2(!shown.at("tags").contains("stage"),
                 "the test needs a stream tag the user removed");

        QVERIFY(QFile::remove(storePath()));
        for (const QStringList& args :
             {QStringList{QStringLiteral("runs"), QStringLiteral("list")},
              QStringList{QStringLiteral("models"), QStringLiteral("list"),
                          QStringLiteral("--json")},
              QStringList{QStringLiteral("workspace"), QStringLiteral("show")},
              QStringList{QStringLiteral("submit"), QStringLiteral("--entry"),
                          QStringLiteral("x.py")}}) {
            const CliResult r = cli(args);
            QVERIFY2(r.code == 1, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") +
                                             QString::fromUtf8(r.out + r.err)));
            QVERIFY2(r.out.isEmpty(), r.out.constData());
            const QString err = QString::fromUtf8(r.err);
            QVERIFY2(err.contains(storePath() + QStringLiteral(" is missing")), qPrintable(err));
            QVERIFY2(err.contains(QStringLiteral("workspace repair")), qPrintable(err));
            QVERIFY2(err.contains(QStringLiteral("%1 runs").arg(runIds.size())), qPrintable(err));
            QCOMPARE(err.count(QLatin1Char('\n')), 1); // one sentence on one line
        }
        QVERIFY2(!QFileInfo::exists(storePath()), "no empty store may be made over the runs");

        const CliResult repaired =
            cli({QStringLiteral("workspace"), QStringLiteral("repair"), QStringLiteral("--json")});
        QVERIFY2(repaired.code == 0, (repaired.out + repaired.err).constData());
        lb::Json report = repaired.json();
        QCOMPARE(report["restored"]["runs"].get<int>(), int(runIds.size()));
        QCOMPARE(report["restored"]["model versions"].get<int>(), 2);
        QCOMPARE(report["restored"]["datastores"].get<int>(), 1);
        QVERIFY2(report["skipped"].empty(), report.dump().c_str());

        auto after = snapshot();
        // The one difference, documented: a sweep's own driver.log (its driver's lines) is
        // counted now; the live store never counted it (the driver does not ingest it).
        const std::string parent = "runs show " + sweepId.toStdString();
        const auto driverLines = readFile(ws + "/runs/" + sweepId + "/driver.log").count('\n');
        QVERIFY(driverLines > 0);
        QCOMPARE(before.at(parent).at("log_lines").get<qsizetype>(), qsizetype(0));
        QCOMPARE(after.at(parent).at("log_lines").get<qsizetype>(), driverLines);
        after[parent]["log_lines"] = 0;
        compareViews(before, after);
    }

    // #25: an existing store is replaced only with --force, and then moved aside, never deleted.
    void repairOfAnExistingStoreNeedsForceAndKeepsTheOldOne() {
        const auto before = snapshot();
        const QByteArray oldStore = readFile(storePath());
        CliResult r = cli({QStringLiteral("workspace"), QStringLiteral("repair")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("--force") && r.err.contains(storePath().toUtf8()),
                 r.err.constData());
        QCOMPARE(readFile(storePath()), oldStore);

        r = cli({QStringLiteral("workspace"), QStringLiteral("repair"), QStringLiteral("--force"),
                 QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        lb::Json report = r.json();
        QVERIFY(!report["moved_aside"].empty());
        const QString aside = QString::fromStdString(report["moved_aside"][0].get<std::string>());
        QVERIFY2(aside.startsWith(storePath() + QStringLiteral(".before-repair-")),
                 qPrintable(aside));
        QVERIFY(QFileInfo(aside).size() > 0);
        {
            lb::Store old(aside); // the old store is intact and still readable
            QCOMPARE(old.runs().list().size(), runIds.size());
        }
        compareViews(before, snapshot());
    }

    // #25: a 0-byte store, and a store that an older Labbench silently made empty, are reported
    // too.
    void emptyAndReplacedStoresAreReported() {
        const QString keep = storePath() + QStringLiteral(".keep");
        QVERIFY(QFile::rename(storePath(), keep));
        writeFile(storePath(), QByteArray());
        CliResult r = cli({QStringLiteral("runs"), QStringLiteral("list")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(storePath().toUtf8() + " is empty") &&
                     r.err.contains("workspace repair"),
                 r.err.constData());
        QCOMPARE(QFileInfo(storePath()).size(), 0);

        QVERIFY(QFile::remove(storePath()));
        { lb::Store fresh(storePath()); } // what opening it used to do: an empty, migrated store
        r = cli({QStringLiteral("runs"), QStringLiteral("list")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("holds no runs or models") &&
                     r.err.contains("workspace repair --force"),
                 r.err.constData());

        for (const char* suffix : {"", "-wal", "-shm"})
            QFile::remove(storePath() + QLatin1String(suffix));
        QVERIFY(QFile::rename(keep, storePath()));
        r = cli({QStringLiteral("runs"), QStringLiteral("list")});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    // #25: a run.json that cannot be read is named and left out; the rest comes back. A stale
    // -wal left by the deleted store is moved aside, not replayed into the new one.
    void unreadableRunJsonIsSkippedWithASentence() {
        const QString broken = runIds[1];
        const QString path = ws + "/runs/" + broken + "/run.json";
        const QByteArray good = readFile(path);
        writeFile(path, "{\"id\": \"" + broken.toUtf8() + "\", \"experiment\": 7}");
        QVERIFY(QFile::remove(storePath()));
        writeFile(storePath() + QStringLiteral("-wal"), QByteArray(4096, 'w'));

        const CliResult r = cli({QStringLiteral("workspace"), QStringLiteral("repair")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(
            out.contains(
                QStringLiteral("Skipped: %1: the field 'experiment' must be a string").arg(path)),
            qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("moved aside")), qPrintable(out));
        const lb::Json runs = cli({QStringLiteral("runs"), QStringLiteral("list"),
                                   QStringLiteral("--archived"), QStringLiteral("--json")})
                                  .json();
        QCOMPARE(runs.size(), size_t(runIds.size() - 1));

        writeFile(path, good);
        const CliResult again =
            cli({QStringLiteral("workspace"), QStringLiteral("repair"), QStringLiteral("--force")});
        QVERIFY2(again.code == 0, again.err.constData());
        QCOMPARE(cli({QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--archived"),
                      QStringLiteral("--json")})
                     .json()
                     .size(),
                 size_t(runIds.size()));
    }

    // #25: a run whose helper still holds its lock would keep writing to the old store.
    void repairRefusesWhileARunIsActive() {
        const QString lockPath = ws + "/runs/" + runIds[0] + "/supervisor.lock";
        auto lock = lb::RunLock::tryAcquire(lockPath);
        QVERIFY(lock.has_value());
        const CliResult r =
            cli({QStringLiteral("workspace"), QStringLiteral("repair"), QStringLiteral("--force")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(runIds[0].toUtf8()) && r.err.contains("still active"),
                 r.err.constData());
        lock->release();
    }

    // A workspace whose store is gone but whose folders hold nothing is simply made afresh.
    void emptyWorkspaceWithoutStoreOpensAsBefore() {
        const QString fresh = tmp.filePath(QStringLiteral("fresh"));
        QCOMPARE(
            runCli(tmp.path(), {QStringLiteral("workspace"), QStringLiteral("init"), fresh}).code,
            0);
        QVERIFY(QFile::remove(fresh + QStringLiteral("/labbench.db")));
        const CliResult r = runCli(fresh, {QStringLiteral("runs"), QStringLiteral("list")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(QFileInfo::exists(fresh + QStringLiteral("/labbench.db")));
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceRepair)
#include "tst_workspace_repair.moc"
