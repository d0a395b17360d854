// Issue 19 item 1 on the real cluster of the fixture: a run on the SSH target and one on the
// Slurm target (through SSH) append to three files under ./logs and write a TensorBoard event
// file for about 20 s, and the workspace has every line (in the local run folder) and every
// scalar (in the store) before the run ends. sshd is stopped and started again in the middle:
// afterwards each mirrored file is byte-identical to the remote one (nothing lost, nothing
// twice). The script also rewrites two files (one shrinks, one keeps its size), plants a link
// to /etc/passwd and a file with a newline in its name: neither comes home while it runs. A
// checkpoint written atomically comes home during the run too, without its temporary file.
#include "core/util/BytePaths.h"
#include "tests/cluster/ClusterEnv.h"
#include "tests/runs/RunTestSupport.h"

#include <QDirIterator>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <sys/stat.h>

using namespace lbtest;

namespace {

constexpr int kSteps = 40; // one every 0.5 s: 20 s

// TFRecord framing and the Event/Summary protobufs written by hand (torch is not installed);
// the same encoder as tests/tensorboard/tst_run_tensorboard.cpp.
const QByteArray kScript = R"py(import os, struct, sys, time

def _table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ (0x82F63B78 if c & 1 else 0)
        table.append(c)
    return table
TABLE = _table()

def crc32c(data):
    c = 0xFFFFFFFF
    for x in data:
        c = (c >> 8) ^ TABLE[(c ^ x) & 0xFF]
    return c ^ 0xFFFFFFFF

def masked(c):
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF

def varint(v):
    out = bytearray()
    while True:
        b, v = v & 0x7F, v >> 7
        out.append(b | 0x80 if v else b)
        if not v:
            return bytes(out)

def key(field, wire):
    return varint(field << 3 | wire)

def ld(field, data):
    return key(field, 2) + varint(len(data)) + data

def record(data):
    head = struct.pack('<Q', len(data))
    return head + struct.pack('<I', masked(crc32c(head))) + data + struct.pack('<I', masked(crc32c(data)))

def scalar(step, tag, x):
    value = ld(1, tag.encode()) + key(2, 5) + struct.pack('<f', x)
    return key(1, 1) + struct.pack('<d', time.time()) + key(2, 0) + varint(step) + ld(5, ld(1, value))

steps = int(sys.argv[1])
os.makedirs('logs/sub', exist_ok=True)
os.makedirs('logs/train', exist_ok=True)
os.symlink('/etc/passwd', 'logs/passwd')
with open('logs/bad\nname.log', 'w') as f:
    f.write('newline\n')
with open('logs/shrinks.log', 'w') as f:
    f.write('x' * 400)
with open('logs/same.log', 'w') as f:
    f.write('x' * 200)
files = [open(p, 'a') for p in ('logs/a.log', 'logs/sub/b.log', 'logs/c.log')]
tb = open('logs/train/events.out.tfevents.%d.node' % int(time.time()), 'wb')
tb.write(record(key(1, 1) + struct.pack('<d', time.time()) + ld(3, b'brain.Event:2')))
for i in range(steps):
    for name, f in zip('abc', files):
        f.write('%s %03d %.6f\n' % (name, i, time.time()))
        f.flush()
    tb.write(record(scalar(i, 'tbloss', 1.0 / (i + 1))))
    tb.flush()
    if i == 2:  # a checkpoint, written atomically (a temporary file renamed)
        os.makedirs('checkpoints', exist_ok=True)
        with open('checkpoints/.step2.pt.tmp', 'wb') as f:
            f.write(bytes(range(256)) * 400)
        os.replace('checkpoints/.step2.pt.tmp', 'checkpoints/step2.pt')
    if i == steps // 4:
        with open('logs/shrinks.log', 'w') as f:
            f.write('short\n')
    if i == steps // 2:
        with open('logs/same.log', 'w') as f:
            f.write('y' * 200)
    time.sleep(0.5)
print('written', flush=True)
# Wait for the test to look at the workspace while the run is still running.
deadline = time.time() + 120
while not os.path.exists('go') and time.time() < deadline:
    time.sleep(0.1)
print('released', flush=True)
)py";

QStringList sshArgs(const ClusterEnv& env) {
    return {QStringLiteral("--host"),        env.get("LABBENCH_SSH_HOST"),
            QStringLiteral("--port"),        env.get("LABBENCH_SSH_PORT"),
            QStringLiteral("--user"),        env.get("LABBENCH_SSH_USER"),
            QStringLiteral("--identity"),    env.get("LABBENCH_SSH_KEY"),
            QStringLiteral("--known-hosts"), env.get("LABBENCH_SSH_KNOWN_HOSTS")};
}

