// Benchmarks of remote compute (issue 7), printed as a small report:
//   1. Slurm's own latency: `sbatch` to RUNNING in squeue, polled every 20 ms (the baseline)
//   2. submit-to-RUNNING through Labbench on the local Slurm target and on the SSH target
//      (goal: Slurm's own latency + < 0.5 s)
//   3. log-line-to-store latency p50/p95 on the local, SSH and Slurm (through SSH) targets in the
//      same run, without and with 50 files written at once under ./logs (the live mirror of
//      issue 19), as ratios to the local figure (goal p50 < 1 s on SSH and Slurm)
// Usage: bench_remote ENV_SH [RUNS]   (ENV_SH from tests/cluster/cluster.sh up; RUNS 0 skips 1-2)
#include "core/lifecycle/RunFolder.h"
#include "core/store/Store.h"
#include "core/util/Json.h"
#include "core/workspace/Workspace.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace lb;

namespace {

const QString kLabbench = QStringLiteral(LABBENCH_BIN_DIR "/labbench");

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

QByteArray run(const QString& program, const QStringList& args) {
    QProcess p;
    p.start(program, args);
    p.waitForFinished(60000);
    return p.readAllStandardOutput();
}

QHash<QString, QString> loadEnv(const QString& path) {
    QHash<QString, QString> vars;
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    static const QRegularExpression line(QStringLiteral("^export (\\w+)='?([^']*)'?$"));
    for (const QByteArray& raw : f.readAll().split('\n')) {
        const auto m = line.match(QString::fromUtf8(raw).trimmed());
        if (m.hasMatch())
            vars.insert(m.captured(1), m.captured(2));
    }
    return vars;
}

void slurmBaseline(int runs) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        const QString id = QString::fromUtf8(run(QStringLiteral("sbatch"), {QStringLiteral("--parsable"), QStringLiteral("--wrap"),
                                                                            QStringLiteral("sleep 1")}))
                               .trimmed();
        while (t.elapsed() < 30000 &&
               run(QStringLiteral("squeue"), {QStringLiteral("-h"), QStringLiteral("-j"), id, QStringLiteral("-o"), QStringLiteral("%T")})
                       .trimmed() != "RUNNING")
            QThread::msleep(20);
        ms.push_back(t.elapsed());
    }
    std::printf("Slurm's own sbatch-to-RUNNING (%d jobs): median %.0f ms, min %.0f, max %.0f\n", runs,
                percentile(ms, 0.5), percentile(ms, 0), percentile(ms, 1));
}

QString submit(const QString& ws, const QStringList& args) {
    QProcess p;
    p.start(kLabbench, QStringList{QStringLiteral("--workspace"), ws, QStringLiteral("submit")} + args);
    p.waitForFinished(60000);
    return QString::fromUtf8(p.readAllStandardOutput()).section(QLatin1Char('\n'), 0, 0).trimmed();
}

void submitToRunning(const QString& ws, const QString& src, const QString& target, int runs) {
    Workspace workspace = Workspace::open(ws);
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        const QString id = submit(ws, {QStringLiteral("--source"), src, QStringLiteral("--entry"), QStringLiteral("nap.sh"),
                                       QStringLiteral("--compute"), target});
        std::optional<RunRecord> r;
        while (t.elapsed() < 60000) {
            r = workspace.store().runs().find(id);
            if (r && (r->status == RunStatus::Running || isTerminal(r->status)))
                break;
            QThread::msleep(5);
        }
        ms.push_back(t.elapsed());
        QProcess::execute(kLabbench, {QStringLiteral("--workspace"), ws, QStringLiteral("wait"), id});
    }
    std::printf("labbench submit-to-Running on '%s' (%d runs): median %.0f ms, min %.0f, max %.0f\n", qPrintable(target),
                runs, percentile(ms, 0.5), percentile(ms, 0), percentile(ms, 1));
}

struct Latency {
    double p50 = 0, p95 = 0, max = 0;
    size_t lines = 0;
};

