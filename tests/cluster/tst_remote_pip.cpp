// pip packages on remote targets, against the real cluster of the fixture: a script importing
// tomli, submitted with --pip tomli to the SSH target, runs in a virtual environment that
// labbench-remote.sh builds there while the run is Preparing; a second run reuses it (the
// environment folder is not rebuilt, Preparing is much shorter); an impossible package fails the
// run in Preparing with pip's own message; on Slurm two jobs asking at once for a new environment
// build it once (inside the batch job, before srun) and an impossible package fails the same
// way; requirements that a shell or pip would read as more than a package are refused at
// submit, before anything runs.
#include "tests/runs/RunTestSupport.h"
#include "tests/cluster/ClusterEnv.h"
#include "core/environment/EnvironmentSpec.h"
#include "core/estimator/Estimator.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace lbtest;

namespace {

const QByteArray kTomliScript = "import tomli\n"
                                "print('tomli version', tomli.__version__)\n"
                                "print('parsed', tomli.loads('a = 1')['a'])\n";
const QString kMissing = QStringLiteral("labbench-no-such-package-zzz9");

QStringList sshArgs(const ClusterEnv& env) {
    return {QStringLiteral("--host"),        env.get("LABBENCH_SSH_HOST"),
            QStringLiteral("--port"),        env.get("LABBENCH_SSH_PORT"),
            QStringLiteral("--user"),        env.get("LABBENCH_SSH_USER"),
            QStringLiteral("--identity"),    env.get("LABBENCH_SSH_KEY"),
            QStringLiteral("--known-hosts"), env.get("LABBENCH_SSH_KNOWN_HOSTS")};
}

lb::Json showRun(const QString& ws, const QString& id) {
    const CliResult r =
        runCli(ws, {QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")});
    return r.code == 0 ? r.json() : lb::Json::object();
}

QString statusOf(const lb::Json& run) {
    return run.contains("status") ? QString::fromStdString(run["status"].get<std::string>())
                                  : QString();
}

bool isFinal(const QString& s) {
    return s == QLatin1String("Completed") || s == QLatin1String("Failed") ||
           s == QLatin1String("Canceled");
}

QStringList statesOf(const lb::Json& run) {
    QStringList states;
    for (const auto& h : run.value("history", lb::Json::array()))
        states << QString::fromStdString(h["status"].get<std::string>());
    return states;
}

// Seconds from entering `status` to the next state; -1 when the run never was in it.
double secondsIn(const lb::Json& run, const char* status) {
    const auto& h = run["history"];
    for (size_t i = 0; i + 1 < h.size(); ++i)
        if (h[i]["status"].get<std::string>() == status) {
            const QDateTime a =
                QDateTime::fromString(QString::fromStdString(h[i]["time"]), Qt::ISODateWithMs);
            const QDateTime b =
                QDateTime::fromString(QString::fromStdString(h[i + 1]["time"]), Qt::ISODateWithMs);
            return a.msecsTo(b) / 1000.0;
        }
    return -1;
}

// The published environments (links) and build folders of a remote target's cache.
QStringList published(const QString& cache) {
    QStringList out;
    for (const QFileInfo& e :
         QDir(cache).entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System))
        if (e.isSymLink()) out << e.fileName() + QStringLiteral(" -> ") + e.symLinkTarget();
    return out;
}

// Build folders of environment `hash` (all environments when empty).
QStringList builds(const QString& cache, const QString& hash = {}) {
    const QStringList filter{hash.isEmpty() ? QStringLiteral("*") : hash + QStringLiteral("-*")};
    return QDir(cache + QStringLiteral("/builds"))
        .entryList(filter, QDir::Dirs | QDir::NoDotAndDotDot);
}

} // namespace

class TestRemotePip : public QObject {
    Q_OBJECT
    ClusterEnv env_;
    QTemporaryDir tmp_;
    QString ws_, src_, remote_;

