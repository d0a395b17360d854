// The hard edges of issue 25 that a user meets through the real labbench binary: arguments and
// output file names that are not UTF-8 kept as bytes, secret variables that never rest in
// plain text, NaN and infinities in JSON output, and steps that cannot be stored.

#include "tests/runs/RunTestSupport.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QTemporaryDir>
#include <sys/stat.h>

using namespace lbtest;

namespace {

// The raw bytes every byte test uses: not UTF-8 in three different ways.
const QByteArray kBadBytes("\xff\xfe\x80"
                           "bad");

// The shell text that passes kBadBytes as the one script argument.
const QString kBadArgument = QStringLiteral("-- \"$(printf '\\377\\376\\200bad')\"");

// The mode bits of a file, or -1 when it is not there.
int modeOf(const QString& path) {
    struct stat st {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}

// Every file under `dir` (store, WAL, run folders) that holds `needle`.
QStringList filesHolding(const QString& dir, const QByteArray& needle) {
    QStringList found;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (readFile(path).contains(needle)) found.append(QDir(dir).relativeFilePath(path));
    }
    return found;
}

} // namespace

class TestRunEdges : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    QString ws;
    int counter = 0;

    QString source(const QString& name, const QByteArray& script) {
        const QString dir = tmp.filePath(QStringLiteral("src%1").arg(++counter));
        writeFile(dir + QLatin1Char('/') + name, script);
        return dir;
    }

    lb::Json show(const QString& id) {
        const CliResult r = runCli(
            ws, {QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")});
        return r.code == 0 ? r.json() : lb::Json::object();
    }

private slots:
    // QTemporaryDir cannot remove a file whose name is not UTF-8 (Qt's own file calls lose the
    // bytes, #25): rm can.
    void cleanupTestCase() {
        QProcess::execute(QStringLiteral("rm"), {QStringLiteral("-rf"), tmp.path()});
    }

    void initTestCase() {
        QVERIFY(tmp.isValid());
        ws = tmp.filePath(QStringLiteral("ws"));
        const CliResult r =
            runCli(tmp.path(), {QStringLiteral("workspace"), QStringLiteral("init"), ws});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    // #25 item 4: the argument reached sys.argv as U+FFFD, and run.json kept the mangled form; a
    // file whose name is not UTF-8 was missing from `files` and `download`.
    void bytesThatAreNotUtf8ReachTheScriptAndComeBackAsFiles() {
        const QString src = source(QStringLiteral("bytes.py"),
                                   "import os, sys\n"
                                   "arg = os.fsencode(sys.argv[1])\n"
                                   "print('ARG=' + arg.hex(), flush=True)\n"
                                   "os.makedirs(b'outputs', exist_ok=True)\n"
                                   "open(b'outputs/' + arg + b'.bin', 'wb').write(b'12345')\n");
        const CliResult r = runCliThroughShell(
            ws,
            {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"),
             QStringLiteral("bytes.py"), QStringLiteral("--wait")},
            kBadArgument);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        QVERIFY2(r.out.contains("ARG=" + kBadBytes.toHex()), r.out.constData());
        const QString id = r.firstLine();
        const lb::Json run = show(id);
        const std::string b64 = kBadBytes.toBase64().toStdString();
        QCOMPARE(run["estimator"]["script_params"][0]["b64"].get<std::string>(), b64);
        const lb::Json runJson =
            lb::Json::parse(readFile(QString::fromStdString(run["run_dir"].get<std::string>()) +
                                     QStringLiteral("/run.json"))
                                .toStdString());
        QCOMPARE(runJson["estimator"]["script_params"][0]["b64"].get<std::string>(), b64);

        // The run has ended: `files` lists what the store kept, with the exact name.
        const QByteArray name = "outputs/" + kBadBytes + ".bin";
        const CliResult files = runCli(ws, {QStringLiteral("files"), id, QStringLiteral("--json")});
        QVERIFY2(files.code == 0, files.err.constData());
        QCOMPARE(files.json().size(), size_t(1));
        QCOMPARE(files.json()[0]["path"]["b64"].get<std::string>(), name.toBase64().toStdString());
        QCOMPARE(files.json()[0]["size"].get<int>(), 5);
        const CliResult text = runCli(ws, {QStringLiteral("files"), id});
        QVERIFY2(text.out.contains("outputs/\\xff\\xfe\\x80bad.bin"), text.out.constData());

        const QString to = tmp.filePath(QStringLiteral("down"));
        const CliResult down =
            runCli(ws, {QStringLiteral("download"), id, QStringLiteral("--to"), to});
        QVERIFY2(down.code == 0, down.err.constData());
        QVERIFY2(down.err.contains("downloaded 1 file(s), 5 bytes"), down.err.constData());
        const QByteArray copied = QFile::encodeName(to) + '/' + name;
        struct stat st {};
        QVERIFY2(::stat(copied.constData(), &st) == 0 && st.st_size == 5, copied.constData());
    }

    // #25 item 6: --env TOKEN=… was written in plain text to run.json (0644) and shown by
    // `runs show --json`.
    void secretVariablesReachTheScriptButRestNowhereInPlainText() {
        // The script holds no secret itself (its snapshot is kept): it prints digests. It looks
        // at the command lines once the submitting CLI (whose own arguments the user chose to
        // type) is gone: when the test opens its gate.
        const QString gate = tmp.filePath(QStringLiteral("gate"));
        const QString src =
            source(QStringLiteral("env.py"),
                   "import hashlib, os, sys, time\n"
                   "while not os.path.exists(sys.argv[1]):\n"
                   "    time.sleep(0.01)\n"
                   "for k in ['API_TOKEN', 'PLAIN', 'MY_KEY', 'OMP_NUM_THREADS']:\n"
                   "    v = os.environ.get(k, '').encode()\n"
                   "    print(k, hashlib.sha256(v).hexdigest(), flush=True)\n"
                   // No process on this machine shows a secret on its command line.
                   "seen = []\n"
                   "for pid in filter(str.isdigit, os.listdir('/proc')):\n"
                   "    try:\n"
                   "        if b'SeC' + b'rEt' in open('/proc/%s/cmdline' % pid, 'rb').read():\n"
                   "            seen.append(pid)\n"
                   "    except OSError:\n"
                   "        pass\n"
                   "print('IN-PS', seen, flush=True)\n");
        const CliResult r = runCli(
            ws, {QStringLiteral("submit"), QStringLiteral("--source"), src,
                 QStringLiteral("--entry"), QStringLiteral("env.py"), QStringLiteral("--env"),
                 QStringLiteral("API_TOKEN=tok-SeCrEt-1"), QStringLiteral("--secret-env"),
                 QStringLiteral("PLAIN=plain-SeCrEt-2"), QStringLiteral("--public-env"),
                 QStringLiteral("MY_KEY=visible"), QStringLiteral("--env"),
                 QStringLiteral("OMP_NUM_THREADS=2"), QStringLiteral("--"), gate});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString id = r.firstLine();
        writeFile(gate, "go");
        QCOMPARE(runCli(ws, {QStringLiteral("wait"), id}).code, 0);
        const QByteArray log = runCli(ws, {QStringLiteral("logs"), id}).out;
        const QMap<QByteArray, QByteArray> expected{{"API_TOKEN", "tok-SeCrEt-1"},
                                                    {"PLAIN", "plain-SeCrEt-2"},
                                                    {"MY_KEY", "visible"},
                                                    {"OMP_NUM_THREADS", "2"}};
        for (auto it = expected.begin(); it != expected.end(); ++it)
            QVERIFY2(log.contains(
                         it.key() + ' ' +
                         QCryptographicHash::hash(it.value(), QCryptographicHash::Sha256).toHex()),
                     log.constData());
        QVERIFY2(log.contains("IN-PS []"), log.constData());
        const lb::Json run = show(id);
        QVERIFY2(run.dump().find("SeCrEt") == std::string::npos, run.dump().c_str());
        const lb::Json& env = run["estimator"]["environment_variables"];
        QCOMPARE(env["API_TOKEN"].get<std::string>(), std::string("***"));
        QCOMPARE(env["PLAIN"].get<std::string>(), std::string("***"));
        QCOMPARE(env["MY_KEY"].get<std::string>(), std::string("visible"));
        // The values rest in one file beside the run, readable by its owner only.
        const QString runDir = QString::fromStdString(run["run_dir"].get<std::string>());
        QCOMPARE(modeOf(runDir + QStringLiteral("/secrets.json")), 0600);
        QVERIFY(readFile(runDir + QStringLiteral("/secrets.json")).contains("tok-SeCrEt-1"));
        QCOMPARE(filesHolding(ws, "SeCrEt"),
                 QStringList{QStringLiteral("runs/") + id + QStringLiteral("/secrets.json")});

        // Giving the mask itself as a value is refused: it is what a copied run.json holds.
        const CliResult masked =
            runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src,
                        QStringLiteral("--entry"), QStringLiteral("env.py"),
                        QStringLiteral("--env"), QStringLiteral("API_TOKEN=***")});
        QCOMPARE(masked.code, 1);
        QVERIFY2(masked.err.contains("--secret-env API_TOKEN=VALUE"), masked.err.constData());
        // A malformed option never repeats the value it was given.
        const CliResult bad = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--entry"),
                                          QStringLiteral("env.py"), QStringLiteral("--secret-env"),
                                          QStringLiteral("=leaked-SeCrEt")});
        QCOMPARE(bad.code, 2);
        QVERIFY2(!bad.err.contains("SeCrEt") && bad.err.contains("NAME=VALUE"),
                 bad.err.constData());
    }

    // #25 item 7: NaN and infinities became null in `metrics --json`; -5 and 1e23 were stored
    // as step 0 without a word.
    void nonFiniteValuesAndImpossibleStepsSayWhatTheyAre() {
        const QString src =
            source(QStringLiteral("nums.py"),
                   "import json, os\n"
                   "import labbench\n"
                   "labbench.log('loss', float('nan'), step=0)\n"
                   "labbench.log('loss', float('inf'), step=1)\n"
                   "labbench.log('loss', float('-inf'), step=2)\n"
                   "with open(os.environ['LABBENCH_METRICS_FILE'], 'a') as f:\n"
                   "    f.write('{\"name\": \"loss\", \"value\": 0.5, \"step\": -5}\\n')\n"
                   "    f.write('{\"name\": \"loss\", \"value\": 0.5, \"step\": 1e23}\\n')\n"
                   "    f.write('{\"name\": \"loss\", \"value\": \"NaN\", \"step\": 3}\\n')\n");
        const CliResult r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src,
                                        QStringLiteral("--entry"), QStringLiteral("nums.py"),
                                        QStringLiteral("--wait")});
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const QString id = r.firstLine();
        const CliResult m = runCli(ws, {QStringLiteral("metrics"), id, QStringLiteral("--json")});
        QVERIFY2(m.code == 0, m.err.constData());
        QVERIFY2(!m.out.contains("null"), m.out.constData());
        const lb::Json points = m.json();
        QCOMPARE(points.size(), size_t(4));
        const std::vector<std::string> values{"NaN", "Infinity", "-Infinity", "NaN"};
        for (size_t i = 0; i < points.size(); ++i) {
            QCOMPARE(points[i]["value"].get<std::string>(), values[i]);
            QCOMPARE(points[i]["step"].get<int>(), int(i));
        }
        // The impossible steps were skipped, each with a warning in the run's log.
        const QByteArray log = runCli(ws, {QStringLiteral("logs"), id}).out;
        QVERIFY2(
            log.contains("skipped line 4 of metrics.jsonl (the step of metric \"loss\" is -5;"),
            log.constData());
        QVERIFY2(
            log.contains("skipped line 5 of metrics.jsonl (the step of metric \"loss\" is 1e+23;"),
            log.constData());
    }
};

QTEST_GUILESS_MAIN(TestRunEdges)
#include "tst_run_edges.moc"
