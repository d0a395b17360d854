// Fast checks of the remote-compute pieces that need no cluster: quoting (through a real sh),
// ssh failure sentences, poll parsing, sbatch generation, Slurm state mapping, completion-file
// parsing, and the TF_CONFIG / torch variables labbench-remote.sh sets per rank.
#include "core/compute/launch/DistributedLaunch.h"
#include "core/compute/slurm/SbatchArray.h"
#include "core/compute/slurm/SbatchScript.h"
#include "core/compute/slurm/SlurmRequeue.h"
#include "core/compute/slurm/SlurmState.h"
#include "core/compute/slurm/SlurmTarget.h"
#include "core/compute/ssh/RemotePoll.h"
#include "core/estimator/Estimator.h"
#include "core/estimator/SlurmResources.h"
#include "core/remote/ShellQuote.h"
#include "core/remote/SshConnection.h"
#include "core/store/Entities.h"
#include "core/util/Error.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace lb;

namespace {

QString helperPath() { return QStringLiteral(LABBENCH_SOURCE_DIR "/resources/remote/labbench-remote.sh"); }

// What `sh -c LINE` passes to a program as argv (one word per line, NUL-safe enough here).
QStringList wordsThroughSh(const QString& line) {
    QProcess p;
    p.start(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("for a in ") + line +
                                                          QStringLiteral("; do printf '%s\\036' \"$a\"; done")});
    p.waitForFinished();
    QString out = QString::fromUtf8(p.readAllStandardOutput());
    out.chop(1);
    return out.split(QChar(0x1e));
}

void writeFileAt(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

} // namespace

class TestRemoteUnits : public QObject {
    Q_OBJECT
private slots:
    void quoteKeepsEveryWordLiteral() {
        const QStringList words{QStringLiteral("; rm -rf ~"), QStringLiteral("$(id)"), QStringLiteral("`id`"),
                                QStringLiteral("it's"), QStringLiteral("'"), QStringLiteral("a b\tc"),
                                QStringLiteral("*"), QStringLiteral("$HOME"), QStringLiteral("\\n"),
                                QStringLiteral("line1\nline2"), QStringLiteral("ünï")};
        QCOMPARE(wordsThroughSh(shellCommand(words)), words);
        QCOMPARE(shellQuote(QStringLiteral("it's")), QStringLiteral("'it'\\''s'"));
        QCOMPARE(shellQuote(QString()), QStringLiteral("''"));
    }

    void sshFailuresBecomeOneSentenceWithTheFix() {
        SshEndpoint e;
        e.host = QStringLiteral("10.0.0.9");
        e.port = 2222;
        e.user = QStringLiteral("ann");
        e.knownHosts = QStringLiteral("/k/known_hosts");
        QVERIFY(explainSshFailure(e, "ssh: connect to host 10.0.0.9 port 2222: Connection refused\n")
                    .contains(QLatin1String("no sshd listens on port 2222")));
        QVERIFY(explainSshFailure(e, "ann@10.0.0.9: Permission denied (publickey).\n").contains(QLatin1String("--identity")));
        const QString unknown = explainSshFailure(e, "No ED25519 host key is known for [10.0.0.9]:2222 and you have "
                                                     "requested strict checking.\nHost key verification failed.\n");
        QVERIFY2(unknown.contains(QLatin1String("accept-new")) && unknown.contains(QLatin1String("ssh-keyscan")),
                 qPrintable(unknown));
        const QString changed = explainSshFailure(
            e, "@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key verification failed.\n");
        QVERIFY2(changed.contains(QLatin1String("ssh-keygen -R \"[10.0.0.9]:2222\"")), qPrintable(changed));
        QVERIFY(explainSshFailure(e, "ssh: Could not resolve hostname nowhere: Name or service not known\n")
                    .contains(QLatin1String("cannot be resolved")));
    }

    void endpointRejectsOptionLikeHosts() {
        SshEndpoint e;
        e.host = QStringLiteral("-oProxyCommand=id");
        QVERIFY_THROWS_EXCEPTION(UsageError, e.validate());
        e.host = QStringLiteral("ok");
        e.hostKeyPolicy = QStringLiteral("yolo");
        QVERIFY_THROWS_EXCEPTION(UsageError, e.validate());
    }

    void pollOutputParses() {
        const QByteArray text = "state ended\ndriver.log 6 10\nab\ncd\nmetrics.jsonl 0 0\nexit 4 4\n{}\n\n";
        const RemotePoll p = RemotePoll::parse(text);
        QCOMPARE(p.state, QStringLiteral("ended"));
        QCOMPARE(p.log, QByteArray("ab\ncd\n"));
        QCOMPARE(p.logSize, 10);
        QVERIFY(!p.drained(0, 0));
        QVERIFY(p.drained(4, 0));
        QCOMPARE(*p.exitJson, QByteArray("{}\n\n"));
        QVERIFY_THROWS_EXCEPTION(Error, RemotePoll::parse("state running\ndriver.log 99 99\nshort"));
        const RemotePoll withJob = RemotePoll::parse("state running\nsched 9\nJobId=1 \ndriver.log 0 0\nmetrics.jsonl 0 0\n");
        QCOMPARE(*withJob.scheduler, QByteArray("JobId=1 \n"));
    }

