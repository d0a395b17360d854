#include "bench/runs/BenchWorkspace.h"

#include "bench/runs/RunsBenchData.h"
#include "core/store/Store.h"
#include "core/util/Json.h"
#include "core/workspace/Workspace.h"

#include <QDateTime>
#include <QElapsedTimer>

#include <cstdio>
#include <vector>

namespace lbbench {

void generateLabbenchWorkspace(const QString& root) {
    QString storePath;
    {
        lb::Workspace ws = lb::Workspace::create(root, QStringLiteral("runs-bench"));
        storePath = ws.storePath();
    }
    // A Store of its own, without the workspace's mirror: the benchmark measures the store, and
    // 10,000 run.json files would only slow the generation down.
    lb::Store store(storePath);
    QElapsedTimer t;
    t.start();
    std::vector<lb::MetricPoint> points;
    points.reserve(kMetrics * kSteps);
    for (int i = 0; i < kRuns; ++i) {
        lb::Json words = lb::Json::array();
        for (int k = 0; k < kParams; ++k) {
            words.push_back("--" + paramName(k));
            words.push_back(paramValue(i, k));
        }
        lb::RunRecord run;
        run.id = QString::fromStdString(runId(i));
        run.experiment = QStringLiteral("bench");
        run.computeTarget = QStringLiteral("local");
        run.runDir = root + QStringLiteral("/runs/") + run.id;
        run.estimatorJson = QString::fromStdString(lb::Json{{"script_params", words}}.dump());
        const std::int64_t start = kStartSecs + std::int64_t(i) * 60;
        run.created = QDateTime::fromSecsSinceEpoch(start - 5, Qt::UTC);
        lb::RunRepository runs = store.runs();
        runs.create(run);
        runs.transition(run.id, lb::RunStatus::Preparing, {}, run.created);
        runs.transition(run.id, lb::RunStatus::Running, {}, QDateTime::fromSecsSinceEpoch(start, Qt::UTC));
        points.clear();
        for (int m = 0; m < kMetrics; ++m)
            for (int s = 0; s < kSteps; ++s)
                points.push_back({QString::fromLatin1(kMetricNames[size_t(m)]), metricValue(i, m, s), s,
                                  double(start + s)});
        store.metrics().append(run.id, points);
        runs.setTag(run.id, QStringLiteral("stage"), QString::fromStdString(stageTag(i)));
        runs.setExitCode(run.id, 0);
        runs.transition(run.id, lb::RunStatus::Completed, {},
                        QDateTime::fromSecsSinceEpoch(start + kSteps, Qt::UTC));
        if ((i + 1) % 1000 == 0) {
            std::printf("  labbench store: %d runs in %.1f s\n", i + 1, t.elapsed() / 1000.0);
            std::fflush(stdout);
        }
    }
    std::printf("labbench store: %d runs, %d metric points written in %.1f s\n", kRuns, kRuns * kMetrics * kSteps,
                t.elapsed() / 1000.0);
}

} // namespace lbbench
