// Issue 19 item 3, real containers on the local target (podman, the image image.sh builds): a
// script runs inside the image and its outputs, logs and metrics arrive; cancel removes the
// container; a supervisor killed with SIGKILL leaves no container once the run is reaped; --pip
// on an image builds a venv in the image once and reuses it.
#include "core/environment/ContainerLaunch.h"
#include "core/util/Error.h"
#include "tests/containers/ContainerTestSupport.h"
#include "tests/support/RunAround.h"

#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace around;
using namespace containers;

class LocalContainers : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString ws_, src_;

    QStringList submit(const QString& entry, const QStringList& more = {}) const {
        return QStringList{QStringLiteral("submit"),
                           QStringLiteral("--source"),
                           src_,
                           QStringLiteral("--entry"),
                           entry,
                           QStringLiteral("--image"),
                           kImage} +
               more;
    }

    lb::Json waitForEnd(const QString& id) const {
        const CliResult r = lbIn(ws_, {QStringLiteral("wait"), id}, 120000);
        Q_UNUSED(r);
        return showRun(ws_, id);
    }

    bool waitForStatus(const QString& id, const std::string& status, int ms) const {
        for (int waited = 0; waited < ms; waited += 200) {
            if (showRun(ws_, id)["status"].get<std::string>() == status) return true;
            QThread::msleep(200);
        }
        return false;
    }