    // #20 item 5 (fuzz_remote_poll): a byte count near 2^63 overflowed the bounds check (signed
    // overflow, undefined behaviour); it is a malformed answer like any other.
    void pollRefusesHugeByteCounts() {
        QVERIFY_THROWS_EXCEPTION(Error, RemotePoll::parse("state running\ndriver.log 9223372036854775807 0\n"
                                                          "metrics.jsonl 0 0\n"));
        QVERIFY_THROWS_EXCEPTION(Error, RemotePoll::parse("state running\nsched 9223372036854775800\nx\n"));
    }

    void pollReadsByOffsetThroughTheHelper() {
        QTemporaryDir dir;
        QFile log(dir.filePath(QStringLiteral("driver.log")));
        QVERIFY(log.open(QIODevice::WriteOnly));
        log.write("line 1\nline 2\npartial");
        log.close();
        QProcess p;
        p.start(QStringLiteral("sh"), {helperPath(), QStringLiteral("poll"), dir.path(), QStringLiteral("7"),
                                       QStringLiteral("0"), QStringLiteral("4")});
        QVERIFY(p.waitForFinished());
        const RemotePoll poll = RemotePoll::parse(p.readAllStandardOutput());
        QCOMPARE(poll.state, QStringLiteral("running"));
        QCOMPARE(poll.log, QByteArray("line")); // at most MAX_BYTES, from the offset
        QCOMPARE(poll.logSize, 21);
        QVERIFY(!poll.drained(7, 0));
    }

    void slurmStatesMapToTheLifeCycle() {
        QVERIFY(mapSlurmState(QStringLiteral("PENDING")).status == RunStatus::Queued);
        QVERIFY(mapSlurmState(QStringLiteral("CONFIGURING")).status == RunStatus::Preparing);
        QVERIFY(mapSlurmState(QStringLiteral("RUNNING")).status == RunStatus::Running);
        QVERIFY(mapSlurmState(QStringLiteral("COMPLETING")).status == RunStatus::Finalizing);
        QVERIFY(!mapSlurmState(QStringLiteral("COMPLETING")).final);
        QVERIFY(mapSlurmState(QStringLiteral("COMPLETED")).status == RunStatus::Completed);
        QVERIFY(mapSlurmState(QStringLiteral("CANCELLED")).status == RunStatus::Canceled);
        // Off its nodes, not final: Slurm may queue it again (#19 item 4).
        for (const char* s : {"PREEMPTED", "REQUEUED", "REQUEUE_HOLD"}) {
            QVERIFY(mapSlurmState(QString::fromLatin1(s)).status == RunStatus::Preempted);
            QVERIFY(!mapSlurmState(QString::fromLatin1(s)).final);
        }
        for (const char* s : {"FAILED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL"}) {
            QVERIFY(mapSlurmState(QString::fromLatin1(s)).status == RunStatus::Failed);
            QVERIFY(mapSlurmState(QString::fromLatin1(s)).final);
            SlurmJobInfo info;
            info.state = QString::fromLatin1(s);
            QVERIFY(slurmFailureReason(info, QStringLiteral("7")).startsWith(QString::fromLatin1(s) + QLatin1Char(':')));
        }
        QVERIFY(!mapSlurmState(QStringLiteral("SOME_NEW_STATE")).final);
    }

