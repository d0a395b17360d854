// Sweeps with real processes: the labbench CLI, the detached sweep driver, the runs' supervisors
// and tiny Python scripts. The concurrency limit holds under a fast stream of completions, the
// best child is recorded, cancel stops the sweep and its children, a sweep whose driver died is
// resumed without losing or repeating a grid point.

#include "tests/sweep/SweepTestSupport.h"

#include "core/store/Store.h"
#include "core/sweep/Sweep.h"
#include "core/util/Time.h"
#include "core/workspace/Workspace.h"

#include <QDirIterator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <csignal>
#include <string>
#include <sys/types.h>

using namespace sweeptest;

class TestSweepRuns : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    QString ws;
    int counter = 0;

    QString writeSpec(const QByteArray& json) {
        const QString path = tmp.filePath(QStringLiteral("spec%1.json").arg(++counter));
        writeFile(path, json);
        return path;
    }

    QString source(const QByteArray& script) {
        const QString dir = tmp.filePath(QStringLiteral("src%1").arg(++counter));
        writeFile(dir + QStringLiteral("/train.py"), script);
        return dir;
    }

    lb::Json show(const QString& id) {
        const CliResult r = runCli(ws, {QStringLiteral("sweep"), QStringLiteral("show"), id, QStringLiteral("--json")});
        if (r.code != 0)
            qWarning() << r.err;
        return r.json();
    }

    static QList<pid_t> driverPids(const QString& sweepId) {
        QList<pid_t> pids;
        for (const QString& entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
            bool ok = false;
            const pid_t pid = entry.toInt(&ok);
            if (!ok)
                continue;
            QFile f(QStringLiteral("/proc/%1/cmdline").arg(entry));
            if (!f.open(QIODevice::ReadOnly))
                continue;
            const QList<QByteArray> argv = f.readAll().split('\0');
            if (!argv.isEmpty() && argv[0].endsWith("labbench-sweep-driver") && argv.contains(sweepId.toUtf8()))
                pids.append(pid);
        }
        return pids;
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp.isValid());
        ws = tmp.filePath(QStringLiteral("ws"));
        CliResult r = runCli(tmp.path(), {QStringLiteral("workspace"), QStringLiteral("init"), ws});
        QVERIFY2(r.code == 0, r.err.constData());
        // A roomy target: the sweep's own max_concurrent_runs is the limit under test.
        r = runCli(ws, {QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("local"),
                        QStringLiteral("roomy"), QStringLiteral("--max-concurrent"), QStringLiteral("8")});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    void concurrencyLimitHoldsUnderFastCompletions() {
        const QString src = source("import json, os, sys, time\n"
                                   "x = float(sys.argv[sys.argv.index('--x') + 1])\n"
                                   "with open(os.environ['LABBENCH_METRICS_FILE'], 'a') as f:\n"
                                   "    f.write(json.dumps({'name': 'loss', 'value': (x - 0.3) ** 2, 'step': 0,\n"
                                   "                        'time': time.time()}) + '\\n')\n");
        const QString spec = writeSpec(QStringLiteral(R"({"experiment": "fast",
            "estimator": {"source_directory": "%1", "entry_script": "train.py", "compute_target": "roomy"},
            "sampling": {"method": "random", "seed": 4},
            "parameters": {"--x": {"uniform": [0, 1]}},
            "primary_metric": {"name": "loss", "goal": "minimize"},
            "max_total_runs": 12, "max_concurrent_runs": 3})")
                                           .arg(src)
                                           .toUtf8());
        const CliResult r = runCli(ws, {QStringLiteral("sweep"), QStringLiteral("submit"), spec, QStringLiteral("--wait")},
                                   240000);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QString id = r.firstLine();
        QVERIFY(id.startsWith(QLatin1String("fast_")));

        lb::Workspace w = lb::Workspace::open(ws);
        auto runs = w.store().runs();
        QCOMPARE(lb::toString(runs.find(id)->status), lb::toString(lb::RunStatus::Completed));
        const QList<lb::RunRecord> children = runs.children(id);
        QCOMPARE(children.size(), 12);
        QList<QPair<qint64, qint64>> submitted, running;
        for (const lb::RunRecord& c : children) {
            QCOMPARE(lb::toString(c.status), lb::toString(lb::RunStatus::Completed));
            QCOMPARE(c.parentId, id);
            submitted.append({c.created.toMSecsSinceEpoch(), c.ended.toMSecsSinceEpoch()});
            running.append({c.started.toMSecsSinceEpoch(), c.ended.toMSecsSinceEpoch()});
        }
        // From submit to final, never more than 3 children at once, and 3 did run together.
        QCOMPARE(maxOverlap(submitted), 3);
        QVERIFY(maxOverlap(running) <= 3);

        const lb::Json j = show(id);
        QVERIFY2(j["status"] == "Completed", j.dump().c_str());
        QCOMPARE(j["children"].size(), size_t(12));
        std::string best;
        double bestLoss = 1e9;
        for (const lb::Json& c : j["children"]) {
            const double x = c["params"]["--x"].get<double>();
            QVERIFY(x >= 0 && x <= 1);
            QVERIFY(std::fabs(c["primary_metric"].get<double>() - (x - 0.3) * (x - 0.3)) < 1e-9);
            if (c["primary_metric"].get<double>() < bestLoss) {
                bestLoss = c["primary_metric"].get<double>();
                best = c["id"].get<std::string>();
            }
            // The sampled value reached the script as "--x VALUE".
            const auto run = runs.find(QString::fromStdString(c["id"].get<std::string>()));
            const lb::Json est = lb::Json::parse(run->estimatorJson.toStdString());
            const auto& params = est["script_params"];
            QVERIFY(params[params.size() - 2] == "--x");
            QCOMPARE(std::stod(params[params.size() - 1].get<std::string>()), x);
        }
        QCOMPARE(QString::fromStdString(j["best"].get<std::string>()), QString::fromStdString(best));
        QCOMPARE(runs.tags(id).value(lb::sweep::kBestTag), QString::fromStdString(best));
    }

    void cancelStopsTheSweepAndItsChildren() {
        const QString src = source("import time\ntime.sleep(120)\n");
        const QString spec = writeSpec(QStringLiteral(R"({"experiment": "slow",
            "estimator": {"source_directory": "%1", "entry_script": "train.py", "compute_target": "roomy"},
            "sampling": {"method": "random"},
            "parameters": {"--x": {"choice": [1, 2, 3]}},
            "primary_metric": {"name": "loss", "goal": "minimize"},
            "max_total_runs": 6, "max_concurrent_runs": 2})")
                                           .arg(src)
                                           .toUtf8());
        CliResult r = runCli(ws, {QStringLiteral("sweep"), QStringLiteral("submit"), spec});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString id = r.firstLine();
        lb::Workspace w = lb::Workspace::open(ws);
        auto runs = w.store().runs();
        QVERIFY(waitFor(
            [&] {
                int running = 0;
                for (const lb::RunRecord& c : runs.children(id))
                    running += c.status == lb::RunStatus::Running;
                return running == 2;
            },
            60000));
        r = runCli(ws, {QStringLiteral("sweep"), QStringLiteral("cancel"), id}, 60000);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        QCOMPARE(lb::toString(runs.find(id)->status), lb::toString(lb::RunStatus::Canceled));
        const QList<lb::RunRecord> children = runs.children(id);
        QCOMPARE(children.size(), 2);
        for (const lb::RunRecord& c : children)
            QCOMPARE(lb::toString(c.status), lb::toString(lb::RunStatus::Canceled));
        QVERIFY(waitFor([&] { return driverPids(id).isEmpty(); }, 10000));
    }

    void aSweepWhoseDriverDiedIsResumed() {
        const QString src = source("import json, os, sys, time\n"
                                   "x = float(sys.argv[sys.argv.index('--x') + 1])\n"
                                   "time.sleep(0.5)\n"
                                   "with open(os.environ['LABBENCH_METRICS_FILE'], 'a') as f:\n"
                                   "    f.write(json.dumps({'name': 'acc', 'value': x, 'step': 0, 'time': time.time()}) + '\\n')\n");
        const QString spec = writeSpec(QStringLiteral(R"({"experiment": "resume",
            "estimator": {"source_directory": "%1", "entry_script": "train.py", "compute_target": "roomy"},
            "sampling": {"method": "grid"},
            "parameters": {"--x": {"choice": [1, 2, 3, 4]}},
            "primary_metric": {"name": "acc", "goal": "maximize"},
            "max_concurrent_runs": 1})")
                                           .arg(src)
                                           .toUtf8());
        CliResult r = runCli(ws, {QStringLiteral("sweep"), QStringLiteral("submit"), spec});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString id = r.firstLine();
        lb::Workspace w = lb::Workspace::open(ws);
        auto runs = w.store().runs();
        QVERIFY(waitFor([&] { return !runs.children(id).isEmpty(); }, 60000, 5));
        // While the driver starts a supervisor, its spawned child briefly carries the same
        // command line: wait for the moment there is one.
        QList<pid_t> pids;
        QVERIFY(waitFor([&] { return (pids = driverPids(id)).size() == 1; }, 10000, 2));
        ::kill(pids.first(), SIGKILL);
        QVERIFY(waitFor([&] { return driverPids(id).isEmpty(); }, 10000));
        const int before = int(runs.children(id).size());
        QVERIFY(before >= 1 && before < 4);

        // Anyone who looks finds the driver gone: the sweep is not left Running.
        const lb::Json failed = show(id);
        QVERIFY2(failed["status"] == "Failed", failed.dump().c_str());
        r = runCli(ws, {QStringLiteral("sweep"), QStringLiteral("resume"), id});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString resumed = r.firstLine();
        QVERIFY(resumed != id);
        QVERIFY(waitFor([&] { return lb::isTerminal(runs.find(resumed)->status); }, 120000, 100));
        QCOMPARE(lb::toString(runs.find(resumed)->status), lb::toString(lb::RunStatus::Completed));
        const lb::Json j = show(resumed);
        QCOMPARE(j["children"].size(), size_t(4)); // adopted + new: every grid point once
        QSet<int> xs;
        for (const lb::Json& c : j["children"]) {
            // Every child keeps its grid point, even the one the driver was killed while submitting.
            QVERIFY2(c.contains("params") && c["params"].contains("--x") && c["params"]["--x"].is_number(),
                     c.dump().c_str());
            xs.insert(c["params"]["--x"].get<int>());
        }
        QCOMPARE(xs, (QSet<int>{1, 2, 3, 4}));
        QCOMPARE(j["best_primary_metric"].get<double>(), 4.0);
        QVERIFY(runs.children(id).isEmpty());
        QCOMPARE(runs.tags(id).value(lb::sweep::kResumedAsTag), resumed);
        QCOMPARE(runs.tags(resumed).value(lb::sweep::kResumedFromTag), id);
    }

    void aSweepStillMarkedActiveGetsANewDriver() {
        // The driver died and nobody has looked yet: resume starts a new driver for the same sweep.
        const QString src = source("import json, os, sys, time\n"
                                   "x = float(sys.argv[sys.argv.index('--x') + 1])\n"
                                   "time.sleep(0.5)\n"
                                   "with open(os.environ['LABBENCH_METRICS_FILE'], 'a') as f:\n"
                                   "    f.write(json.dumps({'name': 'acc', 'value': x, 'step': 0, 'time': time.time()}) + '\\n')\n");
        const QString spec = writeSpec(QStringLiteral(R"({"experiment": "inplace",
            "estimator": {"source_directory": "%1", "entry_script": "train.py", "compute_target": "roomy"},
            "sampling": {"method": "grid"},
            "parameters": {"--x": {"choice": [1, 2, 3]}},
            "primary_metric": {"name": "acc", "goal": "maximize"},
            "max_concurrent_runs": 1})")
                                           .arg(src)
                                           .toUtf8());
        CliResult r = runCli(ws, {QStringLiteral("sweep"), QStringLiteral("submit"), spec});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString id = r.firstLine();
        lb::Workspace w = lb::Workspace::open(ws);
        auto runs = w.store().runs();
        QVERIFY(waitFor([&] { return !runs.children(id).isEmpty(); }, 60000, 5));
        // While the driver starts a supervisor, its spawned child briefly carries the same
        // command line: wait for the moment there is one.
        QList<pid_t> pids;
        QVERIFY(waitFor([&] { return (pids = driverPids(id)).size() == 1; }, 10000, 2));
        ::kill(pids.first(), SIGKILL);
        QVERIFY(waitFor([&] { return driverPids(id).isEmpty(); }, 10000));
        QCOMPARE(lb::toString(runs.find(id)->status), lb::toString(lb::RunStatus::Running));
        r = runCli(ws, {QStringLiteral("sweep"), QStringLiteral("resume"), id});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(r.firstLine(), id);
        QVERIFY(waitFor([&] { return lb::isTerminal(runs.find(id)->status); }, 120000, 100));
        const lb::Json j = show(id);
        QVERIFY2(j["status"] == "Completed", j.dump().c_str());
        QSet<int> xs;
        for (const lb::Json& c : j["children"]) {
            // Every child keeps its grid point, even the one the driver was killed while submitting.
            QVERIFY2(c.contains("params") && c["params"].contains("--x") && c["params"]["--x"].is_number(),
                     c.dump().c_str());
            xs.insert(c["params"]["--x"].get<int>());
        }
        QCOMPARE(j["children"].size(), size_t(3));
        QCOMPARE(xs, (QSet<int>{1, 2, 3}));
        // A completed sweep is not resumed.
        r = runCli(ws, {QStringLiteral("sweep"), QStringLiteral("resume"), id});
        QCOMPARE(r.code, 1);
    }

    void maxDurationStopsTheSweep() {
        const QString src = source("import time\ntime.sleep(120)\n");
        const QString spec = writeSpec(QStringLiteral(R"({"experiment": "timed",
            "estimator": {"source_directory": "%1", "entry_script": "train.py", "compute_target": "roomy"},
            "sampling": {"method": "random", "seed": 2},
            "parameters": {"--x": {"uniform": [0, 1]}},
            "primary_metric": {"name": "loss", "goal": "minimize"},
            "max_total_runs": 5, "max_concurrent_runs": 2, "max_duration_minutes": 0.03})")
                                           .arg(src)
                                           .toUtf8());
        const CliResult r = runCli(ws, {QStringLiteral("sweep"), QStringLiteral("submit"), spec, QStringLiteral("--wait")},
                                   60000);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const lb::Json j = show(r.firstLine());
        QVERIFY2(j["status"] == "Completed" && j["reason"].get<std::string>().find("max_duration_minutes") !=
                                                   std::string::npos,
                 j.dump().c_str());
        QCOMPARE(j["children"].size(), size_t(2));
        for (const lb::Json& c : j["children"])
            QVERIFY2(c["status"] == "Canceled" && c["reason"].get<std::string>().find("max_duration_minutes") !=
                                                      std::string::npos,
                     c.dump().c_str());
    }

    void bayesianSweepLearnsFromItsChildren() {
        const QString src = source("import json, os, sys, time\n"
                                   "x = float(sys.argv[sys.argv.index('--x') + 1])\n"
                                   "with open(os.environ['LABBENCH_METRICS_FILE'], 'a') as f:\n"
                                   "    f.write(json.dumps({'name': 'loss', 'value': (x - 0.3) ** 2, 'step': 0,\n"
                                   "                        'time': time.time()}) + '\\n')\n");
        const QString spec = writeSpec(QStringLiteral(R"({"experiment": "bayes",
            "estimator": {"source_directory": "%1", "entry_script": "train.py", "compute_target": "roomy"},
            "sampling": {"method": "bayesian", "seed": 9},
            "parameters": {"--x": {"uniform": [0, 1]}},
            "primary_metric": {"name": "loss", "goal": "minimize"},
            "max_total_runs": 10, "max_concurrent_runs": 2})")
                                           .arg(src)
                                           .toUtf8());
        const CliResult r = runCli(ws, {QStringLiteral("sweep"), QStringLiteral("submit"), spec, QStringLiteral("--wait")},
                                   240000);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const lb::Json j = show(r.firstLine());
        QCOMPARE(j["children"].size(), size_t(10));
        QSet<QString> distinct;
        for (const lb::Json& c : j["children"])
            distinct.insert(QString::number(c["params"]["--x"].get<double>(), 'g', 17));
        QCOMPARE(distinct.size(), 10);
        // Ten trials of a 1-D parabola: the model homes in on x = 0.3.
        QVERIFY2(j["best_primary_metric"].get<double>() < 1e-3, j.dump().c_str());
    }

    void badSpecsAndNonSweepsAreRefusedClearly() {
        const QString spec = writeSpec(R"({"estimator": {"source_directory": ".", "entry_script": "t.py"},
            "sampling": {"method": "grid"}, "parameters": {"--lr": {"uniform": [0, 1]}},
            "primary_metric": {"name": "loss"}})");
        CliResult r = runCli(ws, {QStringLiteral("sweep"), QStringLiteral("submit"), spec});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("parameters.--lr") && r.err.contains("choice"), r.err.constData());
        r = runCli(ws, {QStringLiteral("sweep"), QStringLiteral("show"), QStringLiteral("no-such-sweep")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("no-such-sweep"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestSweepRuns)
#include "tst_sweep_runs.moc"
