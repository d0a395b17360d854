// GPU system metrics of a run: GpuMonitor reads every field through NVML (a fake NVML library
// with fixed readings stands in for the driver), and a GPU run on the local target gets the
// utilisation and memory of exactly the GPUs it was given, as metrics of the run.
#include "tests/support/CliRunner.h"
#include "core/gpu/GpuMonitor.h"
#include "core/util/Json.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

class GpuRunMetrics : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

private slots:
    void cleanup() { qunsetenv("LABBENCH_NVML_LIBRARY"); }

    void monitorReadsEveryFieldNvmlGives() {
        qputenv("LABBENCH_NVML_LIBRARY", FAKE_NVML);
        lb::GpuMonitor monitor;
        QVERIFY2(monitor.available(), qPrintable(monitor.unavailableReason()));
        QCOMPARE(monitor.deviceCount(), 2);
        const auto samples = monitor.sample();
        QCOMPARE(samples.size(), 2);
        QCOMPARE(samples[1].name, QStringLiteral("Fake GPU 1"));
        QCOMPARE(samples[1].uuid, QStringLiteral("GPU-fake-1"));
        QCOMPARE(samples[1].utilization, 41.0);
        QCOMPARE(samples[1].memoryUsedBytes, qint64(2) << 30);
        QCOMPARE(samples[0].temperatureC, 50.0);
        QCOMPARE(samples[0].powerWatts, -1.0); // not supported by this device
        const auto metrics = lb::GpuMonitor::metrics(samples[1]);
        QVERIFY(metrics.contains(qMakePair(QStringLiteral("gpu1_utilization"), 41.0)));
        QVERIFY(metrics.contains(qMakePair(QStringLiteral("gpu1_memory_used_mb"), 2048.0)));
        for (const auto& m : metrics)
            QVERIFY2(m.first != QStringLiteral("gpu1_power_w"), "an unsupported field is left out");
    }

    void gpuRunGetsSystemMetricsOfItsGpuOnly() {
        const QString ws = tmp_.filePath(QStringLiteral("ws"));
        QCOMPARE(runLabbench({QStringLiteral("workspace"), QStringLiteral("init"), ws}).exitCode, 0);
        QCOMPARE(runLabbench({QStringLiteral("--workspace"), ws, QStringLiteral("compute"), QStringLiteral("create"),
                              QStringLiteral("local"), QStringLiteral("gpus"), QStringLiteral("--gpus"), QStringLiteral("0,1")})
                     .exitCode,
                 0);
        const QString src = tmp_.filePath(QStringLiteral("src"));
        QDir().mkpath(src);
        QFile script(src + QStringLiteral("/train.py"));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("import os, time\nprint('visible', os.environ.get('CUDA_VISIBLE_DEVICES'))\ntime.sleep(1.0)\n");
        script.close();

        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LABBENCH_NVML_LIBRARY"), QStringLiteral(FAKE_NVML));
        const CliResult submit = runLabbench({QStringLiteral("--workspace"), ws, QStringLiteral("submit"), QStringLiteral("--source"), src,
                                              QStringLiteral("--entry"), QStringLiteral("train.py"), QStringLiteral("--compute"),
                                              QStringLiteral("gpus"), QStringLiteral("--gpu"), QStringLiteral("--python"),
                                              QStringLiteral("/usr/bin/python3"), QStringLiteral("--wait")},
                                             {}, env);
        QVERIFY2(submit.exitCode == 0, submit.err.constData());
        const QString runId = QString::fromUtf8(submit.out.split('\n').first()).trimmed();
        const QByteArray visible = submit.out.contains("visible 0") ? "0" : "1";
        QVERIFY2(submit.out.contains("visible " + visible), submit.out.constData());

        // GPU samples are system metrics (issue 19), taken by labbench-sysmon with the same NVML.
        const CliResult metrics = runLabbench({QStringLiteral("--workspace"), ws, QStringLiteral("metrics"), runId,
                                               QStringLiteral("--system"), QStringLiteral("--json")});
        QCOMPARE(metrics.exitCode, 0);
        const lb::Json points = lb::Json::parse(metrics.out.toStdString());
        const std::string mine = "gpu" + visible.toStdString() + "_utilization";
        const std::string other = visible == "0" ? "gpu1_utilization" : "gpu0_utilization";
        bool sawMine = false, sawMemory = false;
        for (const auto& p : points) {
            QVERIFY2(p["name"] != other, "a run must not report a GPU it was not given");
            if (p["name"] == mine) {
                sawMine = true;
                QCOMPARE(p["value"].get<double>(), visible == "0" ? 40.0 : 41.0);
            }
            if (p["name"] == "gpu" + visible.toStdString() + "_memory_bytes") {
                sawMemory = true;
                QVERIFY(p["value"].get<double>() > 0);
            }
        }
        QVERIFY2(sawMine && sawMemory, metrics.out.constData());
        // Not among the script's own metrics any more.
        const CliResult own = runLabbench({QStringLiteral("--workspace"), ws, QStringLiteral("metrics"), runId,
                                           QStringLiteral("--json")});
        QVERIFY2(!own.out.contains("gpu"), own.out.constData());
    }
};

QTEST_GUILESS_MAIN(GpuRunMetrics)
#include "GpuRunMetricsTest.moc"
