// Remote compute against the real cluster of the fixture (tests/cluster/cluster.sh): runs on
// the SSH target, Slurm through SSH and on this machine, a 2-node x 2-process MPI job (a C
// program, and data-parallel labbench-train), a
// parameter-server job's TF_CONFIG, cancel and time limit of Slurm jobs, sshd restarted in the
// middle of a run, and script arguments that a shell would interpret reaching the script
// literally over SSH and through sbatch. Everything goes through the real `labbench` binary.
#include "tests/cluster/ClusterEnv.h"
#include "tests/runs/RunTestSupport.h"

#include <QDirIterator>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/stat.h>

using namespace lbtest;

namespace {

const QStringList kNasty{QStringLiteral("; rm -rf ~"), QStringLiteral("$(id)"), QStringLiteral("`id`"),
                         QStringLiteral("it's \"quoted\""), QStringLiteral("*")};

// Prints each argument as JSON, logs metrics, writes outputs/ and logs/.
const QByteArray kArgsScript = R"(import json, os, sys
import labbench
print("ARGS " + json.dumps(sys.argv[1:]))
for i in range(5):
    labbench.log("loss", 1.0 / (i + 1), step=i)
    print("line", i, flush=True)
os.makedirs("outputs", exist_ok=True)
with open("outputs/model.txt", "w") as f:
    f.write("weights")
os.makedirs("logs", exist_ok=True)
with open("logs/extra.log", "w") as f:
    f.write("extra")
)";

// 120 numbered lines and metrics over about 6 s.
const QByteArray kCountScript = "import time, labbench\n"
                                "for i in range(120):\n"
                                "    print('count %03d' % i, flush=True)\n"
                                "    labbench.log('i', i, step=i)\n"
                                "    time.sleep(0.05)\n";

QStringList sshArgs(const ClusterEnv& env) {
    return {QStringLiteral("--host"), env.get("LABBENCH_SSH_HOST"), QStringLiteral("--port"), env.get("LABBENCH_SSH_PORT"),
            QStringLiteral("--user"), env.get("LABBENCH_SSH_USER"), QStringLiteral("--identity"), env.get("LABBENCH_SSH_KEY"),
            QStringLiteral("--known-hosts"), env.get("LABBENCH_SSH_KNOWN_HOSTS")};
}

lb::Json showRun(const QString& ws, const QString& id) {
    const CliResult r = runCli(ws, {QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")});
    return r.code == 0 ? r.json() : lb::Json::object();
}

QString statusOf(const QString& ws, const QString& id) {
    const lb::Json j = showRun(ws, id);
    return j.contains("status") ? QString::fromStdString(j["status"].get<std::string>()) : QString();
}

bool isFinal(const QString& s) {
    return s == QLatin1String("Completed") || s == QLatin1String("Failed") || s == QLatin1String("Canceled");
}

QString waitFinal(const QString& ws, const QString& id, int timeoutMs) {
    QString s;
    waitFor([&] { s = statusOf(ws, id); return isFinal(s); }, timeoutMs);
    return s;
}

// The sshd children (one per connection) of the fixture's sshd.
QList<int> childrenOf(int parent) {
    QList<int> pids;
    QDirIterator it(QStringLiteral("/proc"), QDir::Dirs | QDir::NoDotAndDotDot);
    while (it.hasNext()) {
        bool ok = false;
        const int pid = it.next().section(QLatin1Char('/'), -1).toInt(&ok);
        if (!ok)
            continue;
        const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
        const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields[1].toInt() == parent && fields[0] != "Z")
            pids.append(pid);
    }
    return pids;
}

} // namespace

class TestRemoteCluster : public QObject {
    Q_OBJECT
    ClusterEnv env_;
    QTemporaryDir tmp_;
    QString ws_, src_, remote_;
    QString timeoutRun_;