// Log-line-to-store latency of one run on `target`: the script prints a line with its time
// every 50 ms (100 lines); with `files` it also appends to that many files under ./logs at the
// same pace (the mirror's worst case). Each line's latency is the moment the store's ingest
// offset of driver.log first counted it, minus the time the script printed in it.
Latency logLatency(const QString& ws, const QString& src, const QString& target, int files) {
    writeFile(src + QStringLiteral("/talk.py"),
              "import os, sys, time\n"
              "files = int(sys.argv[1])\n"
              "os.makedirs('logs/many', exist_ok=True)\n"
              "out = [open('logs/many/f%02d.log' % k, 'a') for k in range(files)]\n"
              "time.sleep(0.5)\n"
              "for i in range(100):\n"
              "    for f in out:\n"
              "        f.write('x' * 200 + '\\n')\n"
              "        f.flush()\n"
              "    print('line %d %.6f' % (i, time.time()), flush=True)\n"
              "    time.sleep(0.05)\n");
    const QString id = submit(ws, {QStringLiteral("--source"), src, QStringLiteral("--entry"),
                                   QStringLiteral("talk.py"), QStringLiteral("--compute"), target,
                                   QStringLiteral("--"), QString::number(files)});
    Workspace workspace = Workspace::open(ws);
    auto runs = workspace.store().runs();
    std::vector<double> seenAt(100, 0);
    QElapsedTimer guard;
    guard.start();
    std::int64_t covered = 0;
    while (covered < 100 && guard.elapsed() < 120000) {
        const std::int64_t lines = runs.ingestOffset(id, RunFolder::driverLogName()).lines;
        const double now = QDateTime::currentMSecsSinceEpoch() / 1000.0;
        for (std::int64_t k = covered; k < std::min<std::int64_t>(lines, 100); ++k)
            seenAt[size_t(k)] = now;
        covered = std::max(covered, lines);
        QThread::msleep(2);
    }
    QProcess::execute(kLabbench, {QStringLiteral("--workspace"), ws, QStringLiteral("wait"), id});
    QFile log(ws + QStringLiteral("/runs/") + id + QStringLiteral("/driver.log"));
    log.open(QIODevice::ReadOnly);
    std::vector<double> ms;
    for (const QByteArray& line : log.readAll().split('\n')) {
        const QList<QByteArray> words = line.split(' ');
        if (words.size() == 3 && words[0] == "line") {
            const int k = words[1].toInt();
            if (k >= 0 && k < 100 && seenAt[size_t(k)] > 0)
                ms.push_back((seenAt[size_t(k)] - words[2].toDouble()) * 1000);
        }
    }
    // The mirrored files came home whole (a bench that loses bytes measures nothing).
    for (int k = 0; k < files; ++k) {
        const QString rel =
            QStringLiteral("/snapshot/logs/many/f%1.log").arg(k, 2, 10, QLatin1Char('0'));
        if (QFileInfo(ws + QStringLiteral("/runs/") + id + rel).size() != 100 * 201)
            std::printf("  warning: %s of run %s is not whole\n", qPrintable(rel), qPrintable(id));
    }
    return {percentile(ms, 0.5), percentile(ms, 0.95), percentile(ms, 1), ms.size()};
}

