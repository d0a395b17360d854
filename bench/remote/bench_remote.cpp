// Benchmarks of remote compute (issue 7), printed as a small report:
//   1. Slurm's own latency: `sbatch` to RUNNING in squeue, polled every 20 ms (the baseline)
//   2. submit-to-RUNNING through Labbench on the local Slurm target and on the SSH target
//      (goal: Slurm's own latency + < 0.5 s)
//   3. remote log-line-to-store latency on the SSH target (goal p50 < 1 s)
// Usage: bench_remote ENV_SH [RUNS]   (ENV_SH from tests/cluster/cluster.sh up)
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

void logLatency(const QString& ws, const QString& src, const QString& target) {
    writeFile(src + QStringLiteral("/talk.py"),
              "import time\n"
              "time.sleep(0.5)\n"
              "for i in range(100):\n"
              "    print('line %d %.6f' % (i, time.time()), flush=True)\n"
              "    time.sleep(0.05)\n");
    const QString id = submit(ws, {QStringLiteral("--source"), src, QStringLiteral("--entry"), QStringLiteral("talk.py"),
                                   QStringLiteral("--compute"), target});
    Workspace workspace = Workspace::open(ws);
    auto runs = workspace.store().runs();
    std::vector<double> seenAt(100, 0);
    QElapsedTimer guard;
    guard.start();
    std::int64_t covered = 0;
    while (covered < 100 && guard.elapsed() < 90000) {
        const std::int64_t lines = runs.ingestOffset(id, RunFolder::driverLogName()).lines;
        const double now = QDateTime::currentMSecsSinceEpoch() / 1000.0;
        for (std::int64_t k = covered; k < std::min<std::int64_t>(lines, 100); ++k)
            seenAt[size_t(k)] = now;
        covered = std::max(covered, lines);
        QThread::msleep(2);
    }
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
    std::printf("remote log-line-to-store latency on '%s' (%zu lines): p50 %.0f ms, p95 %.0f ms, max %.0f ms  "
                "(goal p50 < 1000 ms)\n",
                qPrintable(target), ms.size(), percentile(ms, 0.5), percentile(ms, 0.95), percentile(ms, 1));
    QProcess::execute(kLabbench, {QStringLiteral("--workspace"), ws, QStringLiteral("wait"), id});
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
    slurmBaseline(runs);
    submitToRunning(ws, src, QStringLiteral("here"), runs);
    submitToRunning(ws, src, QStringLiteral("box"), runs);
    logLatency(ws, src, QStringLiteral("box"));
    return 0;
}