    // Real `scontrol show job -o` lines (Slurm 22.05, shortened): what each says for the run.
    void preemptedAndNodeFailJobsAreShownAsWhatTheyAre() {
        const QByteArray requeueable =
            "JobId=31 JobName=lb-x UserId=root(0) GroupId=root(0) Priority=1 Nice=0 Account=(null) QOS=(null) "
            "JobState=PREEMPTED Reason=None Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 "
            "ExitCode=0:15 RunTime=00:00:07 TimeLimit=UNLIMITED NodeList=n1 BatchHost=n1 NumNodes=1\n";
        auto info = parseScontrolJob(requeueable);
        QVERIFY(info);
        QVERIFY(info->requeue);
        QCOMPARE(info->nodes, QStringLiteral("n1"));
        SlurmStateMapping m = mapSlurmJob(*info, /*fromCompletionFile=*/false);
        QVERIFY(m.status == RunStatus::Preempted);
        QVERIFY(!m.final);
        QVERIFY(slurmPreemptionNote(*info, QStringLiteral("31")).startsWith(QLatin1String("Preempted by Slurm (job 31 on n1")));
        // The same job once only the completion file remembers it: it was not requeued.
        m = mapSlurmJob(*info, /*fromCompletionFile=*/true);
        QVERIFY(m.status == RunStatus::Failed && m.final);
        QVERIFY(slurmFailureReason(*info, QStringLiteral("31")).startsWith(QLatin1String("Preempted by Slurm (job 31 on n1")));

        // Requeue=0 (sbatch --no-requeue, or JobRequeue=0): preempted means ended.
        QByteArray noRequeue = requeueable;
        noRequeue.replace("Requeue=1", "Requeue=0");
        info = parseScontrolJob(noRequeue);
        m = mapSlurmJob(*info, false);
        QVERIFY(m.status == RunStatus::Failed && m.final);
        const QString why = slurmFailureReason(*info, QStringLiteral("31"));
        QVERIFY2(why.contains(QLatin1String("Preempted by Slurm")) && why.contains(QLatin1String("not requeue")),
                 qPrintable(why));

        // Requeued (PreemptMode=REQUEUE, or a node failure of a requeueable job), then pending again.
        info = parseScontrolJob("JobId=32 JobName=lb-y JobState=REQUEUED Reason=BeginTime Requeue=1 Restarts=1 "
                                "ExitCode=0:0 NodeList=(null) NumNodes=1\n");
        QVERIFY(info);
        QVERIFY(info->nodes.isEmpty());
        QCOMPARE(info->restarts, 1);
        m = mapSlurmJob(*info, false);
        QVERIFY(m.status == RunStatus::Preempted && !m.final);
        info = parseScontrolJob("JobId=32 JobName=lb-y JobState=PENDING Reason=BeginTime Requeue=1 Restarts=1 "
                                "ExitCode=0:0 NodeList=(null)\n");
        m = mapSlurmJob(*info, false);
        QVERIFY(m.status == RunStatus::Queued && !m.final);
        // The life cycle takes that path: Running -> Preempted -> Queued -> Running, never
        // Running -> Queued straight.
        QVERIFY(canTransition(RunStatus::Running, RunStatus::Preempted));
        QVERIFY(canTransition(RunStatus::Preempted, RunStatus::Queued));
        QVERIFY(canTransition(RunStatus::Queued, RunStatus::Running));
        QVERIFY(!canTransition(RunStatus::Running, RunStatus::Queued));

        // NODE_FAIL: final, and the reason names the node(s) and says it was a node failure.
        info = parseScontrolJob("JobId=33 JobName=lb-z JobState=NODE_FAIL Reason=NodeDown Requeue=0 Restarts=0 "
                                "ExitCode=0:0 NodeList=n[1-2] BatchHost=n1 NumNodes=2\n");
        QVERIFY(info);
        m = mapSlurmJob(*info, false);
        QVERIFY(m.status == RunStatus::Failed && m.final);
        const QString node = slurmFailureReason(*info, QStringLiteral("33"));
        QVERIFY2(node.startsWith(QLatin1String("NODE_FAIL: node failure on n[1-2] (job 33, reason NodeDown)")),
                 qPrintable(node));
    }

    void scontrolAndCompletionRecordsParse() {
        const auto info = parseScontrolJob("JobId=12 JobName=lb-x UserId=root(0) Priority=1 JobState=FAILED "
                                           "Reason=NonZeroExitCode Dependency=(null) ExitCode=3:0 RunTime=00:00:01\n");
        QVERIFY(info);
        QCOMPARE(info->state, QStringLiteral("FAILED"));
        QCOMPARE(info->reason, QStringLiteral("NonZeroExitCode"));
        QCOMPARE(info->exitCode, 3);
        const QByteArray file =
            "JobId=11 UserId=root(0) GroupId=root(0) Name=a JobState=COMPLETED Partition=debug ExitCode=0:0\n"
            "JobId=12 UserId=root(0) GroupId=root(0) Name=b JobState=TIMEOUT Partition=debug ExitCode=0:15\n"
            "JobId=120 UserId=root(0) GroupId=root(0) Name=c JobState=CANCELLED Partition=debug ExitCode=0:0\n";
        const auto twelve = parseJobCompletion(file, QStringLiteral("12"));
        QVERIFY(twelve);
        QCOMPARE(twelve->state, QStringLiteral("TIMEOUT"));
        QCOMPARE(twelve->signal, 15);
        QVERIFY(!parseJobCompletion(file, QStringLiteral("13")));
        // An array task's record: its own job id, its array's id and its index.
        const QByteArray arrays =
            "JobId=46 UserId=root(0) Name=lb-array-s JobState=COMPLETED ArrayJobId=42 ArrayTaskId=2 ExitCode=0:0\n"
            "JobId=47 UserId=root(0) Name=lb-array-s JobState=CANCELLED ArrayJobId=42 ArrayTaskId=3 ExitCode=0:15\n";
        const auto task = parseJobCompletion(arrays, QStringLiteral("42_3"));
        QVERIFY(task);
        QCOMPARE(task->state, QStringLiteral("CANCELLED"));
        QVERIFY(!parseJobCompletion(arrays, QStringLiteral("42_1")));
        QCOMPARE(parseScontrolJob("slurm_load_jobs error: Invalid job id specified\n"), std::nullopt);
    }

