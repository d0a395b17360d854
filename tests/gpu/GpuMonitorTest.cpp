// GpuMonitor (core/gpu): NVML loaded at run time. Here (no driver) it must say so cleanly; on a
// machine with a driver it must read every GPU. Both branches are checked, whichever applies,
// and the "no NVML" branch is forced through LABBENCH_NVML_LIBRARY so it runs everywhere.

#include "core/gpu/GpuMonitor.h"

#include <QFileInfo>
#include <QTest>

using lb::GpuMonitor;

class GpuMonitorTest : public QObject {
    Q_OBJECT

private slots:
    void cleanup() { qunsetenv("LABBENCH_NVML_LIBRARY"); }

    void missingLibraryIsReportedCleanly() {
        qputenv("LABBENCH_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1");
        GpuMonitor monitor;
        QVERIFY(!monitor.available());
        QCOMPARE(monitor.deviceCount(), 0);
        QVERIFY(monitor.sample().isEmpty());
        const QString reason = monitor.unavailableReason();
        QVERIFY2(reason.startsWith("NVML not available: "), qPrintable(reason));
        QVERIFY2(reason.contains("/nonexistent/libnvidia-ml.so.1"), qPrintable(reason));
        QVERIFY(!reason.contains('\n'));
    }

    void aLibraryWithoutNvmlIsRefused() {
        const QString libz = "/lib/x86_64-linux-gnu/libz.so.1";
        QVERIFY2(QFileInfo::exists(libz), "no libz.so.1 at the Debian path (zlib1g is a dependency)");
        qputenv("LABBENCH_NVML_LIBRARY", libz.toLocal8Bit());
        GpuMonitor monitor;
        QVERIFY(!monitor.available());
        QVERIFY2(monitor.unavailableReason().contains("lacks nvmlInit_v2"),
                 qPrintable(monitor.unavailableReason()));
    }

    // The real library: unavailable with a reason on machines without a driver (like CI), or
    // a full reading of every GPU where there is one.
    void defaultLibraryEitherReadsGpusOrSaysWhyNot() {
        GpuMonitor monitor;
        if (!monitor.available()) {
            const QString reason = monitor.unavailableReason();
            QVERIFY2(reason.startsWith("NVML not available: "), qPrintable(reason));
            QVERIFY(monitor.sample().isEmpty());
            qInfo("%s", qPrintable(reason));
            return;
        }
        QVERIFY(monitor.unavailableReason().isEmpty());
        const auto samples = monitor.sample();
        QCOMPARE(samples.size(), monitor.deviceCount());
        for (const auto& s : samples) {
            QVERIFY(!s.name.isEmpty());
            QVERIFY(s.memoryTotalBytes > 0);
            QVERIFY(s.memoryUsedBytes >= 0 && s.memoryUsedBytes <= s.memoryTotalBytes);
            QVERIFY(s.utilization >= 0 && s.utilization <= 100);
        }
    }

    void metricsNameEachFieldAndSkipUnknowns() {
        lb::GpuSample s;
        s.index = 1;
        s.utilization = 87;
        s.memoryUsedBytes = 3 * 1048576LL;
        s.memoryTotalBytes = 80 * 1048576LL;
        const auto metrics = GpuMonitor::metrics(s);
        QCOMPARE(metrics.size(), 3);
        QCOMPARE(metrics[0].first, QString("gpu1_utilization"));
        QCOMPARE(metrics[0].second, 87.0);
        QCOMPARE(metrics[1].first, QString("gpu1_memory_used_mb"));
        QCOMPARE(metrics[1].second, 3.0);
        QCOMPARE(metrics[2].first, QString("gpu1_memory_total_mb"));
    }
};

QTEST_GUILESS_MAIN(GpuMonitorTest)
#include "GpuMonitorTest.moc"