// Local vs SSH vs Slurm in the same run, without and with 50 files written at once.
void latencyTable(const QString& ws, const QString& src, const QStringList& targets) {
    std::printf("\nlog-line-to-store latency (100 lines, one per 50 ms; goal p50 < 1000 ms on SSH "
                "and Slurm)\n"
                "local: this machine; box: the SSH target; hpc: the Slurm target through SSH\n");
    std::printf("%-22s %6s %8s %8s %8s %11s %11s\n", "target", "files", "p50 ms", "p95 ms",
                "max ms", "p50/local", "p95/local");
    for (const int files : {0, 50}) {
        Latency local;
        for (const QString& target : targets) {
            const Latency l = logLatency(ws, src, target, files);
            if (target == targets.first()) local = l;
            std::printf("%-22s %6d %8.0f %8.0f %8.0f %10.1fx %10.1fx\n", qPrintable(target), files,
                        l.p50, l.p95, l.max, local.p50 > 0 ? l.p50 / local.p50 : 0,
                        local.p95 > 0 ? l.p95 / local.p95 : 0);
            std::fflush(stdout);
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_remote ENV_SH [RUNS]  (ENV_SH: from tests/cluster/cluster.sh up)\n");
        return 2;
    }
    const auto env = loadEnv(QString::fromLocal8Bit(argv[1]));
    const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
    QFile loadavg(QStringLiteral("/proc/loadavg"));
    loadavg.open(QIODevice::ReadOnly);
    std::printf("machine: %d cores, load average %s", QThread::idealThreadCount(), loadavg.readAll().constData());
    const auto t0 = QElapsedTimer();
    Q_UNUSED(t0);
    QElapsedTimer ssh;
    ssh.start();
    run(QStringLiteral("ssh"), {QStringLiteral("-p"), env.value(QStringLiteral("LABBENCH_SSH_PORT")), QStringLiteral("-i"),
                                env.value(QStringLiteral("LABBENCH_SSH_KEY")), QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                                QStringLiteral("-o"), QStringLiteral("UserKnownHostsFile=") + env.value(QStringLiteral("LABBENCH_SSH_KNOWN_HOSTS")),
                                env.value(QStringLiteral("LABBENCH_SSH_USER")) + QLatin1Char('@') + env.value(QStringLiteral("LABBENCH_SSH_HOST")),
                                QStringLiteral("true")});
    std::printf("one plain `ssh HOST true` (new connection + the account's shell start-up): %lld ms\n",
                static_cast<long long>(ssh.elapsed()));

    QTemporaryDir tmp;
    const QString ws = tmp.filePath(QStringLiteral("ws")), src = tmp.filePath(QStringLiteral("src"));
    QProcess::execute(kLabbench, {QStringLiteral("workspace"), QStringLiteral("init"), ws});
    writeFile(src + QStringLiteral("/nap.sh"), "#!/bin/sh\nsleep 1\n");
    QFile(src + QStringLiteral("/nap.sh")).setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QStringList sshArgs{QStringLiteral("--host"), env.value(QStringLiteral("LABBENCH_SSH_HOST")), QStringLiteral("--port"),
                              env.value(QStringLiteral("LABBENCH_SSH_PORT")), QStringLiteral("--user"), env.value(QStringLiteral("LABBENCH_SSH_USER")),
                              QStringLiteral("--identity"), env.value(QStringLiteral("LABBENCH_SSH_KEY")), QStringLiteral("--known-hosts"),
                              env.value(QStringLiteral("LABBENCH_SSH_KNOWN_HOSTS"))};
    QProcess::execute(kLabbench, QStringList{QStringLiteral("--workspace"), ws, QStringLiteral("compute"), QStringLiteral("create"),
                                             QStringLiteral("ssh"), QStringLiteral("box"), QStringLiteral("--remote-dir"),
                                             tmp.filePath(QStringLiteral("remote/ssh"))} + sshArgs);
    QProcess::execute(kLabbench, {QStringLiteral("--workspace"), ws, QStringLiteral("compute"), QStringLiteral("create"),
                                  QStringLiteral("slurm"), QStringLiteral("here"), QStringLiteral("--remote-dir"),
                                  tmp.filePath(QStringLiteral("remote/here"))});
    QProcess::execute(kLabbench,
                      QStringList{QStringLiteral("--workspace"), ws, QStringLiteral("compute"),
                                  QStringLiteral("create"), QStringLiteral("slurm"),
                                  QStringLiteral("hpc"), QStringLiteral("--remote-dir"),
                                  tmp.filePath(QStringLiteral("remote/hpc"))} +
                          sshArgs);
    if (runs > 0) {
        slurmBaseline(runs);
        submitToRunning(ws, src, QStringLiteral("here"), runs);
        submitToRunning(ws, src, QStringLiteral("box"), runs);
    }
    latencyTable(ws, src, {QStringLiteral("local"), QStringLiteral("box"), QStringLiteral("hpc")});
    return 0;
}