    void estimatorBecomesAnSbatchJob() {
        Estimator e;
        e.entryScript = QStringLiteral("train.py");
        e.scriptParams = {QStringLiteral("--note"), QStringLiteral("; rm -rf ~"), QStringLiteral("$(id)")};
        e.nodeCount = 2;
        e.processCountPerNode = 2;
        e.distributedBackend = QStringLiteral("mpi");
        e.useGpu = true;
        e.maxRunDurationSeconds = 61;
        SlurmTargetConfig config;
        config.remoteDir = QStringLiteral("/scratch/lb");
        config.partition = QStringLiteral("debug");
        config.gpusPerNode = 2;
        RunRecord run;
        run.id = QStringLiteral("exp_20260101T000000_abcdef01");
        run.experiment = QStringLiteral("exp");
        const SbatchJob job = makeSbatchJob(e, config, run, {config.remoteDir});
        const QString dir = QStringLiteral("/scratch/lb/runs/") + run.id;
        for (const QString& a : {QStringLiteral("--parsable"), QStringLiteral("--job-name=lb-") + run.id,
                                 QStringLiteral("--output=") + dir + QStringLiteral("/driver.log"),
                                 QStringLiteral("--chdir=") + dir + QStringLiteral("/snapshot"),
                                 QStringLiteral("--nodes=2"), QStringLiteral("--ntasks-per-node=2"),
                                 QStringLiteral("--gpus-per-node=2"), QStringLiteral("--time=2"),
                                 QStringLiteral("--partition=debug")})
            QVERIFY2(job.arguments.contains(a), qPrintable(a + QStringLiteral(" missing from ") + job.arguments.join(' ')));
        QVERIFY(job.script.startsWith("#!/bin/sh\n"));
        QVERIFY(job.script.contains("'srun' '--mpi=pmix' '--ntasks=4'"));
        QVERIFY(job.script.contains("'; rm -rf ~' '$(id)'"));
        QVERIFY(job.script.contains("'LABBENCH_METRICS_FILE=" + dir.toUtf8() + "/metrics.jsonl'"));
        // The job's checkpoints land in the snapshot, which comes home with outputs/ (#20 item 1).
        QVERIFY(job.script.contains("'LABBENCH_CHECKPOINT_DIR=" + dir.toUtf8() + "/snapshot/checkpoints'"));
        e.useGpu = false;
        e.maxRunDurationSeconds.reset();
        config.timeLimitMinutes = 30;
        const SbatchJob plain = makeSbatchJob(e, config, run, {config.remoteDir});
        QVERIFY(plain.arguments.contains(QStringLiteral("--time=30")));
        QVERIFY(!plain.arguments.join(' ').contains(QLatin1String("gpus")));
    }

    // Per-run requests (#19 item 4): the run's own --time wins over max_run_duration_seconds and
    // the target's limit; --mem and --gres are passed as given; gres gpu replaces --gpus-per-node.
    void slurmRequestsOfTheRunReachSbatch() {
        Estimator e;
        e.entryScript = QStringLiteral("train.py");
        e.useGpu = true;
        e.maxRunDurationSeconds = 600;
        e.slurmTime = QStringLiteral("1-02:03:04");
        e.slurmMem = QStringLiteral("4G");
        e.slurmGres = QStringLiteral("gpu:2");
        SlurmTargetConfig config;
        config.remoteDir = QStringLiteral("/scratch/lb");
        config.timeLimitMinutes = 30;
        RunRecord run;
        run.id = QStringLiteral("exp_20260101T000000_abcdef02");
        const SbatchJob job = makeSbatchJob(e, config, run, {config.remoteDir});
        const QString all = job.arguments.join(QLatin1Char(' '));
        QVERIFY2(job.arguments.contains(QStringLiteral("--time=1-02:03:04")), qPrintable(all));
        QVERIFY2(!all.contains(QLatin1String("--time=10")) && !all.contains(QLatin1String("--time=30")), qPrintable(all));
        QVERIFY(job.arguments.contains(QStringLiteral("--mem=4G")));
        QVERIFY(job.arguments.contains(QStringLiteral("--gres=gpu:2")));
        QVERIFY2(!all.contains(QLatin1String("--gpus-per-node")), qPrintable(all));
    }

