// Benchmarks of the local run path (issue 3), printed as a small report:
//   1. submit-to-first-script-line latency on `local` (median of 20; goal < 150 ms)
//   2. metric ingest throughput, 1,000,000 points from metrics.jsonl into SQLite (goal >= 500k/s)
//   3. log-line-to-store latency while a run prints (goal p50 < 50 ms)
#include "core/lifecycle/RunFolder.h"
#include "core/lifecycle/RunIngester.h"
#include "core/store/Store.h"
#include "core/util/Json.h"
#include "core/workspace/Workspace.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <sys/resource.h>
#include <cstdio>
#include <vector>

using namespace lb;

namespace {

// LABBENCH_BIN_DIR in the environment points the benchmark at another build (a copied one).
const QString kLabbench = (qEnvironmentVariableIsEmpty("LABBENCH_BIN_DIR")
                               ? QStringLiteral(LABBENCH_BIN_DIR)
                               : qEnvironmentVariable("LABBENCH_BIN_DIR")) +
                          QStringLiteral("/labbench");

double cpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5))];
}

void writeFile(const QString& path, const QByteArray& data) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(data);
}

QString submit(const QString& ws, const QStringList& args) {
    QProcess p;
    p.start(kLabbench, QStringList{QStringLiteral("--workspace"), ws, QStringLiteral("submit")} + args);
    p.waitForReadyRead(30000);
    const QString id = QString::fromUtf8(p.readLine()).trimmed();
    p.waitForFinished(30000);
    return id;
}

