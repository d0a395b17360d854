// Fast checks of the remote-compute pieces that need no cluster: quoting (through a real sh),
// ssh failure sentences, poll parsing, sbatch generation, Slurm state mapping, completion-file
// parsing, and the TF_CONFIG / torch variables labbench-remote.sh sets per rank.
#include "core/compute/launch/DistributedLaunch.h"
#include "core/compute/slurm/SbatchScript.h"
#include "core/compute/slurm/SlurmState.h"
#include "core/compute/slurm/SlurmTarget.h"
#include "core/compute/ssh/RemotePoll.h"
#include "core/estimator/Estimator.h"
#include "core/remote/ShellQuote.h"
#include "core/remote/SshConnection.h"
#include "core/store/Entities.h"
#include "core/util/Error.h"

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
        for (const char* s : {"FAILED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL"}) {
            QVERIFY(mapSlurmState(QString::fromLatin1(s)).status == RunStatus::Failed);
            QVERIFY(mapSlurmState(QString::fromLatin1(s)).final);
            SlurmJobInfo info;
            info.state = QString::fromLatin1(s);
            QVERIFY(slurmFailureReason(info, QStringLiteral("7")).startsWith(QString::fromLatin1(s) + QLatin1Char(':')));
        }
        QVERIFY(!mapSlurmState(QStringLiteral("SOME_NEW_STATE")).final);
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