    QString submit(const QStringList& args, const QStringList& scriptArgs = {}) {
        QStringList all{QStringLiteral("submit"), QStringLiteral("--source"), src_};
        all << args;
        if (!scriptArgs.isEmpty())
            all << QStringLiteral("--") << scriptArgs;
        const CliResult r = runCli(ws_, all);
        if (r.code != 0)
            qWarning("submit failed: %s", r.err.constData());
        return r.code == 0 ? r.firstLine() : QString();
    }

    QByteArray logOf(const QString& id) {
        return runCli(ws_, {QStringLiteral("logs"), id}).out;
    }

    void checkArgsRun(const QString& id, const QString& compute) {
        const QString status = waitFinal(ws_, id, 90000);
        const QByteArray log = logOf(id);
        QVERIFY2(status == QLatin1String("Completed"), qPrintable(compute + ": " + status + "\n" + log));
        // Each argument arrived as the same bytes.
        const qsizetype at = log.indexOf("ARGS ");
        QVERIFY2(at >= 0, log.constData());
        const lb::Json args = lb::Json::parse(log.mid(at + 5, log.indexOf('\n', at) - at - 5).toStdString());
        QCOMPARE(args.size(), size_t(kNasty.size()));
        for (int i = 0; i < kNasty.size(); ++i)
            QCOMPARE(QString::fromStdString(args[size_t(i)].get<std::string>()), kNasty[i]);
        for (int i = 0; i < 5; ++i)
            QVERIFY(log.contains(QStringLiteral("line %1\n").arg(i).toUtf8()));
        const CliResult metrics = runCli(ws_, {QStringLiteral("metrics"), id, QStringLiteral("--json")});
        QCOMPARE(metrics.json().size(), size_t(5));
        // outputs/ and logs/ came home and are listed with the run.
        const lb::Json run = showRun(ws_, id);
        QCOMPARE(readFile(ws_ + QStringLiteral("/runs/") + id + QStringLiteral("/snapshot/outputs/model.txt")),
                 QByteArray("weights"));
        const CliResult files = runCli(ws_, {QStringLiteral("files"), id});
        QVERIFY2(files.out.contains("outputs/model.txt") && files.out.contains("logs/extra.log"), files.out.constData());
        QVERIFY(run.contains("history"));
    }

private slots:
    void initTestCase() {
        env_ = ClusterEnv::load();
        QVERIFY2(env_.ok, "the cluster fixture's env.sh is missing (run through ctest, fixture 'cluster')");
        ws_ = tmp_.filePath(QStringLiteral("ws"));
        src_ = tmp_.filePath(QStringLiteral("src"));
        remote_ = tmp_.filePath(QStringLiteral("remote"));
        QCOMPARE(runCli(ws_, {QStringLiteral("workspace"), QStringLiteral("init"), ws_}).code, 0);
        writeFile(src_ + QStringLiteral("/args.py"), kArgsScript);
        writeFile(src_ + QStringLiteral("/count.py"), kCountScript);
        writeFile(src_ + QStringLiteral("/forever.sh"), "#!/bin/sh\necho alive\nwhile :; do sleep 1; done\n", true);
        QStringList ssh{QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("ssh"), QStringLiteral("box")};
        CliResult r = runCli(ws_, ssh + sshArgs(env_) + QStringList{QStringLiteral("--remote-dir"), remote_ + QStringLiteral("/ssh")});
        QVERIFY2(r.code == 0, r.err.constData());
        r = runCli(ws_, QStringList{QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("slurm"),
                                    QStringLiteral("hpc")} +
                            sshArgs(env_) + QStringList{QStringLiteral("--remote-dir"), remote_ + QStringLiteral("/hpc")});
        QVERIFY2(r.code == 0, r.err.constData());
        r = runCli(ws_, {QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("slurm"), QStringLiteral("here"),
                         QStringLiteral("--remote-dir"), remote_ + QStringLiteral("/here")});
        QVERIFY2(r.code == 0, r.err.constData());
        // Slurm checks time limits about every 30 s in minutes: start the slow one first.
        writeFile(src_ + QStringLiteral("/sleepy.sh"),
                  "#!/bin/sh\necho started\nwhile :; do sleep 1; done\n", true);
        timeoutRun_ = submit({QStringLiteral("--entry"), QStringLiteral("sleepy.sh"), QStringLiteral("--compute"),
                              QStringLiteral("here"), QStringLiteral("--max-duration"), QStringLiteral("1")});
        QVERIFY(!timeoutRun_.isEmpty());
    }

