// Preemption and node failure on Slurm (#20 item 3), on the fixture's real cluster through the
// real `labbench` binary: a job of a higher-priority partition preempts the run (Slurm requeues
// it: PreemptMode=REQUEUE), a node's slurmd and the job's processes die (NODE_FAIL), a spot
// partition cancels the run (PreemptMode=CANCEL: Labbench requeues it). Each time the run goes
// Preempted -> Queued -> Running -> Completed, its second attempt gets LABBENCH_ATTEMPT=2 and
// resumes from its checkpoint, and the attempt marker is in metrics.jsonl. Past
// --slurm-max-requeues the run ends Failed, naming the limit.
#include "tests/cluster/ClusterEnv.h"
#include "tests/runs/RunTestSupport.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace lbtest;

namespace {

// One epoch a second; a checkpoint (written whole, then renamed) after each; resumes from
// LABBENCH_RESUME_CHECKPOINT and says from which epoch.
const QByteArray kTrainScript =
    "import json, os, sys, time, labbench\n"
    "epochs = int(sys.argv[sys.argv.index('--epochs') + 1])\n"
    "ckdir = labbench.checkpoint_dir()\n"
    "start = 0\n"
    "resume = os.environ.get('LABBENCH_RESUME_CHECKPOINT')\n"
    "if resume and os.path.exists(os.path.join(resume, 'state.json')):\n"
    "    with open(os.path.join(resume, 'state.json')) as f:\n"
    "        start = json.load(f)['epoch'] + 1\n"
    "    print('resumed from epoch', start, flush=True)\n"
    "print('attempt', os.environ.get('LABBENCH_ATTEMPT', '1'), 'starts at epoch', start, flush=True)\n"
    "for epoch in range(start, epochs):\n"
    "    time.sleep(1)\n"
    "    labbench.log('epoch', epoch, step=epoch)\n"
    "    tmp = os.path.join(ckdir, 'state.json.tmp')\n"
    "    with open(tmp, 'w') as f:\n"
    "        json.dump({'epoch': epoch}, f)\n"
    "    os.replace(tmp, os.path.join(ckdir, 'state.json'))\n"
    "    labbench.checkpoint_saved(os.path.join(ckdir, 'state.json'), step=epoch)\n"
    "print('done', flush=True)\n";

QString text(const lb::Json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_string() ? QString::fromStdString(j[key].get<std::string>())
                                                                  : QString();
}

bool isFinal(const QString& s) {
    return s == QLatin1String("Completed") || s == QLatin1String("Failed") || s == QLatin1String("Canceled");
}

QString scontrolField(const QString& job, const QString& key) {
    const QByteArray line =
        runProgram(QStringLiteral("scontrol"), {QStringLiteral("show"), QStringLiteral("job"), QStringLiteral("-o"), job}).out;
    for (const QByteArray& word : line.simplified().split(' '))
        if (word.startsWith(key.toUtf8() + '='))
            return QString::fromUtf8(word.mid(key.size() + 1));
    return {};
}

} // namespace

class TestSlurmRequeue : public QObject {
    Q_OBJECT
    ClusterEnv env_;
    QTemporaryDir tmp_;
    QString ws_, src_, remote_;