    CliResult submitRaw(const QString& compute, const QStringList& pip) {
        QStringList args{QStringLiteral("submit"),
                         QStringLiteral("--source"),
                         src_,
                         QStringLiteral("--entry"),
                         QStringLiteral("uses_tomli.py"),
                         QStringLiteral("--compute"),
                         compute};
        for (const QString& p : pip)
            args << QStringLiteral("--pip") << p;
        return runCli(ws_, args);
    }

    QString submit(const QString& compute, const QStringList& pip) {
        const CliResult r = submitRaw(compute, pip);
        if (r.code != 0) qWarning("submit failed: %s", r.err.constData());
        return r.code == 0 ? r.firstLine() : QString();
    }

    lb::Json waitFinal(const QString& id, int timeoutMs) {
        lb::Json run;
        (void)waitFor(
            [&] {
                run = showRun(ws_, id);
                return isFinal(statusOf(run));
            },
            timeoutMs);
        return run;
    }

    QByteArray logOf(const QString& id) { return runCli(ws_, {QStringLiteral("logs"), id}).out; }

    void checkFailedInPreparing(const QString& id) {
        const lb::Json run = waitFinal(id, 180000);
        const QByteArray log = logOf(id);
        QVERIFY2(statusOf(run) == QLatin1String("Failed"),
                 (statusOf(run).toUtf8() + "\n" + log).constData());
        const QString reason = QString::fromStdString(run["reason"].get<std::string>());
        QVERIFY2(reason.contains(QStringLiteral("No matching distribution found for ") + kMissing),
                 qPrintable(reason));
        // It never ran: Preparing went straight to Failed.
        const QStringList states = statesOf(run);
        QVERIFY2(states.size() >= 2 && states[states.size() - 2] == QLatin1String("Preparing") &&
                     !states.contains(QStringLiteral("Running")),
                 qPrintable(states.join(QLatin1Char(','))));
        QVERIFY2(log.contains("ERROR: No matching distribution found"), log.constData());
    }

private slots:
    void initTestCase() {
        env_ = ClusterEnv::load();
        QVERIFY2(env_.ok,
                 "the cluster fixture's env.sh is missing (run through ctest, fixture 'cluster')");
        ws_ = tmp_.filePath(QStringLiteral("ws"));
        src_ = tmp_.filePath(QStringLiteral("src"));
        remote_ = tmp_.filePath(QStringLiteral("remote"));
        QCOMPARE(runCli(ws_, {QStringLiteral("workspace"), QStringLiteral("init"), ws_}).code, 0);
        writeFile(src_ + QStringLiteral("/uses_tomli.py"), kTomliScript);
        CliResult r = runCli(
            ws_, QStringList{QStringLiteral("compute"), QStringLiteral("create"),
                             QStringLiteral("ssh"), QStringLiteral("box")} +
                     sshArgs(env_) +
                     QStringList{QStringLiteral("--remote-dir"), remote_ + QStringLiteral("/ssh")});
        QVERIFY2(r.code == 0, r.err.constData());
        r = runCli(
            ws_, QStringList{QStringLiteral("compute"), QStringLiteral("create"),
                             QStringLiteral("slurm"), QStringLiteral("hpc")} +
                     sshArgs(env_) +
                     QStringList{QStringLiteral("--remote-dir"), remote_ + QStringLiteral("/hpc")});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    void requirementsAShellWouldReadAreRefusedBeforeAnythingRuns() {
        const QStringList hostile{
            QStringLiteral("tomli; rm -rf ~"), QStringLiteral("--index-url=http://x"),
            QStringLiteral("tomli @ http://x/tomli.whl"), QStringLiteral("$(id)")};
        for (const QString& compute : {QStringLiteral("box"), QStringLiteral("hpc")})
            for (const QString& p : hostile) {
                const CliResult r = submitRaw(compute, {p});
                QVERIFY2(r.code != 0, qPrintable(compute + QStringLiteral(": ") + p +
                                                 QStringLiteral(" was accepted")));
                QVERIFY2(r.err.contains("pip_packages"), r.err.constData());
            }
        const CliResult conda =
            runCli(ws_, {QStringLiteral("submit"), QStringLiteral("--source"), src_,
                         QStringLiteral("--entry"), QStringLiteral("uses_tomli.py"),
                         QStringLiteral("--compute"), QStringLiteral("box"),
                         QStringLiteral("--conda"), QStringLiteral("numpy")});
        QVERIFY2(conda.code != 0 && conda.err.contains("conda packages or container images"),
                 conda.err.constData());
        // Nothing ran and nothing reached the remote side.
        const CliResult list =
            runCli(ws_, {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(list.code, 0);
        QCOMPARE(list.json().size(), size_t(0));
        QVERIFY(!QFileInfo::exists(remote_ + QStringLiteral("/ssh/runs")));
        QVERIFY(!QFileInfo::exists(remote_ + QStringLiteral("/hpc/runs")));
    }

    void sshRunInstallsTheEnvironmentThenReusesIt() {
        const QString cache = remote_ + QStringLiteral("/ssh/environments");
        const QString first = submit(QStringLiteral("box"), {QStringLiteral("tomli")});
        QVERIFY(!first.isEmpty());
        const lb::Json run1 = waitFinal(first, 180000);
        const QByteArray log1 = logOf(first);
        QVERIFY2(statusOf(run1) == QLatin1String("Completed"),
                 (statusOf(run1).toUtf8() + "\n" + log1).constData());
        QVERIFY2(log1.contains("tomli version 2.") && log1.contains("parsed 1"), log1.constData());
        QVERIFY2(log1.contains("Successfully installed tomli"), log1.constData());
        // Preparing while the environment is built (a script this short may end before a poll
        // sees it Running).
        QVERIFY2(
            statesOf(run1).join(QLatin1Char(',')).startsWith(QLatin1String("Queued,Preparing,")),
            qPrintable(statesOf(run1).join(QLatin1Char(','))));
        const QStringList links = published(cache);
        QCOMPARE(links.size(), 1);
        QCOMPARE(builds(cache).size(), 1);

        const QString second = submit(QStringLiteral("box"), {QStringLiteral("tomli")});
        QVERIFY(!second.isEmpty());
        const lb::Json run2 = waitFinal(second, 60000);
        const QByteArray log2 = logOf(second);
        QVERIFY2(statusOf(run2) == QLatin1String("Completed"),
                 (statusOf(run2).toUtf8() + "\n" + log2).constData());
        QVERIFY2(log2.contains("tomli version 2.") && log2.contains("using the cached environment"),
                 log2.constData());
        QVERIFY(!log2.contains("Successfully installed"));
        QCOMPARE(published(cache), links); // the same build folder: not rebuilt
        QCOMPARE(builds(cache).size(), 1);
        const double p1 = secondsIn(run1, "Preparing"), p2 = secondsIn(run2, "Preparing");
        qInfo("SSH Preparing: first run %.2f s (upload + venv + pip), second run %.2f s (reused)",
              p1, p2);
        QVERIFY2(p2 >= 0 && p2 < p1 / 2, qPrintable(QStringLiteral("%1 vs %2").arg(p2).arg(p1)));
    }

    void sshImpossiblePackageFailsInPreparingWithPipsMessage() {
        const QString id = submit(QStringLiteral("box"), {kMissing});
        QVERIFY(!id.isEmpty());
        checkFailedInPreparing(id);
        // Nothing half-built was published.
        for (const QString& link : published(remote_ + QStringLiteral("/ssh/environments")))
            QVERIFY(QFileInfo::exists(remote_ + QStringLiteral("/ssh/environments/") +
                                      link.section(QLatin1Char(' '), 0, 0) +
                                      QStringLiteral("/labbench-env.json")));
        QCOMPARE(builds(remote_ + QStringLiteral("/ssh/environments")).size(), 1);
    }

    void sshRunWaitsForTheBuildLockAndCancelsInPreparing() {
        // The remote cache lives on this machine: hold the lock of the environment the run will
        // ask for, as a concurrent build would. The hash is the one core computes.
        lb::Estimator e;
        e.pipPackages = {QStringLiteral("tomli>=1")};
        const QString hash = lb::EnvironmentSpec::forRemote(e, {}).hash();
        const QString cache = remote_ + QStringLiteral("/ssh/environments");
        QVERIFY(QDir().mkpath(cache));
        const int fd =
            ::open(QFile::encodeName(cache + QLatin1Char('/') + hash + QStringLiteral(".lock"))
                       .constData(),
                   O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        QVERIFY(fd >= 0);
        QCOMPARE(::flock(fd, LOCK_EX), 0);
        const QString id = submit(QStringLiteral("box"), {QStringLiteral("tomli>=1")});
        QVERIFY(!id.isEmpty());
        const bool waiting = waitFor(
            [&] {
                return logOf(id).contains("waiting for another run that is building environment " +
                                          hash.toUtf8());
            },
            30000);
        const QString during = statusOf(showRun(ws_, id));
        const CliResult cancel = runCli(ws_, {QStringLiteral("cancel"), id});
        ::close(fd); // the "other build" gives up its lock
        // The CLI waits a little for the run to stop, which it cannot while the lock is held.
        QVERIFY2(cancel.code == 0 || cancel.err.contains("will be canceled as soon as"),
                 (cancel.out + cancel.err).constData());
        QVERIFY2(waiting, logOf(id).constData());
        QCOMPARE(during, QStringLiteral("Preparing"));
        const lb::Json run = waitFinal(id, 60000);
        const QByteArray log = logOf(id);
        QVERIFY2(statusOf(run) == QLatin1String("Canceled"),
                 (statusOf(run).toUtf8() + "\n" + log).constData());
        QVERIFY2(!log.contains("tomli version"), log.constData()); // the script never ran
        QVERIFY2(!statesOf(run).contains(QStringLiteral("Running")),
                 qPrintable(statesOf(run).join(QLatin1Char(','))));
    }

    void slurmJobsBuildTheEnvironmentOnceAndFailWithPipsMessage() {
        const QString cache = remote_ + QStringLiteral("/hpc/environments");
        // Two jobs ask for the same new environment at once; a third asks for the impossible.
        const QString a = submit(QStringLiteral("hpc"), {QStringLiteral("tomli")});
        const QString b = submit(QStringLiteral("hpc"), {QStringLiteral("tomli")});
        const QString bad = submit(QStringLiteral("hpc"), {kMissing});
        QVERIFY(!a.isEmpty() && !b.isEmpty() && !bad.isEmpty());
        int installed = 0;
        for (const QString& id : {a, b}) {
            const lb::Json run = waitFinal(id, 180000);
            const QByteArray log = logOf(id);
            QVERIFY2(statusOf(run) == QLatin1String("Completed"),
                     (statusOf(run).toUtf8() + "\n" + log).constData());
            QVERIFY2(log.contains("tomli version 2.") && log.contains("parsed 1"), log.constData());
            QVERIFY2(statesOf(run).contains(QStringLiteral("Preparing")),
                     qPrintable(statesOf(run).join(QLatin1Char(','))));
            installed += log.contains("Successfully installed tomli") ? 1 : 0;
            qInfo("Slurm run %s Preparing %.2f s", qPrintable(id), secondsIn(run, "Preparing"));
        }
        QCOMPARE(installed, 1);
        const QStringList links = published(cache);
        QCOMPARE(links.size(), 1);
        QCOMPARE(builds(cache, links[0].section(QLatin1Char(' '), 0, 0)).size(), 1);
        checkFailedInPreparing(bad);
        QCOMPARE(published(cache), links); // the failed build published nothing
        QCOMPARE(builds(cache).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestRemotePip)
#include "tst_remote_pip.moc"
