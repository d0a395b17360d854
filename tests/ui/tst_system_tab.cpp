// The run dashboard's System tab (issue 19), offscreen over a real workspace: system metrics
// sampled on two nodes reach the store through the run's ingester and are drawn there, a chart
// per name with one line per node, and a later sample arrives while the tab is open.
#include "core/lifecycle/RunIngester.h"
#include "tests/ui/UiTestSupport.h"
#include "ui/charts/MetricChart.h"
#include "ui/charts/MetricChartsPanel.h"
#include "ui/run/RunDashboard.h"

#include <QTabWidget>
#include <QTest>

using namespace lb;
using namespace lb::ui;

namespace {

QByteArray sample(const char* node, const char* name, double value, int step) {
    return QStringLiteral("{\"name\":\"%1\",\"value\":%2,\"time\":\"2026-01-02T03:04:0%3.000Z\","
                          "\"step\":%3,\"node\":\"%4\"}\n")
        .arg(QLatin1String(name))
        .arg(value)
        .arg(step)
        .arg(QLatin1String(node))
        .toUtf8();
}

MetricChart* chartOf(MetricChartsPanel* panel, const QString& metric) {
    for (MetricChart* c : panel->charts())
        if (c->metric() == metric) return c;
    return nullptr;
}

} // namespace

class TestSystemTab : public QObject {
    Q_OBJECT
private slots:
    void systemTabDrawsALinePerNode() {
        QTemporaryDir dir;
        Workspace ws = Workspace::create(dir.filePath(QStringLiteral("ws")), QStringLiteral("ui"));
        const RunRecord run = test::addRun(ws, QStringLiteral("sys"), RunStatus::Running);
        const QString n1 = run.runDir + QStringLiteral("/system/n1.jsonl");
        const QString n2 = run.runDir + QStringLiteral("/system/n2.jsonl");
        test::writeFile(n1,
                        sample("n1", "cpu_percent", 95, 0) + sample("n1", "cpu_percent", 90, 1));
        test::writeFile(n2, sample("n2", "cpu_percent", 40, 0) +
                                sample("n2", "memory_rss_bytes", 1e9, 0));
        RunIngester ingester(ws.store(), run.id, run.runDir);
        QVERIFY(ingester.ingest());

        RunDashboard d(ws.root(), ws.storePath(), run.id, nullptr);
        d.resize(1000, 700);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        MetricChartsPanel* system = d.systemCharts();
        QVERIFY(system);
        const int tab = d.sections()->indexOf(system);
        QVERIFY(tab >= 0);
        QCOMPARE(d.sections()->tabText(tab), QStringLiteral("System"));
        d.sections()->setCurrentIndex(tab);

        QVERIFY(QTest::qWaitFor(
            [&] {
                MetricChart* cpu = chartOf(system, QStringLiteral("cpu_percent"));
                return cpu && cpu->seriesPointCounts().size() == 2 &&
                       chartOf(system, QStringLiteral("memory_rss_bytes"));
            },
            5000));
        MetricChart* cpu = chartOf(system, QStringLiteral("cpu_percent"));
        const QList<int> counts = cpu->seriesPointCounts();
        QVERIFY2(counts[0] > 0 && counts[1] > 0,
                 qPrintable(QStringLiteral("%1 %2").arg(counts[0]).arg(counts[1])));
        QCOMPARE(cpu->lastPoints().value(0).y(), 90.0); // n1's last sample
        QCOMPARE(cpu->lastPoints().value(1).y(), 40.0); // n2's
        // The script's own Metrics tab has none of them.
        QVERIFY(!chartOf(d.charts(), QStringLiteral("cpu_percent")));

        // A later sample of n2 is drawn while the tab is open.
        test::appendFile(n2, sample("n2", "cpu_percent", 55, 1));
        QVERIFY(ingester.ingest());
        QVERIFY(QTest::qWaitFor([&] { return cpu->lastPoints().value(1).y() == 55.0; }, 5000));
    }
};

QTEST_MAIN(TestSystemTab)
#include "tst_system_tab.moc"