    void computeTestConnectsAndAsksSlurm() {
        CliResult r = runCli(ws_, {QStringLiteral("compute"), QStringLiteral("test"), QStringLiteral("box")});
        QVERIFY2(r.code == 0 && r.out.contains("Connected to") && r.out.contains("writable"), (r.out + r.err).constData());
        r = runCli(ws_, {QStringLiteral("compute"), QStringLiteral("test"), QStringLiteral("hpc")});
        QVERIFY2(r.code == 0 && r.out.contains("sinfo: debug"), (r.out + r.err).constData());
    }

    void unknownHostKeyIsRefusedWithTheFix() {
        const QString empty = tmp_.filePath(QStringLiteral("empty_known_hosts"));
        writeFile(empty, "");
        QStringList args = sshArgs(env_);
        args[args.indexOf(QStringLiteral("--known-hosts")) + 1] = empty;
        CliResult r = runCli(ws_, QStringList{QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("ssh"),
                                              QStringLiteral("stranger")} +
                                      args + QStringList{QStringLiteral("--remote-dir"), QStringLiteral("/tmp/x")});
        QCOMPARE(r.code, 0);
        r = runCli(ws_, {QStringLiteral("compute"), QStringLiteral("test"), QStringLiteral("stranger")});
        QVERIFY2(r.code == 1 && r.err.contains("not in") && r.err.contains("accept-new"), r.err.constData());
        QCOMPARE(runCli(ws_, {QStringLiteral("compute"), QStringLiteral("remove"), QStringLiteral("stranger")}).code, 0);
    }

    void runOnSshTargetWithHostileArguments() {
        const QString id = submit({QStringLiteral("--entry"), QStringLiteral("args.py"), QStringLiteral("--compute"),
                                   QStringLiteral("box")},
                                  kNasty);
        QVERIFY(!id.isEmpty());
        checkArgsRun(id, QStringLiteral("ssh"));
    }

    void slurmRunThroughSshWithHostileArguments() {
        const QString id = submit({QStringLiteral("--entry"), QStringLiteral("args.py"), QStringLiteral("--compute"),
                                   QStringLiteral("hpc")},
                                  kNasty);
        QVERIFY(!id.isEmpty());
        checkArgsRun(id, QStringLiteral("slurm"));
        const lb::Json run = showRun(ws_, id);
        QStringList states;
        for (const auto& h : run["history"])
            states << QString::fromStdString(h["status"].get<std::string>());
        QVERIFY2(states.first() == QLatin1String("Queued") && states.contains(QStringLiteral("Completed")),
                 qPrintable(states.join(',')));
    }