    // #20 item 3: jobs are requeueable unless the run allows no requeue; a restarted batch
    // script writes the attempt marker and the attempt's variables before the script starts.
    void slurmJobsAreRequeueableAndMarkTheirRestarts() {
        Estimator e;
        e.entryScript = QStringLiteral("train.py");
        SlurmTargetConfig config;
        config.remoteDir = QStringLiteral("/scratch/lb");
        RunRecord run;
        run.id = QStringLiteral("exp_20260101T000000_abcdef03");
        const SbatchJob job = makeSbatchJob(e, config, run, {config.remoteDir});
        QVERIFY(job.arguments.contains(QStringLiteral("--requeue")));
        QVERIFY(job.arguments.contains(QStringLiteral("--open-mode=append"))); // attempt 2 appends
        const QByteArray dir = "/scratch/lb/runs/" + run.id.toUtf8();
        QVERIFY(job.script.contains("if [ \"${SLURM_RESTART_COUNT:-0}\" -gt 0 ]"));
        QVERIFY(job.script.contains("{\"type\":\"attempt\",\"reason\":\"requeue\",\"time\":%s}"));
        QVERIFY(job.script.contains("'" + dir + "/snapshot/checkpoints'"));
        // The marker comes before the program starts.
        QVERIFY(job.script.indexOf("\"attempt\"") < job.script.indexOf("exec "));
        e.slurmMaxRequeues = 0;
        const SbatchJob never = makeSbatchJob(e, config, run, {config.remoteDir});
        QVERIFY(never.arguments.contains(QStringLiteral("--no-requeue")));
        QVERIFY(!never.arguments.contains(QStringLiteral("--requeue")));
        // The estimator keeps the limit, and refuses one out of range with the field's name.
        QCOMPARE(Estimator::fromJson(e.toJson(), QStringLiteral("test")).slurmMaxRequeues, std::optional<int>(0));
        QVERIFY(!Estimator().toJson().contains("slurm_max_requeues"));
        QVERIFY(slurmMaxRequeuesProblem(0).isEmpty() && slurmMaxRequeuesProblem(3).isEmpty());
        QVERIFY(slurmMaxRequeuesProblem(-1).contains(QLatin1String("0 (never requeue)")));
        QVERIFY(!slurmMaxRequeuesProblem(1LL << 40).isEmpty());
    }

