// Issue 19 item 3 on the SSH target of the cluster fixture: --image runs the script in a
// container on the remote machine (podman there, the fixture's sshd passing CONTAINERS_CONF),
// its outputs and metrics come home, and its cancel removes the container.
#include "core/environment/ContainerLaunch.h"
#include "tests/cluster/ClusterEnv.h"
#include "tests/containers/ContainerTestSupport.h"
#include "tests/runs/RunTestSupport.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace lbtest;
using namespace containers;

class SshContainers : public QObject {
    Q_OBJECT
    ClusterEnv env_;
    QTemporaryDir tmp_;
    QString ws_, src_, remote_;

    lb::Json showRun(const QString& id) {
        const CliResult r = runCli(
            ws_, {QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")});
        return r.code == 0 ? r.json() : lb::Json::object();
    }

    QString statusOf(const QString& id) {
        const lb::Json run = showRun(id);
        return run.contains("status") ? QString::fromStdString(run["status"].get<std::string>())
                                      : QString();
    }

    QString waitFinal(const QString& id, int timeoutMs) {
        QString s;
        waitFor(
            [&] {
                s = statusOf(id);
                return s == QLatin1String("Completed") || s == QLatin1String("Failed") ||
                       s == QLatin1String("Canceled");
            },
            timeoutMs);
        return s;
    }

    QString submit(const QString& entry) {
        const CliResult r =
            runCli(ws_, {QStringLiteral("submit"), QStringLiteral("--source"), src_,
                         QStringLiteral("--entry"), entry, QStringLiteral("--compute"),
                         QStringLiteral("box"), QStringLiteral("--image"), kImage});
        if (r.code != 0) qWarning("submit failed: %s", r.err.constData());
        return r.code == 0 ? r.firstLine() : QString();
    }

private slots:
    void initTestCase() {
        env_ = ClusterEnv::load();
        QVERIFY2(env_.ok,
                 "the cluster fixture's env.sh is missing (run through ctest, fixture 'cluster')");
        QVERIFY2(podmanAnswers(), "the test image is missing; tests/containers/image.sh builds it");
        ws_ = tmp_.filePath(QStringLiteral("ws"));
        src_ = tmp_.filePath(QStringLiteral("src"));
        remote_ = tmp_.filePath(QStringLiteral("remote"));
        QCOMPARE(runCli(ws_, {QStringLiteral("workspace"), QStringLiteral("init"), ws_}).code, 0);
        writeFile(src_ + QStringLiteral("/inside.py"),
                  "import os, labbench\n"
                  "marker = open('/etc/labbench-test-image').read().strip()\n"
                  "print('inside', marker, flush=True)\n"
                  "os.makedirs('outputs', exist_ok=True)\n"
                  "open('outputs/result.txt', 'w').write(marker + '\\n')\n"
                  "for step in range(3): labbench.log('acc', 0.5 + step / 10, step=step)\n");
        writeFile(src_ + QStringLiteral("/stubborn.py"),
                  "import signal, time\n"
                  "signal.signal(signal.SIGTERM, signal.SIG_IGN)  # only a kill stops it\n"
                  "print('waiting', flush=True)\n"
                  "time.sleep(600)\n");
        const CliResult r = runCli(
            ws_, QStringList{QStringLiteral("compute"), QStringLiteral("create"),
                             QStringLiteral("ssh"), QStringLiteral("box"), QStringLiteral("--host"),
                             env_.get("LABBENCH_SSH_HOST"), QStringLiteral("--port"),
                             env_.get("LABBENCH_SSH_PORT"), QStringLiteral("--user"),
                             env_.get("LABBENCH_SSH_USER"), QStringLiteral("--identity"),
                             env_.get("LABBENCH_SSH_KEY"), QStringLiteral("--known-hosts"),
                             env_.get("LABBENCH_SSH_KNOWN_HOSTS"), QStringLiteral("--remote-dir"),
                             remote_});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    void containerRunOnTheSshTargetCompletesWithItsOutputsHome() {
        const QString id = submit(QStringLiteral("inside.py"));
        QVERIFY(!id.isEmpty());
        const QString status = waitFinal(id, 180000);
        const QByteArray log = runCli(ws_, {QStringLiteral("logs"), id}).out;
        QVERIFY2(status == QLatin1String("Completed"), (status.toUtf8() + "\n" + log).constData());
        QVERIFY2(log.contains("inside labbench-test-image"), log.constData());
        QCOMPARE(readFile(ws_ + QStringLiteral("/runs/") + id +
                          QStringLiteral("/snapshot/outputs/result.txt")),
                 QByteArray("labbench-test-image\n"));
        const CliResult metrics =
            runCli(ws_, {QStringLiteral("metrics"), id, QStringLiteral("--json")});
        QVERIFY2(metrics.out.contains("\"acc\"") && metrics.out.contains("0.7"),
                 metrics.out.constData());
        QVERIFY(containersNamed(lb::containerName(id)).isEmpty());
    }

    void cancelOnTheSshTargetRemovesTheContainer() {
        const QString id = submit(QStringLiteral("stubborn.py"));
        QVERIFY(!id.isEmpty());
        const QString name = lb::containerName(id);
        QVERIFY2(waitForRunningContainer(name, 90000),
                 qPrintable(name + QStringLiteral(" never ran")));
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(runCli(ws_, {QStringLiteral("cancel"), id}).code, 0);
        const QString status = waitFinal(id, 60000);
        qInfo("SSH cancel to Canceled, container removed: %lld ms", clock.elapsed());
        QCOMPARE(status, QStringLiteral("Canceled"));
        const QStringList left = containersNamed(name);
        QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1Char(','))));
    }

    void vanishedRemoteSupervisorLeavesNoContainer() {
        const QString id = submit(QStringLiteral("stubborn.py"));
        QVERIFY(!id.isEmpty());
        const QString name = lb::containerName(id);
        QVERIFY2(waitForRunningContainer(name, 90000), qPrintable(name + QStringLiteral(" never ran")));
        // The remote supervisor dies (kill -9); its `podman run` client and the container live on.
        const QByteArray pid = readFile(remote_ + QStringLiteral("/runs/") + id + QStringLiteral("/supervisor.pid")).trimmed();
        QVERIFY(pid.toInt() > 1);
        QCOMPARE(::kill(pid.toInt(), SIGKILL), 0);
        const QString status = waitFinal(id, 60000);
        QCOMPARE(status, QStringLiteral("Failed"));
        QVERIFY(waitFor([&] { return containersNamed(name).isEmpty(); }, 30000));
    }

    void imageWithPipOrSeveralProcessesIsRefusedAtSubmit() {
        const CliResult pip = runCli(ws_, {QStringLiteral("submit"), QStringLiteral("--source"),
                                           src_, QStringLiteral("--entry"),
                                           QStringLiteral("inside.py"), QStringLiteral("--compute"),
                                           QStringLiteral("box"), QStringLiteral("--image"), kImage,
                                           QStringLiteral("--pip"), QStringLiteral("tomli")});
        QVERIFY(pip.code != 0);
        QVERIFY2(pip.err.contains("cannot add pip packages to the image"), pip.err.constData());
        const CliResult bad =
            runCli(ws_, {QStringLiteral("submit"), QStringLiteral("--source"), src_,
                         QStringLiteral("--entry"), QStringLiteral("inside.py"),
                         QStringLiteral("--compute"), QStringLiteral("box"),
                         QStringLiteral("--image"), QStringLiteral("-v/:/host")});
        QVERIFY(bad.code != 0);
    }
};

QTEST_GUILESS_MAIN(SshContainers)
#include "tst_ssh_containers.moc"