    void mpiTwoNodesTimesTwoProcessesOnSlurm() {
        const QString dir = tmp_.filePath(QStringLiteral("mpi"));
        QDir().mkpath(dir);
        QFile::copy(QStringLiteral(LABBENCH_SOURCE_DIR "/tests/cluster/mpi_allreduce.c"), dir + QStringLiteral("/allreduce.c"));
        Ran cc = runProgram(QStringLiteral("mpicc"), {dir + QStringLiteral("/allreduce.c"), QStringLiteral("-o"),
                                                      dir + QStringLiteral("/allreduce")});
        QVERIFY2(cc.exitCode == 0, cc.out.constData());
        QFile::remove(dir + QStringLiteral("/allreduce.c"));
        const CliResult r = runCli(ws_, {QStringLiteral("submit"), QStringLiteral("--source"), dir, QStringLiteral("--entry"),
                                         QStringLiteral("allreduce"), QStringLiteral("--compute"), QStringLiteral("hpc"),
                                         QStringLiteral("--nodes"), QStringLiteral("2"), QStringLiteral("--processes-per-node"),
                                         QStringLiteral("2"), QStringLiteral("--backend"), QStringLiteral("mpi"),
                                         QStringLiteral("--env"), QStringLiteral("OMPI_MCA_btl=self,tcp")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString id = r.firstLine();
        const QString status = waitFinal(ws_, id, 120000);
        const QByteArray log = logOf(id);
        QVERIFY2(status == QLatin1String("Completed"), (status.toUtf8() + "\n" + log).constData());
        for (int rank = 0; rank < 4; ++rank)
            QVERIFY2(log.contains(QStringLiteral("[rank %1] rank %1 of 4 sum 6 node %2").arg(rank).arg(rank / 2).toUtf8()),
                     log.constData());
        // Metrics come from rank 0 only.
        const lb::Json metrics = runCli(ws_, {QStringLiteral("metrics"), id, QStringLiteral("--json")}).json();
        QCOMPARE(metrics.size(), size_t(1));
        QCOMPARE(metrics[0]["value"].get<double>(), 6.0);
    }

    // Data-parallel labbench-train (issue 7 item 5) as 2 nodes x 2 MPI ranks through sbatch and
    // srun --mpi=pmix: Completed, one model, metrics from rank 0 only and each step once.
    // labbench-train must be on the cluster's PATH (the .deb puts it in /usr/bin); here the
    // build's bin/ stands in for the installed one.
    void labbenchTrainTwoNodesTimesTwoRanksOnSlurm() {
        const QString empty = tmp_.filePath(QStringLiteral("trainsrc"));
        QDir().mkpath(empty);
        const CliResult r = runCli(
            ws_, {QStringLiteral("submit"), QStringLiteral("--source"), empty, QStringLiteral("--framework"),
                  QStringLiteral("builtin-mnist"), QStringLiteral("--compute"), QStringLiteral("hpc"),
                  QStringLiteral("--nodes"), QStringLiteral("2"), QStringLiteral("--processes-per-node"),
                  QStringLiteral("2"), QStringLiteral("--backend"), QStringLiteral("mpi"), QStringLiteral("--env"),
                  QStringLiteral("OMPI_MCA_btl=self,tcp"), QStringLiteral("--env"),
                  // The two emulated nodes share this machine's cores: four ranks on two cores,
                  // which Slurm cannot know. Waiting ranks must yield instead of spinning (30x
                  // slower epochs without).
                  QStringLiteral("OMPI_MCA_mpi_yield_when_idle=1"), QStringLiteral("--env"),
                  QStringLiteral("LSAN_OPTIONS=") + qEnvironmentVariable("LSAN_OPTIONS"), QStringLiteral("--env"),
                  QStringLiteral("PATH=" LABBENCH_BIN_DIR ":/usr/local/bin:/usr/bin:/bin"), QStringLiteral("--"),
                  QStringLiteral("--data"), QStringLiteral(LABBENCH_MNIST_DIR), QStringLiteral("--epochs"),
                  QStringLiteral("2"), QStringLiteral("--lr"), QStringLiteral("0.05"), QStringLiteral("--backend"),
                  QStringLiteral("cpu")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString id = r.firstLine();
        const QString status = waitFinal(ws_, id, 180000);
        const QByteArray log = logOf(id);
        QVERIFY2(status == QLatin1String("Completed"), (status.toUtf8() + "\n" + log).constData());
        QVERIFY2(log.contains("[rank 0] labbench-train: the weights are identical on all 4 ranks"), log.constData());
        for (const QByteArray& line : log.split('\n'))
            if (line.contains("] epoch "))
                qInfo("%s", line.constData());
        QCOMPARE(log.count("MPI, rank 0 of 4"), qsizetype(1));
        for (int rank = 1; rank < 4; ++rank) // the other ranks train silently
            QVERIFY2(!log.contains(QStringLiteral("[rank %1] labbench-train:").arg(rank).toUtf8()), log.constData());
        // Metrics from rank 0 only: every (name, step) once, two epochs of Accuracy.
        const lb::Json metrics = runCli(ws_, {QStringLiteral("metrics"), id, QStringLiteral("--json")}).json();
        QSet<QString> seen;
        QList<double> accuracy;
        for (const auto& m : metrics) {
            const QString key = QString::fromStdString(m["name"].get<std::string>()) + QLatin1Char('@') +
                                QString::number(m["step"].get<long>());
            QVERIFY2(!seen.contains(key), qPrintable(key + QStringLiteral(" twice")));
            seen.insert(key);
            if (m["name"] == "Accuracy")
                accuracy.append(m["value"].get<double>());
        }
        QCOMPARE(accuracy.size(), 2);
        QVERIFY2(accuracy.last() > 0.9, qPrintable(QString::number(accuracy.last())));
        // The program itself wrote nothing for ranks 1-3 (rank-exec would have sent it to
        // metrics.rankN.jsonl in the remote run folder).
        const QString remoteRun = remote_ + QStringLiteral("/hpc/runs/") + id;
        QVERIFY2(QFileInfo(remoteRun).isDir(), qPrintable(remoteRun));
        QVERIFY2(QDir(remoteRun).entryList({QStringLiteral("metrics.rank*")}, QDir::Files).isEmpty(),
                 qPrintable(QDir(remoteRun).entryList().join(QLatin1Char(' '))));
        // The model came home with the run's outputs.
        QVERIFY(QFile::exists(ws_ + QStringLiteral("/runs/") + id + QStringLiteral("/snapshot/outputs/model.npz")));
    }

    void parameterServerTasksGetTfConfig() {
        const QString dir = tmp_.filePath(QStringLiteral("ps"));
        writeFile(dir + QStringLiteral("/tf.py"), "import os\nprint('TF_CONFIG=' + os.environ['TF_CONFIG'])\n");
        const CliResult s = runCli(ws_, {QStringLiteral("submit"), QStringLiteral("--source"), dir, QStringLiteral("--entry"),
                                         QStringLiteral("tf.py"), QStringLiteral("--compute"), QStringLiteral("box"),
                                         QStringLiteral("--backend"), QStringLiteral("parameter_server"),
                                         QStringLiteral("--worker-count"), QStringLiteral("2"),
                                         QStringLiteral("--parameter-server-count"), QStringLiteral("1")});
        QVERIFY2(s.code == 0, s.err.constData());
        const QString id = s.firstLine();
        const QString status = waitFinal(ws_, id, 90000);
        const QByteArray log = logOf(id);
        QVERIFY2(status == QLatin1String("Completed"), (status.toUtf8() + "\n" + log).constData());
        QSet<QString> tasks;
        for (const QByteArray& line : log.split('\n')) {
            const qsizetype at = line.indexOf("TF_CONFIG=");
            if (at < 0)
                continue;
            QVERIFY2(line.startsWith("[rank "), line.constData());
            const lb::Json tf = lb::Json::parse(line.mid(at + 10).toStdString());
            QCOMPARE(tf["environment"].get<std::string>(), std::string("cloud"));
            QCOMPARE(tf["cluster"]["worker"].size(), size_t(2));
            QCOMPARE(tf["cluster"]["ps"].size(), size_t(1));
            tasks.insert(QString::fromStdString(tf["task"]["type"].get<std::string>()) + QString::number(tf["task"]["index"].get<int>()));
        }
        QCOMPARE(tasks, (QSet<QString>{QStringLiteral("worker0"), QStringLiteral("worker1"), QStringLiteral("ps0")}));
    }

    void cancelRunningSlurmJob() {
        writeFile(src_ + QStringLiteral("/forever.sh"), "#!/bin/sh\necho alive\nwhile :; do sleep 1; done\n", true);
        const QString id = submit({QStringLiteral("--entry"), QStringLiteral("forever.sh"), QStringLiteral("--compute"),
                                   QStringLiteral("hpc")});
        QVERIFY(!id.isEmpty());
        QVERIFY2(waitFor([&] { return logOf(id).contains("alive"); }, 60000), qPrintable(statusOf(ws_, id)));
        QCOMPARE(statusOf(ws_, id), QStringLiteral("Running"));
        QElapsedTimer t;
        t.start();
        QCOMPARE(runCli(ws_, {QStringLiteral("cancel"), id}).code, 0);
        QCOMPARE(waitFinal(ws_, id, 30000), QStringLiteral("Canceled"));
        qInfo("Slurm cancel to Canceled: %lld ms", t.elapsed());
        const Ran q = runProgram(QStringLiteral("squeue"), {QStringLiteral("-h"), QStringLiteral("-n"), QStringLiteral("lb-") + id});
        QVERIFY2(q.out.trimmed().isEmpty(), q.out.constData());
    }

    void cancelAndTimeLimitOnSshTarget() {
        const QString canceled = submit({QStringLiteral("--entry"), QStringLiteral("forever.sh"), QStringLiteral("--compute"),
                                         QStringLiteral("box")});
        const QString limited = submit({QStringLiteral("--entry"), QStringLiteral("forever.sh"), QStringLiteral("--compute"),
                                        QStringLiteral("box"), QStringLiteral("--max-duration"), QStringLiteral("2")});
        QVERIFY(!canceled.isEmpty() && !limited.isEmpty());
        QVERIFY(waitFor([&] { return logOf(canceled).contains("alive"); }, 60000));
        QElapsedTimer t;
        t.start();
        QCOMPARE(runCli(ws_, {QStringLiteral("cancel"), canceled}).code, 0);
        QCOMPARE(waitFinal(ws_, canceled, 30000), QStringLiteral("Canceled"));
        qInfo("SSH cancel to Canceled: %lld ms", t.elapsed());
        QCOMPARE(waitFinal(ws_, limited, 60000), QStringLiteral("Failed"));
        const QString reason = QString::fromStdString(showRun(ws_, limited).value("reason", std::string()));
        QVERIFY2(reason.contains(QLatin1String("maximum duration")), qPrintable(reason));
        // Nothing of either script is left running there.
        const Ran ps = runProgram(QStringLiteral("pgrep"), {QStringLiteral("-f"), QStringLiteral("forever.sh")});
        QVERIFY2(ps.out.trimmed().isEmpty() || ps.exitCode == 1, ps.out.constData());
    }

    void datastoreIsSyncedOnceAndReused() {
        const QString data = tmp_.filePath(QStringLiteral("data"));
        writeFile(data + QStringLiteral("/train/part1.txt"), "hello data\n");
        QCOMPARE(runCli(ws_, {QStringLiteral("datastore"), QStringLiteral("add"), QStringLiteral("ds"), data}).code, 0);
        writeFile(src_ + QStringLiteral("/readds.py"),
                  "import sys\nprint('PATH ' + sys.argv[1])\nprint(open(sys.argv[1] + '/part1.txt').read())\n");
        const QString cached = remote_ + QStringLiteral("/ssh/.labbench/datastores/ds/train/part1.txt");
        qint64 firstMtime = 0;
        for (int round = 0; round < 2; ++round) {
            const QString id = submit({QStringLiteral("--entry"), QStringLiteral("readds.py"), QStringLiteral("--compute"),
                                       QStringLiteral("box")},
                                      {QStringLiteral("datastore://ds/train")});
            QVERIFY(!id.isEmpty());
            QCOMPARE(waitFinal(ws_, id, 60000), QStringLiteral("Completed"));
            const QByteArray log = logOf(id);
            QVERIFY2(log.contains("hello data") && log.contains(("PATH " + remote_ + "/ssh/.labbench/datastores/ds/train").toUtf8()),
                     log.constData());
            // rsync writes a changed file anew (a new inode); an unchanged one is left alone.
            struct stat st {};
            QCOMPARE(::stat(QFile::encodeName(cached).constData(), &st), 0);
            const qint64 mtime = static_cast<qint64>(st.st_ino);
            if (round == 0)
                firstMtime = mtime;
            else
                QCOMPARE(mtime, firstMtime); // reused, not copied again
        }
    }

    void sshdRestartMidRunLosesNoLine() {
        const QString id = submit({QStringLiteral("--entry"), QStringLiteral("count.py"), QStringLiteral("--compute"),
                                   QStringLiteral("box")});
        QVERIFY(!id.isEmpty());
        QVERIFY(waitFor([&] { return logOf(id).contains("count 010"); }, 60000));
        // Stop sshd and every connection it serves (the follower's master connection too).
        const QString dir = env_.get("LABBENCH_CLUSTER_DIR");
        const int sshd = readFile(dir + QStringLiteral("/ssh/sshd.pid")).trimmed().toInt();
        QVERIFY(sshd > 1);
        for (int child : childrenOf(sshd))
            ::kill(child, SIGKILL);
        ::kill(sshd, SIGTERM);
        QVERIFY(waitFor([&] { return runProgram(QStringLiteral("ssh"), env_.sshArgs() + QStringList{QStringLiteral("true")}, 5000).exitCode == 255; }, 10000));
        QThread::sleep(3); // the run goes on; the follower retries with backoff
        QCOMPARE(statusOf(ws_, id), QStringLiteral("Running"));
        const Ran restart = runProgram(QStringLiteral("/usr/sbin/sshd"),
                                       {QStringLiteral("-f"), dir + QStringLiteral("/ssh/sshd_config"), QStringLiteral("-E"),
                                        dir + QStringLiteral("/log/sshd.log")});
        QCOMPARE(restart.exitCode, 0);
        QCOMPARE(waitFinal(ws_, id, 90000), QStringLiteral("Completed"));
        const QByteArray log = logOf(id);
        for (int i = 0; i < 120; ++i)
            QVERIFY2(log.contains(QStringLiteral("count %1\n").arg(i, 3, 10, QLatin1Char('0')).toUtf8()), qPrintable(QString::number(i)));
        QCOMPARE(log.count("count "), 120);
        const lb::Json metrics = runCli(ws_, {QStringLiteral("metrics"), id, QStringLiteral("--json")}).json();
        QCOMPARE(metrics.size(), size_t(120));
    }

    void followerKilledMidRunIsReplacedAndLosesNothing() {
        const QString id = submit({QStringLiteral("--entry"), QStringLiteral("count.py"), QStringLiteral("--compute"),
                                   QStringLiteral("hpc")});
        QVERIFY(!id.isEmpty());
        QVERIFY(waitFor([&] { return logOf(id).contains("count 010"); }, 60000));
        // The follower (`labbench remote follow ID`) dies as hard as a process can.
        int follower = 0;
        QDirIterator it(QStringLiteral("/proc"), QDir::Dirs | QDir::NoDotAndDotDot);
        while (it.hasNext()) {
            const QString dir = it.next();
            const QByteArray cmd = readFile(dir + QStringLiteral("/cmdline"));
            if (cmd.contains(QByteArray("remote\0follow\0", 14) + id.toUtf8()))
                follower = dir.section(QLatin1Char('/'), -1).toInt();
        }
        QVERIFY(follower > 1);
        ::kill(follower, SIGKILL);
        // `labbench wait` reconciles: a new follower picks the run up where the files say.
        const CliResult w = runCli(ws_, {QStringLiteral("wait"), id}, 120000);
        QCOMPARE(statusOf(ws_, id), QStringLiteral("Completed"));
        const QByteArray log = logOf(id);
        QCOMPARE(log.count("count "), 120);
        QCOMPARE(runCli(ws_, {QStringLiteral("metrics"), id, QStringLiteral("--json")}).json().size(), size_t(120));
        Q_UNUSED(w);
    }

    void slurmTimeLimitEndsFailedWithTimeout() {
        const QString status = waitFinal(ws_, timeoutRun_, 150000);
        const lb::Json run = showRun(ws_, timeoutRun_);
        QCOMPARE(status, QStringLiteral("Failed"));
        const QString reason = QString::fromStdString(run.value("reason", std::string()));
        QVERIFY2(reason.startsWith(QLatin1String("TIMEOUT")), qPrintable(reason));
        QVERIFY(logOf(timeoutRun_).contains("started"));
    }
};

QTEST_GUILESS_MAIN(TestRemoteCluster)
#include "tst_remote_cluster.moc"