    // The script itself, run by sh as Slurm would run it again (SLURM_RESTART_COUNT=2), with a
    // stand-in program: the marker is appended once, the attempt counted from the markers, the
    // checkpoints folder named only when it holds a checkpoint.
    void restartedBatchScriptWritesTheAttemptMarker() {
        QTemporaryDir tmp;
        Estimator e;
        e.entryScript = QStringLiteral("run.sh");
        SlurmTargetConfig config;
        config.remoteDir = tmp.path();
        RunRecord run;
        run.id = QStringLiteral("exp_20260101T000000_abcdef04");
        const QString dir = tmp.path() + QStringLiteral("/runs/") + run.id;
        QDir().mkpath(dir + QStringLiteral("/snapshot/checkpoints"));
        QFile metrics(dir + QStringLiteral("/metrics.jsonl"));
        QVERIFY(metrics.open(QIODevice::WriteOnly));
        metrics.write("{\"name\":\"loss\",\"value\":1}\n{\"type\":\"attempt\",\"reason\":\"requeue\",\"time\":1}\n");
        metrics.close();
        QByteArray script = makeSbatchJob(e, config, run, {config.remoteDir}).script;
        // Stop before the real program: print what it would get.
        script = script.left(script.indexOf("if [ -f ")) + "echo \"A=$LABBENCH_ATTEMPT R=${LABBENCH_RESUME_CHECKPOINT:-none}\"\n";
        auto runScript = [&](const QByteArray& restarts) {
            QProcess sh;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("SLURM_RESTART_COUNT"), QString::fromLatin1(restarts));
            env.insert(QStringLiteral("SLURM_JOB_ID"), QStringLiteral("7"));
            sh.setProcessEnvironment(env);
            sh.start(QStringLiteral("sh"), {QStringLiteral("-c"), QString::fromUtf8(script)});
            sh.waitForFinished();
            return sh.readAllStandardOutput();
        };
        QByteArray out = runScript("2");
        QVERIFY2(out.contains("A=3 R=none"), out.constData());
        QVERIFY2(out.contains("labbench: attempt 3 of this run: Slurm started job 7 again (restart 2)"), out.constData());
        QFile written(metrics.fileName());
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = written.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY2(lines.last().startsWith("{\"type\":\"attempt\",\"reason\":\"requeue\",\"time\":"), lines.last().constData());
        QVERIFY(!Json::parse(lines.last().toStdString(), nullptr, false).is_discarded());
        writeFileAt(dir + QStringLiteral("/snapshot/checkpoints/ckpt-3.json"), "{}");
        out = runScript("3");
        QVERIFY2(out.contains("A=4 R=" + dir.toUtf8() + "/snapshot/checkpoints"), out.constData());
        // The first attempt writes nothing and sets nothing.
        out = runScript("0");
        QVERIFY2(out.contains("A= R=none"), out.constData());
        written.close();
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(written.readAll().count("\"attempt\""), 3);
    }

    // SlurmRequeue.h with stand-in commands: Slurm's own requeues are counted, a PREEMPTED or
    // NODE_FAIL job is requeued by Labbench once per restart count, and past the limit the run
    // fails with the count and the flag (a job Slurm queued again is cancelled first).
    void preemptedJobsAreRequeuedUpToTheLimit() {
        QStringList calls;
        QString requeueAnswer;
        SlurmRequeueCommands commands{[&](const QString& id) { calls << QStringLiteral("requeue ") + id; return requeueAnswer; },
                                      [&](const QString& id) { calls << QStringLiteral("cancel ") + id; return QString(); }};
        auto job = [](const char* state, int restarts, const char* reason = "None") {
            SlurmJobInfo i;
            i.state = QString::fromLatin1(state);
            i.restarts = restarts;
            i.reason = QString::fromLatin1(reason);
            i.nodes = QStringLiteral("n1");
            i.requeue = true;
            return i;
        };
        const QString id = QStringLiteral("7");
        SlurmRequeuePolicy p(2, commands);
        QVERIFY(!p.observe(job("RUNNING", 0), id, false));
        // PreemptMode=REQUEUE: COMPLETING with Restarts raised, then PENDING: Preempted, Queued.
        auto step = p.observe(job("COMPLETING", 1), id, false);
        QVERIFY(step && step->status == RunStatus::Preempted && !step->final());
        QVERIFY2(step->reason.contains(QLatin1String("requeue 1 of at most 2")), qPrintable(step->reason));
        step = p.observe(job("PENDING", 1, "BeginTime"), id, false);
        QVERIFY(step && step->status == RunStatus::Queued);
        QVERIFY(!p.observe(job("RUNNING", 1), id, false));
        QVERIFY(calls.isEmpty()); // Slurm did it: no second requeue
        // PreemptMode=CANCEL: Labbench requeues it, once for this restart count.
        step = p.observe(job("PREEMPTED", 1), id, false);
        QVERIFY(step && step->status == RunStatus::Preempted);
        QVERIFY2(step->reason.contains(QLatin1String("Labbench queued it again")), qPrintable(step->reason));
        QVERIFY(p.observe(job("PREEMPTED", 1), id, false));
        QCOMPARE(calls, QStringList{QStringLiteral("requeue 7")});
        // The normal end of a later attempt is not a requeue.
        QVERIFY(!p.observe(job("RUNNING", 2), id, false));
        QVERIFY(!p.observe(job("COMPLETING", 2), id, false));
        // The limit: lost again after 2 requeues.
        step = p.observe(job("NODE_FAIL", 2), id, false);
        QVERIFY(step && step->final() && step->status == RunStatus::Failed);
        QVERIFY2(step->reason.contains(QLatin1String("lost its nodes 3 times")) &&
                     step->reason.contains(QLatin1String("--slurm-max-requeues 2")),
                 qPrintable(step->reason));
        QCOMPARE(calls.size(), 1);
        QVERIFY(p.observe(job("PENDING", 3), id, false)->final()); // it stays so

        // Slurm requeued it beyond the limit: cancelled once pending, then Failed.
        calls.clear();
        SlurmRequeuePolicy one(1, commands);
        QVERIFY(!one.observe(job("RUNNING", 1), id, false));
        step = one.observe(job("COMPLETING", 2), id, false);
        QVERIFY(step && !step->final() && calls.isEmpty());
        step = one.observe(job("PENDING", 2, "BeginTime"), id, false);
        QVERIFY(step && step->final());
        QCOMPARE(calls, QStringList{QStringLiteral("cancel 7")});
        QVERIFY2(step->reason.contains(QLatin1String("--slurm-max-requeues 1")), qPrintable(step->reason));
        // ... and a follower started after that cancel says the same.
        QVERIFY(SlurmRequeuePolicy(1, commands).observe(job("CANCELLED", 2), id, false)->final());
        // The user's own cancel is theirs.
        QVERIFY(!SlurmRequeuePolicy(1, commands).observe(job("CANCELLED", 2), id, true));

        // 0: never requeued; a refused requeue fails the run with what scontrol said.
        step = SlurmRequeuePolicy(0, commands).observe(job("PREEMPTED", 0), id, false);
        QVERIFY(step && step->final() && step->reason.contains(QLatin1String("--slurm-max-requeues 0")));
        requeueAnswer = QStringLiteral("Requested operation is presently disabled");
        step = SlurmRequeuePolicy(3, commands).observe(job("NODE_FAIL", 0), id, false);
        QVERIFY(step && step->final() && step->reason.contains(requeueAnswer));
        // Slurm queued it again meanwhile ("pending"): not a failure.
        requeueAnswer = QStringLiteral("Job is pending execution for job 7");
        step = SlurmRequeuePolicy(3, commands).observe(job("PREEMPTED", 0), id, false);
        QVERIFY(step && !step->final());
        // Held after its requeue: Preempted, with how to release it.
        step = SlurmRequeuePolicy(3, commands).observe(job("PENDING", 1, "JobHeldAdmin"), id, false);
        QVERIFY(step && step->status == RunStatus::Preempted && step->reason.contains(QLatin1String("scontrol release 7")));
    }

    void slurmRequestsAreCheckedWithTheAcceptedForms() {
        for (const char* good : {"90", "90:30", "1:30:00", "2-12", "2-12:30", "2-12:30:00", "0:30"})
            QVERIFY2(slurmTimeProblem(QString::fromLatin1(good)).isEmpty(), good);
        for (const char* bad : {"1h", "abc", "1:2:3:4", "2-25", "1:61:00", "0", "-5", "1.5", "1-"}) {
            const QString why = slurmTimeProblem(QString::fromLatin1(bad));
            QVERIFY2(!why.isEmpty(), bad);
            QVERIFY2(why.contains(QLatin1String("HOURS:MINUTES:SECONDS")), qPrintable(why)); // the accepted forms
        }
        for (const char* good : {"4G", "500", "500M", "1T", "10000"})
            QVERIFY2(slurmMemProblem(QString::fromLatin1(good)).isEmpty(), good);
        for (const char* bad : {"4GB", "0", "-1", "lots", "4 G"})
            QVERIFY2(!slurmMemProblem(QString::fromLatin1(bad)).isEmpty(), bad);
        for (const char* good : {"gpu:2", "gpu", "gpu:a100:1", "gpu:2,shard:4"})
            QVERIFY2(slurmGresProblem(QString::fromLatin1(good)).isEmpty(), good);
        for (const char* bad : {"gpu:0", ":2", "gpu:2;rm", "gpu 2", "gpu:2,"})
            QVERIFY2(!slurmGresProblem(QString::fromLatin1(bad)).isEmpty(), bad);
        // The estimator refuses them with the field's name, from a file as from the form.
        Estimator e;
        e.slurmTime = QStringLiteral("2h");
        Json j = e.toJson();
        QCOMPARE(fromStd(j.value("slurm_time", std::string())), QStringLiteral("2h"));
        const Estimator back = Estimator::fromJson(j, QStringLiteral("test"));
        QCOMPARE(back.slurmTime, QStringLiteral("2h"));
        QVERIFY(!Estimator().toJson().contains("slurm_time")); // absent when not set
    }

    // A sweep's children as one array: task i runs child i, in its own folder, with its own
    // arguments; one --array with the concurrency cap; every argument a word of its own.
    void sweepChildrenBecomeOneJobArray() {
        SlurmTargetConfig config;
        config.remoteDir = QStringLiteral("/scratch/lb");
        config.partition = QStringLiteral("debug");
        QList<ArrayChild> children;
        for (int i = 0; i < 4; ++i) {
            ArrayChild c;
            c.run.id = QStringLiteral("exp_20260101T000000_0000000%1").arg(i);
            c.run.parentId = QStringLiteral("exp_sweep_1");
            c.estimator.entryScript = QStringLiteral("train.py");
            c.estimator.scriptParams = {QStringLiteral("--lr"), QStringLiteral("0.%1").arg(i),
                                        QStringLiteral("$(touch /tmp/x)")};
            c.estimator.slurmMem = QStringLiteral("1G");
            children.append(c);
        }
        const SbatchJob job = makeSbatchArray(children, config, {config.remoteDir},
                                              QStringLiteral("/scratch/lb/runs/exp_sweep_1"), 2);
        const QString all = job.arguments.join(QLatin1Char(' '));
        QVERIFY2(job.arguments.contains(QStringLiteral("--array=0-3%2")), qPrintable(all));
        QVERIFY(job.arguments.contains(QStringLiteral("--job-name=lb-array-exp_sweep_1")));
        QVERIFY(job.arguments.contains(QStringLiteral("--output=/scratch/lb/runs/exp_sweep_1/array-%A_%a.log")));
        QVERIFY(job.arguments.contains(QStringLiteral("--partition=debug")));
        QVERIFY(job.arguments.contains(QStringLiteral("--mem=1G")));
        QVERIFY(job.arguments.contains(QStringLiteral("--parsable")));
        QCOMPARE(all.count(QLatin1String("--output=")), 1);
        QCOMPARE(all.count(QLatin1String("--job-name=")), 1);
        QVERIFY(job.script.startsWith("#!/bin/sh\n"));
        QCOMPARE(job.script.count("#!/bin/sh"), 1);
        for (int i = 0; i < 4; ++i) {
            const QByteArray dir = "/scratch/lb/runs/" + children.at(i).run.id.toUtf8();
            const qsizetype at = job.script.indexOf("\n" + QByteArray::number(i) + ")\n");
            QVERIFY(at > 0);
            const qsizetype end = job.script.indexOf(";;", at);
            const QByteArray body = job.script.mid(at, end - at);
            QVERIFY2(body.contains("exec >> '" + dir + "/driver.log' 2>&1"), body.constData());
            QVERIFY(body.contains("cd '" + dir + "/snapshot'"));
            QVERIFY(body.contains("'--lr' '0." + QByteArray::number(i) + "' '$(touch /tmp/x)'"));
        }
        // Through a real sh: task 2 runs child 2's line (the program replaced by echo).
        QByteArray probe = job.script;
        probe.replace("exec 'env'", "exec 'echo'");
        QTemporaryDir scratch;
        probe.replace("/scratch/lb", scratch.path().toUtf8());
        for (const ArrayChild& c : children)
            QVERIFY(QDir().mkpath(scratch.path() + QStringLiteral("/runs/") + c.run.id + QStringLiteral("/snapshot")));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SLURM_ARRAY_TASK_ID"), QStringLiteral("2"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral("sh"), {QStringLiteral("-s")});
        p.write(probe);
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished());
        QCOMPARE(p.exitCode(), 0);
        QFile log(scratch.path() + QStringLiteral("/runs/") + children.at(2).run.id + QStringLiteral("/driver.log"));
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray line = log.readAll();
        QVERIFY2(line.contains("--lr 0.2 $(touch /tmp/x)"), line.constData());
        QVERIFY(!QFile::exists(scratch.path() + QStringLiteral("/runs/") + children.at(1).run.id + QStringLiteral("/driver.log")));
        QCOMPARE(arrayTaskJobId(QStringLiteral("123"), 2), QStringLiteral("123_2"));
    }

    void rankExecSetsTfConfigAndTorchVariables() {
        QTemporaryDir dir;
        auto rankEnv = [&](const QString& backend, int rank, int size, const QString& var) {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("OMPI_COMM_WORLD_RANK"), QString::number(rank));
            env.insert(QStringLiteral("OMPI_COMM_WORLD_SIZE"), QString::number(size));
            env.insert(QStringLiteral("OMPI_COMM_WORLD_LOCAL_RANK"), QString::number(rank % 2));
            env.insert(QStringLiteral("LABBENCH_NODE_HOSTS"), QStringLiteral("10.0.0.1 10.0.0.2"));
            p.setProcessEnvironment(env);
            p.start(QStringLiteral("sh"), {helperPath(), QStringLiteral("rank-exec"), dir.path(), backend,
                                           QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("1"),
                                           QStringLiteral("4000"), QStringLiteral("--"), QStringLiteral("sh"),
                                           QStringLiteral("-c"), QStringLiteral("printf '%s\\n' \"$") + var +
                                                                     QStringLiteral("\"; exit 5")});
            p.waitForFinished();
            [&] { QCOMPARE(p.exitCode(), 5); }();
            return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
        };
        // Rank 3 of 3 workers + 1 ps is the parameter server, on the second node (2 per node).
        QString line = rankEnv(QStringLiteral("parameter_server"), 3, 4, QStringLiteral("TF_CONFIG"));
        QVERIFY2(line.startsWith(QLatin1String("[rank 3] ")), qPrintable(line));
        Json tf = Json::parse(line.mid(9).toStdString());
        QCOMPARE(tf.dump(), Json::parse(R"({"cluster": {"ps": ["10.0.0.2:4003"],
            "worker": ["10.0.0.1:4000", "10.0.0.1:4001", "10.0.0.2:4002"]},
            "task": {"type": "ps", "index": 0}, "environment": "cloud"})").dump());
        line = rankEnv(QStringLiteral("parameter_server"), 1, 4, QStringLiteral("TF_CONFIG"));
        tf = Json::parse(line.mid(9).toStdString());
        QCOMPARE(tf["task"].dump(), std::string(R"({"type":"worker","index":1})"));
        QCOMPARE(rankEnv(QStringLiteral("pytorch"), 3, 4, QStringLiteral("MASTER_ADDR")), QStringLiteral("[rank 3] 10.0.0.1"));
        QCOMPARE(rankEnv(QStringLiteral("pytorch"), 3, 4, QStringLiteral("NODE_RANK")), QStringLiteral("[rank 3] 1"));
        QCOMPARE(rankEnv(QStringLiteral("pytorch"), 3, 4, QStringLiteral("LOCAL_RANK")), QStringLiteral("[rank 3] 1"));
        QCOMPARE(rankEnv(QStringLiteral("pytorch"), 2, 4, QStringLiteral("WORLD_SIZE")), QStringLiteral("[rank 2] 4"));
        QCOMPARE(rankEnv(QStringLiteral("pytorch"), 2, 4, QStringLiteral("MASTER_PORT")), QStringLiteral("[rank 2] 4000"));
        // Metrics of other ranks go to their own file; rank 0 keeps the run's.
        QCOMPARE(rankEnv(QStringLiteral("mpi"), 1, 4, QStringLiteral("LABBENCH_METRICS_FILE")),
                 QStringLiteral("[rank 1] ") + dir.path() + QStringLiteral("/metrics.rank1.jsonl"));
    }

    void launchPrefixUsesTheEngines() {
        Estimator e;
        e.distributedBackend = QStringLiteral("parameter_server");
        e.workerCount = 2;
        e.parameterServerCount = 1;
        const QStringList words = distributedPrefix(e, Launcher::Mpirun, {QStringLiteral("/h.sh"), QStringLiteral("/r"), 5000});
        QCOMPARE(words.mid(0, 4), (QStringList{QStringLiteral("mpirun"), QStringLiteral("--oversubscribe"),
                                               QStringLiteral("-np"), QStringLiteral("3")}));
        QVERIFY(words.contains(QStringLiteral("rank-exec")));
        e.distributedBackend = QStringLiteral("none");
        QVERIFY(distributedPrefix(e, Launcher::Srun, {}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRemoteUnits)
#include "tst_remote_units.moc"