QString statusOf(const QString& ws, const QString& id) {
    const CliResult r =
        runCli(ws, {QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")});
    const lb::Json j = r.code == 0 ? r.json() : lb::Json::object();
    return j.contains("status") ? QString::fromStdString(j["status"].get<std::string>())
                                : QString();
}

// The sshd children (one per connection) of the fixture's sshd.
QList<int> childrenOf(int parent) {
    QList<int> pids;
    QDirIterator it(QStringLiteral("/proc"), QDir::Dirs | QDir::NoDotAndDotDot);
    while (it.hasNext()) {
        bool ok = false;
        const int pid = it.next().section(QLatin1Char('/'), -1).toInt(&ok);
        if (!ok) continue;
        const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
        const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields[1].toInt() == parent && fields[0] != "Z") pids.append(pid);
    }
    return pids;
}

bool isRegular(const QString& path) {
    struct stat st {};
    return ::lstat(path.toLocal8Bit().constData(), &st) == 0 && S_ISREG(st.st_mode);
}

// Lines "X NNN …" of one letter in a file: their numbers, in order.
QList<int> numbersIn(const QByteArray& text, char letter) {
    QList<int> out;
    for (const QByteArray& line : text.split('\n'))
        if (line.size() > 5 && line[0] == letter && line[1] == ' ')
            out.append(line.mid(2, 3).toInt());
    return out;
}

int scalarsIn(const QString& ws, const QString& id) {
    const CliResult m = runCli(ws, {QStringLiteral("metrics"), id, QStringLiteral("--json")});
    if (m.code != 0) return -1;
    int n = 0;
    for (const auto& p : m.json())
        if (p["name"].get<std::string>() == "tbloss") ++n;
    return n;
}

} // namespace

class TestRemoteStreaming : public QObject {
    Q_OBJECT
    ClusterEnv env_;
    QTemporaryDir tmp_;
    QString ws_, src_, remote_;

    QString submit(const QString& compute) {
        const CliResult r = runCli(ws_, {QStringLiteral("submit"), QStringLiteral("--source"), src_,
                                         QStringLiteral("--entry"), QStringLiteral("stream.py"),
                                         QStringLiteral("--compute"), compute, QStringLiteral("--"),
                                         QString::number(kSteps)});
        if (r.code != 0) qWarning("submit failed: %s", r.err.constData());
        return r.code == 0 ? r.firstLine() : QString();
    }
    QString local(const QString& id, const QString& rel) const {
        return ws_ + QStringLiteral("/runs/") + id + QStringLiteral("/snapshot/logs/") + rel;
    }
    QString remote(const QString& compute, const QString& id, const QString& rel) const {
        return remote_ + QLatin1Char('/') + compute + QStringLiteral("/runs/") + id +
               QStringLiteral("/snapshot/logs/") + rel;
    }
    int linesHome(const QString& id) {
        int n = 0;
        for (const char* f : {"a.log", "sub/b.log", "c.log"})
            n += int(numbersIn(readFile(local(id, QString::fromLatin1(f))), f[f[0] == 's' ? 4 : 0])
                         .size());
        return n;
    }

    void restartSshd() {
        const QString dir = env_.get("LABBENCH_CLUSTER_DIR");
        const int sshd = readFile(dir + QStringLiteral("/ssh/sshd.pid")).trimmed().toInt();
        QVERIFY(sshd > 1);
        for (int child : childrenOf(sshd))
            ::kill(child, SIGKILL);
        ::kill(sshd, SIGTERM);
        QVERIFY(waitFor(
            [&] {
                return runProgram(QStringLiteral("ssh"),
                                  env_.sshArgs() + QStringList{QStringLiteral("true")}, 5000)
                           .exitCode == 255;
            },
            10000));
        QThread::sleep(2); // the runs go on; their followers retry with backoff
        const Ran restart =
            runProgram(QStringLiteral("/usr/sbin/sshd"),
                       {QStringLiteral("-f"), dir + QStringLiteral("/ssh/sshd_config"),
                        QStringLiteral("-E"), dir + QStringLiteral("/log/sshd.log")});
        QCOMPARE(restart.exitCode, 0);
    }