    lb::Json show(const QString& id) {
        const CliResult r = runCli(ws_, {QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")});
        return r.code == 0 ? r.json() : lb::Json::object();
    }

    QString submit(const QString& target, int epochs, const QStringList& extra = {}) {
        const CliResult r = runCli(ws_, QStringList{QStringLiteral("submit"), QStringLiteral("--source"), src_,
                                                    QStringLiteral("--entry"), QStringLiteral("train.py"),
                                                    QStringLiteral("--compute"), target} +
                                            extra +
                                            QStringList{QStringLiteral("--"), QStringLiteral("--epochs"),
                                                        QString::number(epochs)});
        if (r.code != 0)
            qWarning("submit failed: %s", r.err.constData());
        return r.code == 0 ? r.firstLine() : QString();
    }

    QString jobOf(const QString& id) {
        const QString dir = text(show(id), "run_dir");
        return text(lb::Json::parse(readFile(dir + QStringLiteral("/remote.json")).toStdString(), nullptr, false),
                    "job_id");
    }

    // The last epoch the run's checkpoint holds there (-1: none yet).
    int checkpointEpoch(const QString& id) {
        const lb::Json j = lb::Json::parse(
            readFile(remote_ + QStringLiteral("/runs/") + id + QStringLiteral("/snapshot/checkpoints/state.json"))
                .toStdString(),
            nullptr, false);
        return j.is_object() && j.contains("epoch") ? j["epoch"].get<int>() : -1;
    }

    // Waits until the run runs with Restarts=restarts and its checkpoint is at `epoch` or later.
    bool waitRunningAt(const QString& id, int restarts, int epoch, int ms = 90000) {
        return waitFor(
            [&] {
                const QString job = jobOf(id);
                return !job.isEmpty() && scontrolField(job, QStringLiteral("JobState")) == QLatin1String("RUNNING") &&
                       scontrolField(job, QStringLiteral("Restarts")) == QString::number(restarts) &&
                       checkpointEpoch(id) >= epoch && text(show(id), "status") == QLatin1String("Running");
            },
            ms);
    }

    // A job of the urgent partition that needs both nodes whole: it preempts whatever runs there.
    void preemptAll() {
        const Ran r = runProgram(QStringLiteral("sbatch"),
                                 {QStringLiteral("--parsable"), QStringLiteral("--partition=") + env_.get("LABBENCH_SLURM_URGENT_PARTITION"),
                                  QStringLiteral("--nodes=2"), QStringLiteral("--exclusive"), QStringLiteral("--output=/dev/null"),
                                  QStringLiteral("--wrap=sleep 3")});
        QVERIFY2(r.exitCode == 0, r.out.constData());
    }

    QString waitFinal(const QString& id, int ms = 150000) {
        QString status;
        waitFor(
            [&] {
                status = text(show(id), "status");
                return isFinal(status);
            },
            ms);
        return status;
    }

    QStringList history(const QString& id) {
        QStringList out;
        const lb::Json run = show(id); // the loop below must not walk a temporary's member
        for (const auto& h : run["history"])
            out << text(h, "status");
        return out;
    }

    // Preempted -> Queued -> Running -> … -> Completed after a first Running, never Failed; the
    // second attempt resumed from its checkpoint (epoch `from` or later), knew it was attempt 2,
    // and the attempt marker is in metrics.jsonl, once.
    void checkResumedOnce(const QString& id, int from, int epochs = 8) {
        const QStringList h = history(id);
        const QString seq = h.join(QLatin1Char(','));
        QVERIFY2(seq.contains(QLatin1String("Running,Preempted,Queued,Running")), qPrintable(seq));
        QVERIFY2(h.last() == QLatin1String("Completed"), qPrintable(seq));
        QVERIFY2(!h.contains(QStringLiteral("Failed")), qPrintable(seq));
        // Finalizing only once, at the end: a preempted job's COMPLETING is not the run's end.
        QCOMPARE(h.count(QStringLiteral("Finalizing")), 1);
        const QString dir = text(show(id), "run_dir");
        const QByteArray log = readFile(dir + QStringLiteral("/driver.log"));
        // The first attempt's lines are still there: the log was appended to, not truncated.
        QVERIFY2(log.contains("attempt 1 starts at epoch 0"), log.constData());
        QVERIFY2(log.contains("labbench: attempt 2 of this run"), log.constData());
        const qsizetype at = log.indexOf("resumed from epoch ");
        QVERIFY2(at >= 0, log.constData());
        const int resumedAt = log.mid(at + 19, 4).split('\n').first().trimmed().toInt();
        QVERIFY2(resumedAt >= from, log.constData());
        QVERIFY2(log.contains("attempt 2 starts at epoch " + QByteArray::number(resumedAt)), log.constData());
        QVERIFY2(log.contains("done"), log.constData());
        const QByteArray metrics = readFile(dir + QStringLiteral("/metrics.jsonl"));
        QCOMPARE(metrics.count("{\"type\":\"attempt\",\"reason\":\"requeue\",\"time\":"), 1);
        // The local copy is byte for byte the remote file: the follower kept its offsets.
        QCOMPARE(metrics, readFile(remote_ + QStringLiteral("/runs/") + id + QStringLiteral("/metrics.jsonl")));
        QCOMPARE(log, readFile(remote_ + QStringLiteral("/runs/") + id + QStringLiteral("/driver.log")));

        // The store, through the resume side of the contract: one point per epoch (what the
        // first attempt logged after its last checkpoint is superseded, not mixed in), every
        // line of the stream kept, and two attempts, the second a requeue from the checkpoint.
        QList<int> kept;
        for (const auto& p : metricsJson(id, false))
            if (p["name"] == "epoch")
                kept << p["step"].get<int>();
        std::sort(kept.begin(), kept.end());
        QList<int> everyEpoch;
        for (int e = 0; e < epochs; ++e)
            everyEpoch << e;
        QCOMPARE(kept, everyEpoch);
        int all = 0, superseded = 0;
        for (const auto& p : metricsJson(id, true)) {
            if (p["name"] != "epoch")
                continue;
            ++all;
            superseded += p["superseded"].get<bool>() ? 1 : 0;
        }
        QCOMPARE(all, int(metrics.count("\"name\": \"epoch\"")));
        QCOMPARE(all - superseded, epochs);
        const lb::Json attempts = show(id)["attempts"];
        QCOMPARE(attempts.size(), size_t(2));
        QCOMPARE(text(attempts[0], "status"), QStringLiteral("Preempted"));
        QCOMPARE(text(attempts[1], "reason"), QStringLiteral("requeue"));
        QVERIFY2(text(attempts[1], "resumed_from").endsWith(QLatin1String("/checkpoints/state.json")),
                 attempts.dump().c_str());
    }

    lb::Json metricsJson(const QString& id, bool allAttempts) {
        QStringList args{QStringLiteral("metrics"), id, QStringLiteral("--json")};
        if (allAttempts)
            args << QStringLiteral("--all-attempts");
        const CliResult r = runCli(ws_, args);
        return r.code == 0 ? r.json() : lb::Json::array();
    }

private slots:
    void initTestCase() {
        env_ = ClusterEnv::load();
        QVERIFY2(env_.ok, "the cluster fixture's env.sh is missing (run through ctest, fixture 'cluster')");
        QVERIFY2(!env_.get("LABBENCH_SLURM_URGENT_PARTITION").isEmpty(), "the fixture has no urgent partition");
        ws_ = tmp_.filePath(QStringLiteral("ws"));
        src_ = tmp_.filePath(QStringLiteral("src"));
        remote_ = tmp_.filePath(QStringLiteral("remote"));
        QCOMPARE(runCli(ws_, {QStringLiteral("workspace"), QStringLiteral("init"), ws_}).code, 0);
        writeFile(src_ + QStringLiteral("/train.py"), kTrainScript);
        CliResult r = runCli(ws_, {QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("slurm"),
                                   QStringLiteral("here"), QStringLiteral("--remote-dir"), remote_});
        QVERIFY2(r.code == 0, r.err.constData());
        r = runCli(ws_, {QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("slurm"), QStringLiteral("spot"),
                         QStringLiteral("--remote-dir"), remote_, QStringLiteral("--partition"), QStringLiteral("spot")});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    // PreemptMode=REQUEUE: Slurm requeues the job itself; Labbench counts it and follows.
    void preemptedRunResumesFromItsCheckpoint() {
        const QString id = submit(QStringLiteral("here"), 8);
        QVERIFY(!id.isEmpty());
        QVERIFY2(waitRunningAt(id, 0, 2), qPrintable(history(id).join(',')));
        preemptAll();
        QCOMPARE(waitFinal(id), QStringLiteral("Completed"));
        checkResumedOnce(id, 2);
        QCOMPARE(scontrolField(jobOf(id), QStringLiteral("Restarts")), QStringLiteral("1"));
    }

    // NODE_FAIL: the node's slurmd and the job's processes die; Slurm marks the node down and
    // requeues the job, which runs again (on the other node, or this one once it is back).
    void runSurvivesANodeFailure() {
        // 20 epochs: the run must still be going when its processes are killed, however slowly
        // a loaded machine lists them.
        const QString id = submit(QStringLiteral("here"), 20);
        QVERIFY(!id.isEmpty());
        QVERIFY2(waitRunningAt(id, 0, 2), qPrintable(history(id).join(',')));
        const QString job = jobOf(id);
        const QString node = scontrolField(job, QStringLiteral("NodeList"));
        const Ran failed = runProgram(QStringLiteral("bash"),
                                      {env_.get("LABBENCH_CLUSTER_SCRIPT"), QStringLiteral("fail-node"),
                                       env_.get("LABBENCH_CLUSTER_DIR"), node, job},
                                      240000); // down within 120 s, back within 30
        QVERIFY2(failed.exitCode == 0, failed.out.constData());
        qInfo("%s", failed.out.constData()); // says whether Slurm noticed by itself
        QCOMPARE(waitFinal(id), QStringLiteral("Completed"));
        checkResumedOnce(id, 2, 20);
        // Both nodes serve the later tests.
        QVERIFY(waitFor(
            [] {
                const QByteArray states =
                    runProgram(QStringLiteral("sinfo"), {QStringLiteral("-h"), QStringLiteral("-o"), QStringLiteral("%T")}).out;
                return !states.contains("down") && !states.contains("drain");
            },
            30000));
    }

    // PreemptMode=CANCEL (the spot partition): Slurm ends the job PREEMPTED and leaves it;
    // Labbench queues it again with scontrol requeue.
    void canceledByPreemptionIsRequeuedByLabbench() {
        const QString id = submit(QStringLiteral("spot"), 8);
        QVERIFY(!id.isEmpty());
        QVERIFY2(waitRunningAt(id, 0, 2), qPrintable(history(id).join(',')));
        preemptAll();
        QCOMPARE(waitFinal(id), QStringLiteral("Completed"));
        checkResumedOnce(id, 2);
        bool saidSo = false;
        const lb::Json run = show(id);
        for (const auto& h : run["history"])
            saidSo |= text(h, "status") == QLatin1String("Preempted") &&
                      text(h, "reason").contains(QLatin1String("Labbench queued it again"));
        QVERIFY2(saidSo, run["history"].dump().c_str());
    }

    // --slurm-max-requeues 1: the first preemption is survived, the second ends the run Failed
    // with the count and the flag, and the job Slurm queued again is cancelled (no third run).
    void secondPreemptionBeyondTheLimitFails() {
        const QString id = submit(QStringLiteral("here"), 120, {QStringLiteral("--slurm-max-requeues"), QStringLiteral("1")});
        QVERIFY(!id.isEmpty());
        QVERIFY2(waitRunningAt(id, 0, 1), qPrintable(history(id).join(',')));
        preemptAll();
        QVERIFY2(waitRunningAt(id, 1, 2), qPrintable(history(id).join(',')));
        preemptAll();
        // The urgent job once did not get both nodes in time on a loaded machine and the run
        // went on to complete its 120 epochs: the preemption is what is tested, so it is sent
        // again when Slurm has not acted on it within a minute.
        const QString job = jobOf(id);
        if (!waitFor([&] { return scontrolField(job, QStringLiteral("Restarts")) != QLatin1String("1"); }, 60000))
            preemptAll();
        QCOMPARE(waitFinal(id), QStringLiteral("Failed"));
        const lb::Json run = show(id);
        const QString reason = text(run, "reason").isEmpty() ? text(run["history"].back(), "reason") : text(run, "reason");
        QVERIFY2(reason.contains(QLatin1String("--slurm-max-requeues 1")) && reason.contains(QLatin1String("2 times")),
                 qPrintable(reason));
        const QString seq = history(id).join(QLatin1Char(','));
        QVERIFY2(seq.contains(QLatin1String("Running,Preempted,Queued,Running")), qPrintable(seq));
        QVERIFY(waitFor([&] { return scontrolField(job, QStringLiteral("JobState")) == QLatin1String("CANCELLED"); }, 20000));
        QCOMPARE(scontrolField(job, QStringLiteral("Restarts")), QStringLiteral("2"));
    }

    // A limit out of range is refused before anything is submitted, with the flag or the field
    // and the accepted range.
    void badRequeueLimitIsRefused() {
        CliResult r = runCli(ws_, {QStringLiteral("submit"), QStringLiteral("--source"), src_, QStringLiteral("--entry"),
                                   QStringLiteral("train.py"), QStringLiteral("--compute"), QStringLiteral("here"),
                                   QStringLiteral("--slurm-max-requeues"), QStringLiteral("5000")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("--slurm-max-requeues") && r.err.contains("0 (never requeue) to 1000"), r.err.constData());
        QVERIFY(r.out.isEmpty());
        const QString spec = tmp_.filePath(QStringLiteral("estimator.json"));
        writeFile(spec, "{\"source_directory\": \"" + src_.toUtf8() +
                            "\", \"entry_script\": \"train.py\", \"compute_target\": \"here\", "
                            "\"slurm_max_requeues\": -1}");
        r = runCli(ws_, {QStringLiteral("submit"), QStringLiteral("--estimator"), spec});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("slurm_max_requeues") && r.err.contains("0 (never requeue)"), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSlurmRequeue)
#include "tst_slurm_requeue.moc"
