// Slurm parity (#19 item 4) on the fixture's real cluster, through the real `labbench` binary
// and the Slurm commands of this machine (a Slurm target with no host): a 4-child grid sweep
// goes out as ONE job array whose tasks are the children, every child ends with its own
// metrics, and the child the early-termination policy stops is canceled alone (its task, not
// the array); a run's own --slurm-time/--slurm-mem/--slurm-gres reach the job, as scontrol
// shows it; a bad time is refused with the forms Slurm accepts.
#include "tests/cluster/ClusterEnv.h"
#include "tests/runs/RunTestSupport.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace lbtest;

namespace {

// Logs Accuracy every 0.4 s for about 14 s: 0.05 for --lr 1 (the one to stop), else 0.9 and a bit.
const QByteArray kTuneScript = "import sys, time, labbench\n"
                               "lr = float(sys.argv[sys.argv.index('--lr') + 1])\n"
                               "print('lr', lr, flush=True)\n"
                               "for i in range(35):\n"
                               "    labbench.log('Accuracy', 0.05 if lr == 1 else 0.9 + lr / 100, step=i)\n"
                               "    time.sleep(0.4)\n"
                               "print('done', lr, flush=True)\n";

lb::Json cliJson(const QString& ws, const QStringList& args) {
    const CliResult r = runCli(ws, args);
    return r.code == 0 ? r.json() : lb::Json::object();
}

QString text(const lb::Json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_string() ? QString::fromStdString(j[key].get<std::string>())
                                                                  : QString();
}

bool isFinal(const QString& s) {
    return s == QLatin1String("Completed") || s == QLatin1String("Failed") || s == QLatin1String("Canceled");
}

QByteArray scontrolJob(const QString& id) {
    return runProgram(QStringLiteral("scontrol"), {QStringLiteral("show"), QStringLiteral("job"), QStringLiteral("-o"), id}).out;
}

// The `scontrol show job -o` line of one array task ("JobId=… ArrayJobId=A ArrayTaskId=T …").
QByteArray taskLine(const QByteArray& all, const QString& arrayId, int task) {
    const QByteArray want = "ArrayJobId=" + arrayId.toUtf8() + " ArrayTaskId=" + QByteArray::number(task) + " ";
    for (const QByteArray& line : all.split('\n'))
        if (line.contains(want))
            return line;
    return {};
}

} // namespace

