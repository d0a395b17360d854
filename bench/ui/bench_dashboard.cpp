// Benchmark (not a test): a live dashboard with 5 runs × 1,000,000 points of one metric.
// Measures, on the real widgets (offscreen unless a display is given):
//   - load: store → core buffers (MetricFeed, background thread)
//   - frame: decimate + replace() for 5 series + a synchronous repaint, while 1,000 new points
//     per run arrive every frame (p50 / p95 / max, goal < 16 ms)
//   - memory: the core buffers, and the process's resident set
// Usage: bench_ui_dashboard [--points N] [--runs R] [--frames F] [--workdir DIR]
#include "ui/charts/MetricChart.h"
#include "ui/charts/MetricChartsPanel.h"
#include "core/store/Store.h"
#include "core/workspace/Workspace.h"

#include <QApplication>
#include <QChart>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <time.h>

using namespace lb;

namespace {

long residentMb() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * 4096L / (1 << 20);
}

// CPU time of the calling (UI) thread: on a shared, overloaded machine wall time mostly measures
// waiting for a core; this measures the work a frame costs.
double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int runs = 5, frames = 120;
    qint64 points = 1'000'000;
    QString workdir;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--points"))
            points = args[i + 1].toLongLong();
        else if (args[i] == QLatin1String("--runs"))
            runs = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--frames"))
            frames = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--workdir"))
            workdir = args[i + 1];
    }
    QTemporaryDir tmp;
    if (workdir.isEmpty())
        workdir = tmp.path();
    const QString root = workdir + QStringLiteral("/bench-dashboard-%1x%2").arg(runs).arg(points);
    QStringList ids;
    QElapsedTimer t;
    {
        t.start();
        const bool fresh = !QFileInfo::exists(root + QStringLiteral("/config.json"));
        Workspace ws = fresh ? Workspace::create(root, QStringLiteral("bench"))
                             : Workspace::open(root);
        if (fresh) {
            ws.store().experiments().ensure(QStringLiteral("bench"));
            for (int r = 0; r < runs; ++r) {
                RunRecord run;
                run.id = QStringLiteral("bench_run_%1").arg(r);
                run.experiment = QStringLiteral("bench");
                run.computeTarget = QStringLiteral("local");
                run.created = QDateTime::currentDateTimeUtc();
                run.runDir = ws.runsDir() + QLatin1Char('/') + run.id;
                ws.store().runs().create(run);
                std::vector<MetricPoint> batch;
                batch.reserve(100'000);
                for (qint64 i = 0; i < points; ++i) {
                    // A noisy decaying loss with rare spikes, like a real run.
                    const double v = 2.0 * std::exp(-i / (points / 5.0)) + 0.05 * std::sin(i * 0.37 + r) +
                                     ((i % 99'991) == 0 ? 1.5 : 0.0);
                    batch.push_back({QStringLiteral("loss"), v, i, 1.7e9 + i * 0.01});
                    if (batch.size() == 100'000) {
                        ws.store().metrics().append(run.id, batch);
                        batch.clear();
                    }
                }
                if (!batch.empty())
                    ws.store().metrics().append(run.id, batch);
            }
        }
        for (int r = 0; r < runs; ++r)
            ids.append(QStringLiteral("bench_run_%1").arg(r));
        std::printf("workspace: %s (%s in %.1f s)\n", qPrintable(root), fresh ? "created" : "reused",
                    t.elapsed() / 1000.0);
    }
    const long rssBefore = residentMb();
    ui::MetricChartsPanel panel(root + QStringLiteral("/labbench.db"), ids, ids);
    panel.resize(1280, 760);
    panel.show();
    if (!QTest::qWaitForWindowExposed(&panel))
        return 1;
    t.restart();
    const std::size_t want = static_cast<std::size_t>(runs * points);
    while (true) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        std::lock_guard lock(panel.feed()->buffers()->mutex);
        if (panel.feed()->buffers()->pointCount() >= want)
            break;
        if (t.elapsed() > 600'000) {
            std::printf("timed out loading\n");
            return 1;
        }
    }
    const double loadS = t.elapsed() / 1000.0;
    panel.feed()->stop(); // from here the bench feeds the buffers itself, at a known rate
    panel.redrawIfChanged();
    ui::MetricChart* chart = panel.charts().front();
    std::printf("loaded %zu points from the store in %.2f s (%.0f points/s)\n", want, loadS,
                want / loadS);

    // Live frames: 1,000 new points per run, then one coalesced frame, painted synchronously.
    std::vector<double> frameMs, frameCpuMs, redrawOnlyMs;
    qint64 next = points;
    for (int f = 0; f < frames; ++f) {
        {
            auto& b = *panel.feed()->buffers();
            std::lock_guard lock(b.mutex);
            for (const QString& id : ids) {
                auto& buffer = b.series[{id, QStringLiteral("loss")}].buffer;
                for (int k = 0; k < 1000; ++k)
                    buffer.append(next + k, 0.3 + 0.05 * std::sin((next + k) * 0.37), 1.7e9 + (next + k) * 0.01);
            }
            ++b.version;
        }
        next += 1000;
        t.restart();
        const double cpu0 = threadCpuMs();
        panel.redrawIfChanged();
        const double redrawCpu = threadCpuMs() - cpu0;
        chart->viewport()->repaint();
        frameMs.push_back(t.nsecsElapsed() / 1e6);
        frameCpuMs.push_back(threadCpuMs() - cpu0);
        redrawOnlyMs.push_back(redrawCpu);
    }
    std::printf("frame CPU time on the UI thread: p50 %.2f ms, p95 %.2f ms (decimate + replace(): "
                "p50 %.2f ms; the rest is painting)\n",
                percentile(frameCpuMs, 0.5), percentile(frameCpuMs, 0.95),
                percentile(redrawOnlyMs, 0.5));
    double load[3] = {0, 0, 0};
    if (getloadavg(load, 3) > 0)
        std::printf("machine load average %.1f on %d cores while measuring\n", load[0],
                    QThread::idealThreadCount());
    std::size_t bytes = 0;
    {
        std::lock_guard lock(panel.feed()->buffers()->mutex);
        bytes = panel.feed()->buffers()->memoryBytes();
    }
    std::printf("frame (5 series decimated to %d drawn points, replace() + repaint): "
                "p50 %.2f ms, p95 %.2f ms, max %.2f ms over %d frames\n",
                chart->drawnPoints(), percentile(frameMs, 0.5), percentile(frameMs, 0.95),
                *std::max_element(frameMs.begin(), frameMs.end()), frames);
    std::printf("memory: core buffers %.1f MB (%.1f B/point); process RSS %ld MB (+%ld MB for "
                "the dashboard)\n",
                bytes / 1048576.0, double(bytes) / (runs * (points + frames * 1000.0)),
                residentMb(), residentMb() - rssBefore);
    // Zoomed redraw: decimate a tenth of the range again.
    t.restart();
    chart->zoomTo(points * 0.4, points * 0.5);
    chart->viewport()->repaint();
    std::printf("zoom to 10%% of the range: %.2f ms\n", t.nsecsElapsed() / 1e6);
    return 0;
}
