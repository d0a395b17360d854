// Run environments: a real venv with a package from PyPI (tomli, tiny and pure Python), built
// once and reused quickly, built once when two processes ask at the same time, an impossible
// package failing with pip's own message and leaving nothing that looks ready, and clear errors
// when conda or a container engine is missing.
#include "core/environment/ContainerLaunch.h"
#include "core/environment/EnvironmentCache.h"
#include "core/estimator/Estimator.h"
#include "core/util/Error.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

class Environments : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString cacheDir() const { return tmp_.filePath(QStringLiteral("environments")); }

    static lb::Estimator withPip(const QStringList& packages) {
        lb::Estimator e;
        e.python = QStringLiteral("python3");
        e.pipPackages = packages;
        return e;
    }

    static QByteArray runPython(const QString& python, const QString& code) {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(python, {QStringLiteral("-c"), code});
        if (!p.waitForFinished(60000))
            return "timeout";
        return p.readAll().trimmed() + (p.exitCode() == 0 ? "" : " (failed)");
    }

private slots:
    void specIsCanonicalAndRefusesOptions() {
        const auto a = lb::EnvironmentSpec::fromEstimator(withPip({QStringLiteral("tomli"), QStringLiteral("six"), QStringLiteral(" six ")}), {});
        const auto b = lb::EnvironmentSpec::fromEstimator(withPip({QStringLiteral("six"), QStringLiteral("tomli")}), {});
        QCOMPARE(a.pipPackages, (QStringList{QStringLiteral("six"), QStringLiteral("tomli")}));
        QCOMPARE(a.hash(), b.hash());
        QCOMPARE(a.hash().size(), 16);
        QVERIFY(a.python.startsWith(QLatin1Char('/')));
        QVERIFY(a.hash() != lb::EnvironmentSpec::fromEstimator(withPip({QStringLiteral("six")}), {}).hash());
        for (const QString& bad : {QStringLiteral("-r/etc/passwd"), QStringLiteral("--index-url=http://evil")}) {
            try {
                lb::EnvironmentSpec::fromEstimator(withPip({bad}), {});
                QFAIL("an option-like package was accepted");
            } catch (const lb::Error& e) {
                QVERIFY2(e.message().contains(QLatin1String("looks like an option")), qPrintable(e.message()));
            }
        }
        lb::Estimator missing = withPip({QStringLiteral("six")});
        missing.python = QStringLiteral("python-that-does-not-exist-3");
        try {
            lb::EnvironmentSpec::fromEstimator(missing, {});
            QFAIL("a missing interpreter was accepted");
        } catch (const lb::Error& e) {
            QVERIFY2(e.message().contains(QLatin1String("python-that-does-not-exist-3")), qPrintable(e.message()));
        }
        // No packages, no image: the system interpreter, nothing to build.
        lb::EnvironmentCache cache(cacheDir());
        const auto system = cache.prepare(withPip({}), {});
        QCOMPARE(system.python, QStringLiteral("python3"));
        QVERIFY(system.hash.isEmpty());
    }

    void venvIsBuiltOnceThenReusedQuickly() {
        lb::EnvironmentCache cache(cacheDir());
        QStringList log;
        auto sink = [&](const QString& line) { log.append(line); };
        const auto first = cache.prepare(withPip({QStringLiteral("tomli")}), sink);
        QVERIFY(first.built);
        QVERIFY2(log.join('\n').contains(QLatin1String("Successfully installed tomli")), qPrintable(log.join('\n')));
        QVERIFY(first.python.startsWith(QDir(cacheDir()).canonicalPath() + QStringLiteral("/builds/")));
        QCOMPARE(first.pathPrepend, QStringList{first.dir + QStringLiteral("/bin")});
        QCOMPARE(first.variables.value(QStringLiteral("VIRTUAL_ENV")), first.dir);
        // The package is importable from the environment, and it lives inside it.
        const QByteArray where = runPython(first.python, QStringLiteral("import tomli, sys; print(tomli.__file__)"));
        QVERIFY2(where.startsWith(first.dir.toUtf8()), where.constData());
        qInfo("first prepare (venv + pip install tomli): %.2f s", first.seconds);

        log.clear();
        lb::EnvironmentCache again(cacheDir()); // as a later run would: a new object
        const auto second = again.prepare(withPip({QStringLiteral("tomli")}), sink);
        QVERIFY(!second.built);
        QCOMPARE(second.python, first.python);
        QVERIFY2(second.seconds < 0.25, qPrintable(QString::number(second.seconds)));
        QVERIFY(log.join('\n').contains(QLatin1String("using the cached environment")));
        qInfo("second prepare (reuse): %.4f s", second.seconds);

        const auto listed = again.list();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed[0].hash, first.hash);
        QVERIFY(listed[0].bytes > 100000);
        QCOMPARE(QString::fromStdString(listed[0].spec["pip_packages"][0].get<std::string>()), QStringLiteral("tomli"));
        QVERIFY(listed[0].buildSeconds > 0);
    }

    void twoProcessesPreparingTheSameNewEnvironmentBuildItOnce() {
        // A spec of its own (another hash than the test above).
        const QStringList args{cacheDir(), QStringLiteral("python3"), QStringLiteral("tomli"), QStringLiteral("tomli<99")};
        QProcess a, b;
        for (QProcess* p : {&a, &b}) {
            p->setProcessChannelMode(QProcess::MergedChannels);
            p->start(QStringLiteral(ENV_PREPARE_HELPER), args);
        }
        QVERIFY(a.waitForFinished(300000));
        QVERIFY(b.waitForFinished(300000));
        const QString outA = QString::fromUtf8(a.readAll()), outB = QString::fromUtf8(b.readAll());
        QCOMPARE(a.exitCode(), 0);
        QCOMPARE(b.exitCode(), 0);
        const QString both = outA + outB;
        QCOMPARE(both.count(QLatin1String("RESULT built")), 1);
        QCOMPARE(both.count(QLatin1String("RESULT reused")), 1);
        QCOMPARE(both.count(QLatin1String("Successfully installed")), 1);
        QCOMPARE(both.count(QLatin1String("labbench: building environment")), 1);
        const QString pythonA = outA.section(QLatin1String("RESULT "), 1).section(QLatin1Char(' '), 1).trimmed();
        const QString pythonB = outB.section(QLatin1String("RESULT "), 1).section(QLatin1Char(' '), 1).trimmed();
        QCOMPARE(pythonA, pythonB);
        QVERIFY(!pythonA.isEmpty());
    }

    void impossiblePackageFailsWithPipsMessageAndLeavesNothingReady() {
        lb::EnvironmentCache cache(cacheDir());
        QStringList log;
        const auto e = withPip({QStringLiteral("labbench-no-such-package-zzz9")});
        const QString hash = lb::EnvironmentSpec::fromEstimator(e, {}).hash();
        try {
            cache.prepare(e, [&](const QString& line) { log.append(line); });
            QFAIL("an impossible package was installed");
        } catch (const lb::Error& err) {
            const QString m = err.message();
            QVERIFY2(m.contains(QLatin1String("pip could not install labbench-no-such-package-zzz9")), qPrintable(m));
            QVERIFY2(m.contains(QLatin1String("No matching distribution found for labbench-no-such-package-zzz9")), qPrintable(m));
            QVERIFY(!m.contains(QLatin1Char('\n')));
        }
        QVERIFY(log.join('\n').contains(QLatin1String("ERROR: No matching distribution found")));
        QVERIFY(!QFileInfo::exists(cacheDir() + QLatin1Char('/') + hash));
        QVERIFY(QDir(cacheDir() + QStringLiteral("/builds")).entryList({hash + QStringLiteral("*")}, QDir::AllEntries).isEmpty());
        for (const auto& env : cache.list())
            QVERIFY(env.hash != hash);
    }

    void removeUnpublishesAndDeletes() {
        lb::EnvironmentCache cache(cacheDir());
        const int before = static_cast<int>(cache.list().size());
        QVERIFY(before >= 1);
        const auto victim = cache.list().first();
        try {
            cache.remove(QStringLiteral("../etc"));
            QFAIL("a path was accepted as a hash");
        } catch (const lb::UsageError&) {
        }
        QCOMPARE(cache.remove(victim.hash.left(10)), victim.hash);
        QVERIFY(!QFileInfo::exists(victim.dir));
        QCOMPARE(int(cache.list().size()), before - 1);
        QVERIFY_THROWS_EXCEPTION(lb::NotFoundError, cache.remove(victim.hash));
    }

    void missingCondaOrContainerEngineIsAClearError() {
        lb::EnvironmentCache cache(cacheDir());
        const QString emptyPath = tmp_.filePath(QStringLiteral("empty-bin"));
        QDir().mkpath(emptyPath);
        cache.setSearchPath(emptyPath);
        lb::Estimator conda;
        conda.condaPackages = {QStringLiteral("numpy")};
        try {
            cache.prepare(conda, {});
            QFAIL("conda packages were prepared without conda");
        } catch (const lb::Error& e) {
            QVERIFY2(e.message().contains(QLatin1String("neither conda, mamba nor micromamba was found")), qPrintable(e.message()));
            QVERIFY(e.message().contains(QLatin1String("numpy")));
        }
        lb::Estimator image;
        image.customDockerImage = QStringLiteral("python:3.11-slim");
        try {
            cache.prepare(image, {});
            QFAIL("an image was prepared without a container engine");
        } catch (const lb::Error& e) {
            QVERIFY2(e.message().contains(QLatin1String("no container engine (docker or podman) found")), qPrintable(e.message()));
        }
        image.pipPackages = {QStringLiteral("six")}; // pip on an image needs the engine too
        QVERIFY_THROWS_EXCEPTION(lb::Error, cache.prepare(image, {}));
        image.condaPackages = {QStringLiteral("numpy")}; // conda on an image: never
        try {
            cache.prepare(image, {});
            QFAIL("conda packages were accepted on an image");
        } catch (const lb::Error& e) {
            QVERIFY2(e.message().contains(QLatin1String("conda_packages cannot be added")),
                     qPrintable(e.message()));
        }
    }

    void containerCommandMountsTheRunAndPassesVariablesByName() {
        lb::ContainerLaunch launch;
        launch.engine = QStringLiteral("/usr/bin/docker");
        launch.image = QStringLiteral("python:3.11-slim");
        launch.useGpu = true;
        launch.name = QStringLiteral("labbench-run1");
        const QStringList argv = lb::containerCommand(
            launch, QStringLiteral("/ws/runs/run1/snapshot"), {QStringLiteral("/ws/runs/run1")},
            {QStringLiteral("LABBENCH_RUN_ID"), QStringLiteral("PYTHONPATH")},
            {QStringLiteral("python3"), QStringLiteral("-u"), QStringLiteral("train.py"), QStringLiteral("$(id)")});
        const QString user = QStringLiteral("%1:%2").arg(::getuid()).arg(::getgid());
        QCOMPARE(argv, (QStringList{QStringLiteral("/usr/bin/docker"), "run", "--rm", "--init", "--name", "labbench-run1",
                                    "--user", user, "-v", "/ws/runs/run1:/ws/runs/run1", "-w",
                                    "/ws/runs/run1/snapshot", "--gpus", "all", "-e", "LABBENCH_RUN_ID", "-e",
                                    "PYTHONPATH", "python:3.11-slim", "python3", "-u", "train.py", "$(id)"}));
        // podman reaches GPUs only through a CDI spec (/etc/cdi/nvidia.yaml): without one, a
        // clear error rather than a container without its GPUs.
        launch.engine = QStringLiteral("/usr/bin/podman");
        QVERIFY_THROWS_EXCEPTION(lb::Error, lb::containerCommand(launch, QStringLiteral("/w"), {},
                                                                 {}, {QStringLiteral("python3")}));
        launch.cdi = true;
        launch.readOnlyMounts = {QStringLiteral("/ws/environments/builds/h-1")};
        const QStringList podman = lb::containerCommand(launch, QStringLiteral("/w"), {}, {}, {QStringLiteral("python3")});
        QVERIFY(podman.contains(QStringLiteral("nvidia.com/gpu=all")));
        QVERIFY(!podman.contains(QStringLiteral("--gpus")));
        QVERIFY(podman.contains(
            QStringLiteral("/ws/environments/builds/h-1:/ws/environments/builds/h-1:ro")));
        QVERIFY(!lb::cdiConfigured({QStringLiteral("/nonexistent/cdi/nvidia.yaml")}));
        QVERIFY(lb::cdiConfigured(
            {QStringLiteral("/nonexistent/cdi/nvidia.yaml"), QStringLiteral("/")}));
    }

    void containerNamesAreWhatEnginesAccept() {
        QCOMPARE(lb::containerName(QStringLiteral("exp_1a2b-3.c")),
                 QStringLiteral("labbench-exp_1a2b-3.c"));
        QCOMPARE(lb::containerName(QStringLiteral("a b/$(id)")),
                 QStringLiteral("labbench-a_b___id_"));
        QCOMPARE(
            lb::containerRemoveCommand(QStringLiteral("/usr/bin/podman"),
                                       QStringLiteral("labbench-x")),
            (QStringList{QStringLiteral("/usr/bin/podman"), "rm", "-f", "-t", "0", "labbench-x"}));
        QCOMPARE(lb::containerRemoveCommand(QStringLiteral("/usr/bin/docker"),
                                            QStringLiteral("labbench-x")),
                 (QStringList{QStringLiteral("/usr/bin/docker"), "rm", "-f", "labbench-x"}));
    }
};

QTEST_GUILESS_MAIN(Environments)
#include "tst_environment.moc"