// One series of 20 submits (after a warm-up) of `entry`, timed from starting `labbench submit`
// until the script's first line is in driver.log.
void submitLatency(const QString& root, const QString& label, const QString& entry, const QByteArray& script,
                   const QStringList& extra) {
    static int series = 0;
    const QString ws = root + QStringLiteral("/ws-submit%1").arg(++series);
    QProcess::execute(kLabbench, {QStringLiteral("workspace"), QStringLiteral("init"), ws});
    const QString src = root + QStringLiteral("/src-submit%1").arg(series);
    writeFile(src + QLatin1Char('/') + entry, script);
    QFile::setPermissions(src + QLatin1Char('/') + entry, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    std::vector<double> ms;
    for (int i = 0; i < 21; ++i) {
        QElapsedTimer t;
        t.start();
        QProcess p;
        p.start(kLabbench, QStringList{QStringLiteral("--workspace"), ws, QStringLiteral("submit"), QStringLiteral("--source"), src,
                                       QStringLiteral("--entry"), entry} + extra);
        p.waitForReadyRead(30000);
        const QString id = QString::fromUtf8(p.readLine()).trimmed();
        const QString log = ws + QStringLiteral("/runs/") + id + QStringLiteral("/driver.log");
        for (;;) {
            QFile f(log);
            if (f.open(QIODevice::ReadOnly) && f.readAll().contains("first line"))
                break;
            if (t.elapsed() > 30000)
                break;
            QThread::usleep(200);
        }
        const double elapsed = t.nsecsElapsed() / 1e6;
        p.waitForFinished(30000);
        if (i > 0) // the first one warms the page cache
            ms.push_back(elapsed);
        QProcess::execute(kLabbench, {QStringLiteral("--workspace"), ws, QStringLiteral("wait"), id});
    }
    std::printf("submit-to-first-script-line, %s (local, 20 runs): median %.1f ms, min %.1f ms, max %.1f ms  "
                "(goal < 150 ms)\n",
                qPrintable(label), percentile(ms, 0.5), percentile(ms, 0), percentile(ms, 1));
    std::fflush(stdout);
}

void submitLatency(const QString& root) {
    // The interpreter's own start-up is part of the number: pyenv's python3 shim (a bash script)
    // alone costs 100-300 ms here, so the direct interpreter and a shell script are shown too.
    const QByteArray py = "print('first line', flush=True)\n";
    submitLatency(root, QStringLiteral("python3 on PATH"), QStringLiteral("hello.py"), py, {});
    submitLatency(root, QStringLiteral("/usr/bin/python3"), QStringLiteral("hello.py"), py,
                  {QStringLiteral("--python"), QStringLiteral("/usr/bin/python3")});
    submitLatency(root, QStringLiteral("executable /bin/sh script"), QStringLiteral("hello.sh"),
                  "#!/bin/sh\necho first line\n", {});
}

void ingestThroughput(const QString& root) {
    const int n = 1000000;
    const QString dir = root + QStringLiteral("/ingest");
    QDir().mkpath(dir + QStringLiteral("/run"));
    Store store(dir + QStringLiteral("/labbench.db"));
    RunRecord run;
    run.id = QStringLiteral("bench");
    run.experiment = QStringLiteral("bench");
    run.computeTarget = QStringLiteral("local");
    run.runDir = dir + QStringLiteral("/run");
    store.runs().create(run);
    // The exact line shape the Python helper writes (separators ", " and ": ").
    QByteArray data;
    data.reserve(n * 90);
    const double t0 = 1764000000.0;
    const char* names[] = {"loss", "accuracy", "learning_rate", "grad_norm"};
    for (int i = 0; i < n; ++i) {
        char line[160];
        const int len = std::snprintf(line, sizeof line, "{\"name\": \"%s\", \"value\": %.17g, \"step\": %d, \"time\": %.6f}\n",
                                      names[i % 4], 1.0 / (i + 1), i / 4, t0 + i * 1e-3);
        data.append(line, len);
    }
    writeFile(RunFolder(run.runDir).metricsFile(), data);
    QElapsedTimer t;
    t.start();
    const double cpu0 = cpuSeconds();
    RunIngester ingester(store, run.id, run.runDir);
    ingester.ingest(true);
    const double s = t.nsecsElapsed() / 1e9;
    const double cpu = cpuSeconds() - cpu0;
    std::fflush(stdout);
    std::printf("metric ingest: %lld points (%.0f MB of metrics.jsonl) into SQLite in %.3f s = %.0f points/s  "
                "(goal >= 500000)\n",
                static_cast<long long>(store.metrics().count(run.id)), data.size() / 1e6, s,
                store.metrics().count(run.id) / s);
    std::printf("metric ingest CPU time: %.3f s = %.0f points per CPU-second (what an idle core gives)\n", cpu,
                store.metrics().count(run.id) / cpu);
}

void logLatency(const QString& root) {
    const QString ws = root + QStringLiteral("/ws2");
    QProcess::execute(kLabbench, {QStringLiteral("workspace"), QStringLiteral("init"), ws});
    const QString src = root + QStringLiteral("/src2");
    writeFile(src + QStringLiteral("/talk.py"),
              "import time\n"
              "time.sleep(0.3)\n"
              "for i in range(200):\n"
              "    print('line %d %.6f' % (i, time.time()), flush=True)\n"
              "    time.sleep(0.02)\n");
    const QString id = submit(ws, {QStringLiteral("--source"), src, QStringLiteral("--entry"), QStringLiteral("talk.py")});
    Workspace workspace = Workspace::open(ws);
    auto runs = workspace.store().runs();
    std::vector<double> seenAt(200, 0);
    QElapsedTimer guard;
    guard.start();
    std::int64_t covered = 0;
    while (covered < 200 && guard.elapsed() < 60000) {
        const std::int64_t lines = runs.ingestOffset(id, RunFolder::driverLogName()).lines;
        const double now = QDateTime::currentMSecsSinceEpoch() / 1000.0;
        for (std::int64_t k = covered; k < std::min<std::int64_t>(lines, 200); ++k)
            seenAt[size_t(k)] = now;
        covered = std::max(covered, lines);
        QThread::usleep(500);
    }
    QFile log(ws + QStringLiteral("/runs/") + id + QStringLiteral("/driver.log"));
    log.open(QIODevice::ReadOnly);
    std::vector<double> ms;
    for (const QByteArray& line : log.readAll().split('\n')) {
        const QList<QByteArray> words = line.split(' ');
        if (words.size() == 3 && words[0] == "line") {
            const int k = words[1].toInt();
            if (k >= 0 && k < 200 && seenAt[size_t(k)] > 0)
                ms.push_back((seenAt[size_t(k)] - words[2].toDouble()) * 1000);
        }
    }
    std::printf("log-line-to-store latency (%zu lines): p50 %.1f ms, p95 %.1f ms, max %.1f ms  (goal p50 < 50 ms)\n",
                ms.size(), percentile(ms, 0.5), percentile(ms, 0.95), percentile(ms, 1));
    QProcess::execute(kLabbench, {QStringLiteral("--workspace"), ws, QStringLiteral("wait"), id});
}

} // namespace

int main(int argc, char** argv) {
    QFile loadavg(QStringLiteral("/proc/loadavg"));
    loadavg.open(QIODevice::ReadOnly);
    std::printf("machine: %d cores, load average %s", QThread::idealThreadCount(), loadavg.readAll().constData());
    QTemporaryDir tmp;
    const QString root = argc > 1 && argv[1][0] ? QString::fromLocal8Bit(argv[1]) : tmp.path(); // "": a temporary folder
    const QString which = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QStringLiteral("all");
    if (which == QLatin1String("all") || which == QLatin1String("submit"))
        submitLatency(root);
    if (which == QLatin1String("all") || which == QLatin1String("ingest"))
        ingestThroughput(root);
    if (which == QLatin1String("all") || which == QLatin1String("log"))
        logLatency(root);
    return 0;
}