    // While the run still waits for its release: every line and scalar is here, the mirrored
    // files equal the remote ones byte for byte, and the hostile names stayed out.
    void checkWhileRunning(const QString& compute, const QString& id) {
        QVERIFY2(waitFor([&] { return linesHome(id) == 3 * kSteps; }, 60000),
                 qPrintable(compute + QStringLiteral(": ") + QString::number(linesHome(id))));
        QVERIFY2(waitFor([&] { return scalarsIn(ws_, id) == kSteps; }, 30000),
                 qPrintable(compute + QStringLiteral(": ") + QString::number(scalarsIn(ws_, id))));
        QCOMPARE(statusOf(ws_, id), QStringLiteral("Running"));
        QStringList compared;
        const QString remoteLogs = remote(compute, id, {});
        QDirIterator it(remoteLogs, QDir::Files | QDir::NoSymLinks, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString rel = it.next().mid(remoteLogs.size());
            if (rel.contains(QLatin1Char('\n'))) continue;
            // The same bytes, each once (the rewrites reach the copy after a poll or two).
            QVERIFY2(
                waitFor([&] { return readFile(local(id, rel)) == readFile(it.filePath()); }, 10000),
                qPrintable(compute + QStringLiteral(": ") + rel));
            compared << rel;
        }
        compared.sort();
        QCOMPARE(compared.size(), 6); // a, sub/b, c, the event file, shrinks, same
        QCOMPARE(readFile(local(id, QStringLiteral("shrinks.log"))), QByteArray("short\n"));
        QCOMPARE(readFile(local(id, QStringLiteral("same.log"))), QByteArray(200, 'y'));
        for (const char* f : {"a.log", "sub/b.log", "c.log"}) {
            const char letter = f[f[0] == 's' ? 4 : 0];
            const QList<int> numbers =
                numbersIn(readFile(local(id, QString::fromLatin1(f))), letter);
            QCOMPARE(numbers.size(), kSteps);
            for (int i = 0; i < kSteps; ++i)
                QCOMPARE(numbers[i], i);
        }
        // The checkpoint came home during the run, whole, without its temporary file.
        const QString checkpoint = QStringLiteral("../checkpoints/step2.pt");
        QVERIFY2(
            waitFor([&] { return readFile(local(id, checkpoint)).size() == 256 * 400; }, 40000),
            qPrintable(compute));
        QCOMPARE(readFile(local(id, checkpoint)), readFile(remote(compute, id, checkpoint)));
        QVERIFY(!lb::pathExists(local(id, QStringLiteral("../checkpoints/.step2.pt.tmp"))));
        QVERIFY(!lb::pathExists(local(id, QStringLiteral("passwd"))));
        QVERIFY(!lb::pathExists(local(id, QStringLiteral("bad\nname.log"))));
        writeFile(remote(compute, id, QStringLiteral("../go")), "");
    }

private slots:
    void initTestCase() {
        env_ = ClusterEnv::load();
        QVERIFY2(env_.ok,
                 "the cluster fixture's env.sh is missing (run through ctest, fixture 'cluster')");
        ws_ = tmp_.filePath(QStringLiteral("ws"));
        src_ = tmp_.filePath(QStringLiteral("src"));
        remote_ = tmp_.filePath(QStringLiteral("remote"));
        QCOMPARE(runCli(ws_, {QStringLiteral("workspace"), QStringLiteral("init"), ws_}).code, 0);
        writeFile(src_ + QStringLiteral("/stream.py"), kScript);
        CliResult r = runCli(
            ws_, QStringList{QStringLiteral("compute"), QStringLiteral("create"),
                             QStringLiteral("ssh"), QStringLiteral("box")} +
                     sshArgs(env_) +
                     QStringList{QStringLiteral("--remote-dir"), remote_ + QStringLiteral("/box")});
        QVERIFY2(r.code == 0, r.err.constData());
        r = runCli(
            ws_, QStringList{QStringLiteral("compute"), QStringLiteral("create"),
                             QStringLiteral("slurm"), QStringLiteral("hpc")} +
                     sshArgs(env_) +
                     QStringList{QStringLiteral("--remote-dir"), remote_ + QStringLiteral("/hpc")});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    void logsAndTensorBoardStreamHomeThroughAnSshdRestart() {
        const QString onSsh = submit(QStringLiteral("box"));
        const QString onSlurm = submit(QStringLiteral("hpc"));
        QVERIFY(!onSsh.isEmpty() && !onSlurm.isEmpty());
        // Lines arrive while the script writes (well before its 20 s are over), then sshd goes.
        QVERIFY2(waitFor([&] { return linesHome(onSsh) >= 30 && linesHome(onSlurm) >= 30; }, 60000),
                 qPrintable(QStringLiteral("%1 %2").arg(linesHome(onSsh)).arg(linesHome(onSlurm))));
        QVERIFY(linesHome(onSsh) < 3 * kSteps);
        restartSshd();
        checkWhileRunning(QStringLiteral("box"), onSsh);
        checkWhileRunning(QStringLiteral("hpc"), onSlurm);
        for (const QString& id : {onSsh, onSlurm}) {
            const CliResult w = runCli(ws_, {QStringLiteral("wait"), id}, 120000);
            QCOMPARE(statusOf(ws_, id), QStringLiteral("Completed"));
            Q_UNUSED(w);
            // The final copy added nothing to what streamed: every line and scalar once.
            QCOMPARE(linesHome(id), 3 * kSteps);
            QCOMPARE(scalarsIn(ws_, id), kSteps);
            QVERIFY(!isRegular(local(id, QStringLiteral("passwd")))); // at most the link itself
        }
    }
};

QTEST_GUILESS_MAIN(TestRemoteStreaming)
#include "tst_remote_streaming.moc"
