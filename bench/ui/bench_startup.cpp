// Benchmark (not a test): start-up of the real `labbench` window on a workspace with 10,000 runs
// and 10,000,000 metric points: time from exec to the window's first paint, and to the first
// paint of the filled workspace tree (goal < 1 s). The workspace is generated once under
// --workdir and reused.
// Usage: bench_ui_startup [--runs N] [--points-per-run M] [--workdir DIR] [--repeat K]
#include "core/store/Database.h"
#include "core/store/Store.h"
#include "core/workspace/Workspace.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace lb;

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    int runs = 10'000, perRun = 1'000, repeat = 5;
    QString workdir = QDir::tempPath();
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--runs"))
            runs = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--points-per-run"))
            perRun = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--workdir"))
            workdir = args[i + 1];
        else if (args[i] == QLatin1String("--repeat"))
            repeat = args[i + 1].toInt();
    }
    const QString root = workdir + QStringLiteral("/bench-startup-%1x%2").arg(runs).arg(perRun);
    QElapsedTimer t;
    t.start();
    if (!QFileInfo::exists(root + QStringLiteral("/config.json"))) {
        Workspace ws = Workspace::create(root, QStringLiteral("startup-bench"));
        std::vector<MetricPoint> batch;
        for (int r = 0; r < runs; ++r) {
            const QString experiment = QStringLiteral("experiment-%1").arg(r % 20);
            ws.store().experiments().ensure(experiment);
            RunRecord run;
            run.id = QStringLiteral("%1_%2").arg(experiment).arg(r, 6, 10, QLatin1Char('0'));
            run.experiment = experiment;
            run.computeTarget = QStringLiteral("local");
            run.created = QDateTime::currentDateTimeUtc().addSecs(-runs + r);
            run.runDir = ws.runsDir() + QLatin1Char('/') + run.id;
            run.estimatorJson = QStringLiteral(
                R"({"source_directory": "/src", "entry_script": "train.py", "script_params": ["--lr", "0.01"]})");
            ws.store().runs().create(run);
            ws.store().runs().transition(run.id, RunStatus::Preparing);
            ws.store().runs().transition(run.id, RunStatus::Running);
            if (r % 100 != 0) {
                ws.store().runs().transition(run.id, RunStatus::Finalizing);
                ws.store().runs().transition(run.id, r % 17 == 0 ? RunStatus::Failed : RunStatus::Completed);
            }
            batch.clear();
            for (int i = 0; i < perRun; ++i)
                batch.push_back({QStringLiteral("loss"), std::exp(-i / 300.0), i, 1.7e9 + i});
            ws.store().metrics().append(run.id, batch);
        }
        std::printf("generated %d runs and %lld points in %.1f s\n", runs,
                    static_cast<long long>(runs) * perRun, t.elapsed() / 1000.0);
    }
    {
        Workspace ws = Workspace::open(root);
        Statement s(ws.store().database(), "SELECT COUNT(*) FROM metrics");
        s.step();
        Statement r(ws.store().database(), "SELECT COUNT(*) FROM runs");
        r.step();
        std::printf("workspace %s: %lld runs, %lld metric points\n", qPrintable(root),
                    static_cast<long long>(r.int64(0)), static_cast<long long>(s.int64(0)));
    }
    const QString bin = QCoreApplication::applicationDirPath() + QStringLiteral("/../bin/labbench");
    QTemporaryDir tmp;
    std::vector<double> paints, trees, paintCpu, treeCpu;
    for (int k = 0; k < repeat; ++k) {
        const QString out = tmp.filePath(QStringLiteral("startup-%1.json").arg(k));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LABBENCH_UI_STARTUP_FILE"), out);
        env.insert(QStringLiteral("LABBENCH_UI_QUIT_AFTER_STARTUP"), QStringLiteral("1"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), tmp.filePath(QStringLiteral("config")));
        if (!env.contains(QStringLiteral("DISPLAY")) && !env.contains(QStringLiteral("QT_QPA_PLATFORM")))
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        const qint64 start = QDateTime::currentMSecsSinceEpoch();
        p.start(bin, {QStringLiteral("--workspace"), root});
        if (!p.waitForFinished(60'000)) {
            std::printf("labbench did not finish its start-up\n");
            p.kill();
            return 1;
        }
        QFile f(out);
        if (!f.open(QIODevice::ReadOnly)) {
            std::printf("no start-up report from %s\n", qPrintable(bin));
            return 1;
        }
        const QJsonObject j = QJsonDocument::fromJson(f.readAll()).object();
        paints.push_back(j.value(QStringLiteral("first_paint_ms")).toDouble() - start);
        trees.push_back(j.value(QStringLiteral("tree_paint_ms")).toDouble() - start);
        paintCpu.push_back(j.value(QStringLiteral("first_paint_cpu_ms")).toDouble());
        treeCpu.push_back(j.value(QStringLiteral("tree_paint_cpu_ms")).toDouble());
        std::printf("run %d: first paint %.0f ms, tree with %d runs painted %.0f ms (process CPU "
                    "time by then: %.0f ms, %.0f ms)\n",
                    k + 1, paints.back(), j.value(QStringLiteral("runs")).toInt(), trees.back(),
                    paintCpu.back(), treeCpu.back());
    }
    std::sort(paintCpu.begin(), paintCpu.end());
    std::sort(treeCpu.begin(), treeCpu.end());
    double load[3] = {0, 0, 0};
    getloadavg(load, 3);
    std::printf("machine load average %.1f; median process CPU time: first paint %.0f ms, "
                "filled tree %.0f ms\n",
                load[0], paintCpu[paintCpu.size() / 2], treeCpu[treeCpu.size() / 2]);
    std::sort(paints.begin(), paints.end());
    std::sort(trees.begin(), trees.end());
    std::printf("median: first paint %.0f ms, filled tree %.0f ms (goal < 1000 ms)\n",
                paints[paints.size() / 2], trees[trees.size() / 2]);
    return 0;
}