class TestSlurmParity : public QObject {
    Q_OBJECT
    ClusterEnv env_;
    QTemporaryDir tmp_;
    QString ws_, src_, remote_;

private slots:
    void initTestCase() {
        env_ = ClusterEnv::load();
        QVERIFY2(env_.ok, "the cluster fixture's env.sh is missing (run through ctest, fixture 'cluster')");
        ws_ = tmp_.filePath(QStringLiteral("ws"));
        src_ = tmp_.filePath(QStringLiteral("src"));
        remote_ = tmp_.filePath(QStringLiteral("remote"));
        QCOMPARE(runCli(ws_, {QStringLiteral("workspace"), QStringLiteral("init"), ws_}).code, 0);
        writeFile(src_ + QStringLiteral("/tune.py"), kTuneScript);
        writeFile(src_ + QStringLiteral("/short.sh"), "#!/bin/sh\necho short run\nsleep 2\n", true);
        const CliResult r = runCli(ws_, {QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("slurm"),
                                         QStringLiteral("here"), QStringLiteral("--remote-dir"), remote_});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    void gridSweepGoesOutAsOneJobArray() {
        const QString spec = tmp_.filePath(QStringLiteral("sweep.json"));
        lb::Json j;
        j["experiment"] = "array";
        j["estimator"] = {{"source_directory", src_.toStdString()}, {"entry_script", "tune.py"},
                          {"compute_target", "here"}};
        j["sampling"] = {{"method", "grid"}};
        j["parameters"] = {{"--lr", {{"choice", {1, 2, 3, 4}}}}};
        j["primary_metric"] = {{"name", "Accuracy"}, {"goal", "maximize"}};
        j["early_termination"] = {{"policy", "bandit"}, {"evaluation_interval", 1}, {"slack_factor", 0.2},
                                  {"delay_evaluation", 3}};
        j["max_total_runs"] = 4;
        j["max_concurrent_runs"] = 3;
        writeFile(spec, QByteArray::fromStdString(j.dump()));
        const CliResult submitted = runCli(ws_, {QStringLiteral("sweep"), QStringLiteral("submit"), spec});
        QVERIFY2(submitted.code == 0, submitted.err.constData());
        const QString sweep = submitted.firstLine();

        // All four children exist and are submitted as tasks of one array, before any ends.
        QStringList children;
        QString arrayId;
        QSet<QString> tasks;
        QVERIFY2(waitFor(
                     [&] {
                         children.clear();
                         tasks.clear();
                         const lb::Json s = cliJson(ws_, {QStringLiteral("sweep"), QStringLiteral("show"), sweep,
                                                          QStringLiteral("--json")});
                         if (!s.contains("children") || s["children"].size() != 4)
                             return false;
                         for (const auto& c : s["children"]) {
                             const QString id = text(c, "id");
                             children << id;
                             const lb::Json run = cliJson(ws_, {QStringLiteral("runs"), QStringLiteral("show"), id,
                                                                QStringLiteral("--json")});
                             const QString dir = text(run, "run_dir");
                             const lb::Json remote =
                                 lb::Json::parse(readFile(dir + QStringLiteral("/remote.json")).toStdString(), nullptr, false);
                             const QString job = text(remote, "job_id");
                             if (!job.contains(QLatin1Char('_')))
                                 return false;
                             arrayId = job.section(QLatin1Char('_'), 0, 0);
                             tasks.insert(job);
                         }
                         return true;
                     },
                     60000),
                 "the sweep's children were not all submitted as array tasks");
        QCOMPARE(tasks.size(), 4);
        for (int i = 0; i < 4; ++i)
            QVERIFY2(tasks.contains(arrayId + QStringLiteral("_%1").arg(i)), qPrintable(tasks.values().join(' ')));
        // Slurm sees one array (throttled to max_concurrent_runs), not four jobs.
        const QByteArray array = scontrolJob(arrayId);
        QVERIFY2(array.contains("ArrayJobId=" + arrayId.toUtf8()), array.constData());
        QVERIFY2(array.contains("ArrayTaskThrottle=3"), array.constData());
        QVERIFY2(array.contains("JobName=lb-array-" + sweep.toUtf8()), array.constData());
        const QByteArray names =
            runProgram(QStringLiteral("squeue"), {QStringLiteral("-h"), QStringLiteral("-o"), QStringLiteral("%j"),
                                                 QStringLiteral("--states=all")})
                .out;
        for (const QString& c : children)
            QVERIFY2(!names.contains("lb-" + c.toUtf8()), names.constData()); // no job of its own

        // The sweep ends; the --lr 1 child was stopped alone, the others completed.
        QString status;
        QVERIFY(waitFor(
            [&] {
                status = text(cliJson(ws_, {QStringLiteral("sweep"), QStringLiteral("show"), sweep, QStringLiteral("--json")}),
                              "status");
                return isFinal(status);
            },
            180000));
        QCOMPARE(status, QStringLiteral("Completed"));
        const lb::Json s = cliJson(ws_, {QStringLiteral("sweep"), QStringLiteral("show"), sweep, QStringLiteral("--json")});
        const QByteArray all = scontrolJob(arrayId);
        int canceled = 0, completed = 0;
        for (const auto& c : s["children"]) {
            const QString id = text(c, "id");
            const double lr = c["params"]["--lr"].get<double>();
            const lb::Json run = cliJson(ws_, {QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")});
            const QString dir = text(run, "run_dir");
            const QString job = text(lb::Json::parse(readFile(dir + QStringLiteral("/remote.json")).toStdString()), "job_id");
            const QByteArray line = taskLine(all, arrayId, job.section(QLatin1Char('_'), 1).toInt());
            QVERIFY2(!line.isEmpty(), all.constData());
            // Its own folder: its own output and its own metrics.
            const QByteArray log = readFile(dir + QStringLiteral("/driver.log"));
            QVERIFY2(log.contains("lr " + QByteArray::number(lr, 'f', 1)), log.constData());
            const lb::Json points = cliJson(ws_, {QStringLiteral("metrics"), id, QStringLiteral("--json")});
            QVERIFY2(points.is_array() && !points.empty(), log.constData());
            const double expected = lr == 1 ? 0.05 : 0.9 + lr / 100;
            for (const auto& p : points)
                QVERIFY(qAbs(p["value"].get<double>() - expected) < 1e-9);
            if (lr == 1) {
                ++canceled;
                QCOMPARE(text(c, "status"), QStringLiteral("Canceled"));
                QVERIFY2(text(c, "reason").contains(QLatin1String("bandit")), qPrintable(text(c, "reason")));
                QVERIFY2(line.contains("JobState=CANCELLED"), line.constData());
                QVERIFY(!log.contains("done"));
            } else {
                ++completed;
                QCOMPARE(text(c, "status"), QStringLiteral("Completed"));
                QVERIFY2(line.contains("JobState=COMPLETED"), line.constData());
                QCOMPARE(points.size(), size_t(35));
            }
        }
        QCOMPARE(canceled, 1);
        QCOMPARE(completed, 3);
    }

    void runRequestsReachTheJob() {
        const CliResult r = runCli(ws_, {QStringLiteral("submit"), QStringLiteral("--source"), src_,
                                         QStringLiteral("--entry"), QStringLiteral("short.sh"), QStringLiteral("--compute"),
                                         QStringLiteral("here"), QStringLiteral("--slurm-time"), QStringLiteral("0:30:00"),
                                         QStringLiteral("--slurm-mem"), QStringLiteral("2G"), QStringLiteral("--slurm-gres"),
                                         QStringLiteral("gpu:1")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString id = r.firstLine();
        QString status;
        QVERIFY(waitFor(
            [&] {
                status = text(cliJson(ws_, {QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")}),
                              "status");
                return isFinal(status);
            },
            90000));
        const lb::Json run = cliJson(ws_, {QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")});
        QCOMPARE(status, QStringLiteral("Completed"));
        // Stored with the run (and so shown in its details).
        QCOMPARE(QString::fromStdString(run["estimator"].value("slurm_time", std::string())), QStringLiteral("0:30:00"));
        QCOMPARE(QString::fromStdString(run["estimator"].value("slurm_gres", std::string())), QStringLiteral("gpu:1"));
        const QString dir = text(run, "run_dir");
        const QString job = text(lb::Json::parse(readFile(dir + QStringLiteral("/remote.json")).toStdString()), "job_id");
        const QByteArray line = scontrolJob(job);
        QVERIFY2(line.contains("TimeLimit=00:30:00"), line.constData());
        QVERIFY2(line.contains("MinMemoryNode=2G"), line.constData());
        QVERIFY2(line.contains("gres:gpu:1"), line.constData());
    }

    void badSlurmTimeIsRefusedWithTheAcceptedForms() {
        const CliResult r = runCli(ws_, {QStringLiteral("submit"), QStringLiteral("--source"), src_,
                                         QStringLiteral("--entry"), QStringLiteral("short.sh"), QStringLiteral("--compute"),
                                         QStringLiteral("here"), QStringLiteral("--slurm-time"), QStringLiteral("2h")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("slurm_time") && r.err.contains("HOURS:MINUTES:SECONDS"), r.err.constData());
        QVERIFY(r.out.isEmpty()); // no run
    }
};

QTEST_GUILESS_MAIN(TestSlurmParity)
#include "tst_slurm_parity.moc"