private slots:
    void initTestCase() {
        QVERIFY2(podmanAnswers(), "the test image is missing; tests/containers/image.sh builds it");
        QVERIFY2(!QFileInfo::exists(QStringLiteral("/etc/labbench-test-image")),
                 "this machine has the image's marker file, so it proves nothing");
        ws_ = tmp_.filePath(QStringLiteral("ws"));
        QCOMPARE(runLabbench({QStringLiteral("workspace"), QStringLiteral("init"), ws_}).exitCode,
                 0);
        src_ = tmp_.filePath(QStringLiteral("src"));
        writeScript(src_, QStringLiteral("inside.py"),
                    "import os, labbench\n"
                    "marker = open('/etc/labbench-test-image').read().strip()\n"
                    "print('inside', marker, 'as uid', os.getuid(), flush=True)\n"
                    "os.makedirs('outputs', exist_ok=True); os.makedirs('logs', exist_ok=True)\n"
                    "open('outputs/result.txt', 'w').write(marker + '\\n')\n"
                    "open('logs/train.log', 'w').write('epoch 1 done\\n')\n"
                    "for step in range(3): labbench.log('acc', 0.5 + step / 10, step=step)\n");
        writeScript(src_, QStringLiteral("stubborn.py"),
                    "import signal, time\n"
                    "signal.signal(signal.SIGTERM, signal.SIG_IGN)  # only a kill stops it\n"
                    "print('waiting', flush=True)\n"
                    "time.sleep(600)\n");
        writeScript(src_, QStringLiteral("sleeper.py"),
                    "import time\nprint('sleeping', flush=True)\ntime.sleep(600)\n");
        writeScript(src_, QStringLiteral("uses_tomli.py"),
                    "import tomli\nprint('tomli from', tomli.__file__)\nprint('parsed', "
                    "tomli.loads('a = 1')['a'])\n");
    }

    void engineThatAnswersIsChosenPodmanFirst() {
        // A docker CLI whose daemon does not answer (as on these machines) is passed over.
        const QString bin = tmp_.filePath(QStringLiteral("bin"));
        writeScript(bin, QStringLiteral("docker"),
                    "#!/bin/sh\necho 'Cannot connect to the Docker daemon at "
                    "unix:///var/run/docker.sock.' >&2\nexit 1\n");
        QFile(bin + QStringLiteral("/docker"))
            .setPermissions(QFileDevice::ReadOwner | QFileDevice::ExeOwner);
        try {
            lb::findContainerEngine(bin);
            QFAIL("a docker without a daemon was taken");
        } catch (const lb::Error& e) {
            QVERIFY2(e.message().contains(
                         QLatin1String("docker is installed but its daemon does not answer")),
                     qPrintable(e.message()));
            QVERIFY2(e.message().contains(QLatin1String("install podman")),
                     qPrintable(e.message()));
        }
        QVERIFY(QFile::link(QStandardPaths::findExecutable(QStringLiteral("podman")),
                            bin + QStringLiteral("/podman")));
        QCOMPARE(QFileInfo(lb::findContainerEngine(bin)).fileName(), QStringLiteral("podman"));
        QElapsedTimer again;
        again.start();
        lb::findContainerEngine(bin); // remembered: no second `podman info`
        QVERIFY2(again.elapsed() < 50, qPrintable(QString::number(again.elapsed())));
    }

    void scriptRunsInTheImageAndItsFilesArrive() {
        const CliResult r =
            lbIn(ws_, submit(QStringLiteral("inside.py"), {QStringLiteral("--wait")}));
        QVERIFY2(r.exitCode == 0, r.out.constData());
        const QString id = firstLine(r);
        const lb::Json run = showRun(ws_, id);
        QCOMPARE(run["status"].get<std::string>(), std::string("Completed"));
        const CliResult log = lbIn(ws_, {QStringLiteral("logs"), id});
        QVERIFY2(log.out.contains("inside labbench-test-image"), log.out.constData());
        QFile result(ws_ + QStringLiteral("/runs/") + id +
                     QStringLiteral("/snapshot/outputs/result.txt"));
        QVERIFY(result.open(QIODevice::ReadOnly));
        QCOMPARE(result.readAll(), QByteArray("labbench-test-image\n"));
        const CliResult files = lbIn(ws_, {QStringLiteral("files"), id});
        QVERIFY2(files.out.contains("outputs/result.txt") && files.out.contains("logs/train.log"),
                 files.out.constData());
        const CliResult metrics =
            lbIn(ws_, {QStringLiteral("metrics"), id, QStringLiteral("--json")});
        const lb::Json points = lb::Json::parse(metrics.out.toStdString(), nullptr, false);
        QVERIFY2(metrics.out.contains("\"acc\"") && metrics.out.contains("0.7"),
                 metrics.out.constData());
        Q_UNUSED(points);
        QVERIFY(containersNamed(lb::containerName(id)).isEmpty()); // --rm
    }

    void datastoreNamedInAnArgumentIsMountedIntoTheContainer() {
        const QString shelf = tmp_.filePath(QStringLiteral("shelf"));
        writeScript(shelf, QStringLiteral("data.txt"), "rows 42\n");
        QCOMPARE(lbIn(ws_, {QStringLiteral("datastore"), QStringLiteral("add"), QStringLiteral("shelf"), shelf}).exitCode, 0);
        writeScript(src_, QStringLiteral("reads.py"),
                    "import sys\nprint('read', open(sys.argv[1]).read().strip(), 'in', open('/etc/labbench-test-image').read().strip())\n");
        const CliResult r = lbIn(ws_, submit(QStringLiteral("reads.py"), {QStringLiteral("--wait"), QStringLiteral("--"),
                                                                         QStringLiteral("datastore://shelf/data.txt")}));
        QVERIFY2(r.exitCode == 0, r.out.constData());
        QVERIFY2(r.out.contains("read rows 42 in labbench-test-image"), r.out.constData());
    }

    void cancelRemovesTheContainer() {
        const CliResult r = lbIn(ws_, submit(QStringLiteral("stubborn.py")));
        QVERIFY2(r.exitCode == 0, r.out.constData());
        const QString id = firstLine(r);
        const QString name = lb::containerName(id);
        QVERIFY2(waitForRunningContainer(name, 60000), qPrintable(name));
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(lbIn(ws_, {QStringLiteral("cancel"), id}).exitCode, 0);
        const lb::Json run = waitForEnd(id);
        qInfo("cancel to Canceled with the container gone: %lld ms", clock.elapsed());
        QCOMPARE(run["status"].get<std::string>(), std::string("Canceled"));
        const QStringList left = containersNamed(name);
        QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1Char(','))));
    }

    void killedSupervisorLeavesNoContainer() {
        const CliResult r = lbIn(ws_, submit(QStringLiteral("sleeper.py")));
        QVERIFY2(r.exitCode == 0, r.out.constData());
        const QString id = firstLine(r);
        const QString name = lb::containerName(id);
        QVERIFY2(waitForRunningContainer(name, 60000), qPrintable(name));
        // The supervisor leads its own session; process.json records it.
        const lb::Json p =
            lb::readJsonFile(ws_ + QStringLiteral("/runs/") + id + QStringLiteral("/process.json"));
        const pid_t supervisor = p.value("session", 0);
        QVERIFY(supervisor > 1);
        QCOMPARE(::kill(supervisor, SIGKILL), 0);
        // Any reader reaps the run: its script's client is killed, and the container removed.
        QVERIFY(waitForStatus(id, "Failed", 30000));
        const lb::Json run = showRun(ws_, id);
        QVERIFY2(QString::fromStdString(run["reason"].get<std::string>())
                     .contains(QLatin1String("supervisor vanished")),
                 run.dump().c_str());
        const QStringList left = containersNamed(name);
        QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1Char(','))));
    }

    void pipOnAnImageIsBuiltOnceAndReused() {
        const QStringList args =
            submit(QStringLiteral("uses_tomli.py"),
                   {QStringLiteral("--pip"), QStringLiteral("tomli"), QStringLiteral("--wait")});
        const CliResult first = lbIn(ws_, args);
        QVERIFY2(first.exitCode == 0, first.out.constData());
        QVERIFY2(first.out.contains("parsed 1"), first.out.constData());
        // tomli came from the environment cache, built in the image (the host has its own python).
        QVERIFY2(first.out.contains((ws_ + QStringLiteral("/environments/builds/")).toUtf8()),
                 first.out.constData());
        const CliResult log1 = lbIn(ws_, {QStringLiteral("logs"), firstLine(first)});
        QVERIFY2(log1.out.contains("Successfully installed tomli"), log1.out.constData());

        const CliResult second = lbIn(ws_, args);
        QVERIFY2(second.exitCode == 0, second.out.constData());
        QVERIFY(second.out.contains("parsed 1"));
        const lb::Json run1 = showRun(ws_, firstLine(first)),
                       run2 = showRun(ws_, firstLine(second));
        const double preparing1 = secondsIn(run1, "Preparing"),
                     preparing2 = secondsIn(run2, "Preparing");
        qInfo("Preparing on an image: first run %.3f s (venv + pip in the image), second %.3f s "
              "(reused)",
              preparing1, preparing2);
        const CliResult log2 = lbIn(ws_, {QStringLiteral("logs"), firstLine(second)});
        QVERIFY2(log2.out.contains("using the cached environment"), log2.out.constData());
        QVERIFY(!log2.out.contains("Successfully installed"));
        QVERIFY2(preparing2 < preparing1,
                 qPrintable(QStringLiteral("%1 vs %2").arg(preparing2).arg(preparing1)));
    }
};

QTEST_GUILESS_MAIN(LocalContainers)
#include "tst_local_containers.moc"
