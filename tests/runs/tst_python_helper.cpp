// The Python helper shipped in resources/python (labbench + the azureml stand-in), run by real
// interpreters: the exact records written, steps, get_metrics, uploads, concurrent writers.

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <nlohmann/json.hpp>

using Json = nlohmann::ordered_json;

namespace {

const QString kHelperDir = QStringLiteral(LABBENCH_SOURCE_DIR "/resources/python");

struct Result {
    int exitCode = -1;
    QString out;
    QString err;
};

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    f.write(text);
}

QList<Json> records(const QString& path) {
    QList<Json> out;
    for (const QByteArray& line : readAll(path).split('\n')) {
        if (!line.isEmpty())
            out.append(Json::parse(line.toStdString()));
    }
    return out;
}

QString dumped(const Json& j) { return QString::fromStdString(j.dump()); }

std::vector<std::string> keysOf(const Json& j) {
    std::vector<std::string> keys;
    for (const auto& [k, v] : j.items())
        keys.push_back(k);
    return keys;
}

} // namespace

class TestPythonHelper : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    QString runDir;       // a run folder: snapshot/ is the working directory
    QString metricsFile;

    // Starts `interpreter script.py` the way a run does (cwd = snapshot, the LABBENCH_* variables,
    // PYTHONPATH = the helper first, then `extraPath`).
    QProcess* start(const QString& interpreter, const QByteArray& script, const QString& extraPath = {},
                    bool inRun = true, const QStringList& args = {}) {
        static int n = 0;
        const QString file = runDir + QStringLiteral("/snapshot/script%1.py").arg(++n);
        writeFile(file, script);
        auto* p = new QProcess(this);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PYTHONPATH"),
                   extraPath.isEmpty() ? kHelperDir : kHelperDir + u':' + extraPath);
        env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"));
        env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
        env.remove(QStringLiteral("LABBENCH_METRICS_FILE"));
        env.remove(QStringLiteral("LABBENCH_CHECKPOINT_DIR"));
        env.remove(QStringLiteral("LABBENCH_RUN_DIR"));
        if (inRun) {
            // As RunLaunch sets it: the run's snapshot/checkpoints.
            env.insert(QStringLiteral("LABBENCH_CHECKPOINT_DIR"),
                       runDir + QStringLiteral("/snapshot/checkpoints"));
            env.insert(QStringLiteral("LABBENCH_METRICS_FILE"), metricsFile);
            env.insert(QStringLiteral("LABBENCH_RUN_ID"), QStringLiteral("run-42"));
            env.insert(QStringLiteral("LABBENCH_RUN_DIR"), runDir);
            env.insert(QStringLiteral("LABBENCH_EXPERIMENT"), QStringLiteral("mnist"));
        }
        p->setProcessEnvironment(env);
        p->setWorkingDirectory(runDir + QStringLiteral("/snapshot"));
        p->start(interpreter, QStringList{file} + args);
        return p;
    }

    Result finish(QProcess* p) {
        Result r;
        if (!p->waitForFinished(60000))
            qWarning("python did not finish");
        r.exitCode = p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1;
        r.out = QString::fromUtf8(p->readAllStandardOutput());
        r.err = QString::fromUtf8(p->readAllStandardError());
        delete p;
        return r;
    }

    Result run(const QByteArray& script, const QString& extraPath = {}, bool inRun = true) {
        QFETCH_GLOBAL(QString, python);
        Result r = finish(start(python, script, extraPath, inRun));
        if (r.exitCode != 0)
            qWarning("python failed (%d): %s", r.exitCode, qPrintable(r.err));
        return r;
    }

private slots:
    void initTestCase_data() {
        QTest::addColumn<QString>("python");
        const QString onPath = QStandardPaths::findExecutable(QStringLiteral("python3"));
        QVERIFY2(!onPath.isEmpty(), "python3 must be on PATH");
        QTest::newRow("python3") << onPath;
        // Debian's interpreter (with numpy/torch) is the other one runs often use here.
        if (QFileInfo(QStringLiteral("/usr/bin/python3")).isExecutable() &&
            QFileInfo(onPath).canonicalFilePath() !=
                QFileInfo(QStringLiteral("/usr/bin/python3")).canonicalFilePath())
            QTest::newRow("usr-bin-python3") << QStringLiteral("/usr/bin/python3");
    }

    void initTestCase() { QVERIFY(tmp.isValid()); }

    void init() {
        static int n = 0;
        runDir = tmp.filePath(QStringLiteral("run%1").arg(++n));
        QVERIFY(QDir().mkpath(runDir + QStringLiteral("/snapshot")));
        metricsFile = runDir + QStringLiteral("/metrics.jsonl");
    }

    void logWritesExactRecords() {
        const Result r = run("import labbench\n"
                             "labbench.log('loss', 0.5)\n"
                             "labbench.log('loss', 0.25)\n"
                             "labbench.log('acc', 3, step=10)\n"
                             "labbench.log('loss', True)\n");
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = QString::fromUtf8(readAll(metricsFile)).split(u'\n');
        QCOMPARE(lines.size(), 5); // four records and the empty rest after the last newline
        QVERIFY(lines.last().isEmpty());
        const QString time = QStringLiteral("\"time\": [0-9]+\\.[0-9]+\\}$");
        const QStringList expected = {
            QStringLiteral("^\\{\"name\": \"loss\", \"value\": 0\\.5, \"step\": 0, ") + time,
            QStringLiteral("^\\{\"name\": \"loss\", \"value\": 0\\.25, \"step\": 1, ") + time,
            QStringLiteral("^\\{\"name\": \"acc\", \"value\": 3, \"step\": 10, ") + time,
            QStringLiteral("^\\{\"name\": \"loss\", \"value\": 1, \"step\": 2, ") + time,
        };
        for (int i = 0; i < expected.size(); ++i)
            QVERIFY2(QRegularExpression(expected[i]).match(lines[i]).hasMatch(), qPrintable(lines[i]));
        const double t = records(metricsFile).first()["time"].get<double>();
        QVERIFY(std::abs(t - QDateTime::currentMSecsSinceEpoch() / 1000.0) < 120);
    }

    void logListStepsFromZero() {
        QCOMPARE(run("import labbench\nlabbench.log_list('lr', [0.1, 0.01, 0.001, 5])\n").exitCode, 0);
        const QList<Json> recs = records(metricsFile);
        QCOMPARE(recs.size(), 4);
        const double values[] = {0.1, 0.01, 0.001, 5};
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(keysOf(recs[i]), (std::vector<std::string>{"name", "value", "step", "time"}));
            QCOMPARE(recs[i]["name"].get<std::string>(), std::string("lr"));
            QCOMPARE(recs[i]["step"].get<int>(), i);
            QCOMPARE(recs[i]["value"].get<double>(), values[i]);
        }
    }

    void otherKindsCarryAType() {
        const Result r = run("import labbench\n"
                             "labbench.tag('model', 'mlp')\n"
                             "labbench.log('note', 'text value')\n"
                             "open('pic.png', 'wb').write(b'PNG')\n"
                             "print(labbench.log_image('confusion matrix', path='pic.png'))\n"
                             "labbench.log_row('eval', epoch=1, acc=0.5)\n");
        QCOMPARE(r.exitCode, 0);
        const QList<Json> recs = records(metricsFile);
        QCOMPARE(recs.size(), 6);
        QCOMPARE(recs[0]["type"].get<std::string>(), std::string("tag"));
        QCOMPARE(recs[0]["value"].get<std::string>(), std::string("mlp"));
        QCOMPARE(recs[1]["type"].get<std::string>(), std::string("text"));
        QCOMPARE(recs[2]["type"].get<std::string>(), std::string("image"));
        const QString image = QString::fromStdString(recs[2]["value"].get<std::string>());
        QVERIFY2(image.startsWith(QStringLiteral("logs/images/confusion_matrix")), qPrintable(image));
        QCOMPARE(readAll(runDir + QStringLiteral("/snapshot/") + image), QByteArray("PNG"));
        QCOMPARE(r.out.trimmed(), image);
        // log_row: one numeric metric per column, then the row record.
        QCOMPARE(recs[3]["name"].get<std::string>(), std::string("eval.epoch"));
        QVERIFY(!recs[3].contains("type"));
        QCOMPARE(recs[4]["name"].get<std::string>(), std::string("eval.acc"));
        QCOMPARE(recs[5]["type"].get<std::string>(), std::string("row"));
        QCOMPARE(recs[5]["value"].dump(), std::string(R"({"epoch":1,"acc":0.5})"));
    }

    void azureRunLogsToTheStream() {
        const Result r = run("from azureml.core.run import Run\n"
                             "from azureml.core import Run as Run2\n"
                             "import azureml\n"
                             "assert Run is Run2 and not azureml.REAL_SDK\n"
                             "run = Run.get_context()\n"
                             "assert run is Run.get_context()\n"
                             "run.log('accuracy', 0.97)\n"
                             "run.log('accuracy', 0.98, description='d')\n"
                             "run.log_list('losses', [3, 2, 1])\n"
                             "run.tag('team', 'vision')\n"
                             "run.set_tags({'a': 1})\n"
                             "print(run.id, run.experiment.name, run.get_status())\n"
                             "run.complete()\n"
                             "print(run.get_status())\n");
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QStringLiteral("run-42 mnist Running\nCompleted\n"));
        const QList<Json> recs = records(metricsFile);
        QCOMPARE(recs.size(), 8);
        QCOMPARE(recs[0]["name"].get<std::string>(), std::string("accuracy"));
        QCOMPARE(recs[1]["step"].get<int>(), 1);
        QCOMPARE(recs[4]["step"].get<int>(), 2);
        QCOMPARE(recs[6]["value"].get<std::string>(), std::string("1")); // tags are strings
        QCOMPARE(recs[7]["type"].get<std::string>(), std::string("status"));
    }

    void getMetricsRoundTrip() {
        // Another writer's records, a bad line, and (below) a partial last line: a write in progress.
        writeFile(metricsFile, "{\"name\": \"other\", \"value\": 7, \"step\": 0, \"time\": 1.0}\n"
                               "not json\n");
        const Result r = run("import json\n"
                             "from azureml.core import Run\n"
                             "run = Run.get_context()\n"
                             "run.log('loss', 0.5)\n"
                             "run.log('loss', 0.25)\n"
                             "run.log('one', 1)\n"
                             "run.log_list('lr', [0.1, 0.01])\n"
                             "run.log_row('eval', epoch=1, acc=0.5)\n"
                             "run.log_row('eval', epoch=2, acc=0.75)\n"
                             "run.log_table('roc', {'fpr': [0, 1], 'tpr': [0, 1]})\n"
                             "import os\n"
                             "open(os.environ['LABBENCH_METRICS_FILE'], 'ab').write(b'{\"name\": \"partial\", \"va')\n"
                             "print(json.dumps(run.get_metrics(), sort_keys=True))\n"
                             "print(json.dumps(run.get_metrics('loss')))\n");
        QCOMPARE(r.exitCode, 0);
        const QStringList out = r.out.trimmed().split(u'\n');
        QCOMPARE(out.size(), 2);
        const Json all = Json::parse(out[0].toStdString());
        QCOMPARE(dumped(all["other"]), dumped(Json(7)));
        QCOMPARE(dumped(all["loss"]), dumped(Json::parse("[0.5, 0.25]")));
        QCOMPARE(dumped(all["one"]), dumped(Json(1)));
        QCOMPARE(dumped(all["lr"]), dumped(Json::parse("[0.1, 0.01]")));
        QCOMPARE(dumped(all["eval"]), dumped(Json::parse(R"({"acc": [0.5, 0.75], "epoch": [1, 2]})")));
        QCOMPARE(dumped(all["eval.acc"]), dumped(Json::parse("[0.5, 0.75]")));
        QCOMPARE(dumped(all["roc"]), dumped(Json::parse(R"({"fpr": [0, 1], "tpr": [0, 1]})")));
        QVERIFY(!all.contains("partial"));
        QCOMPARE(dumped(Json::parse(out[1].toStdString())), dumped(Json::parse(R"({"loss": [0.5, 0.25]})")));
    }

    // A resumed run's earlier attempts are in the stream: get_metrics leaves out what the store
    // marks superseded. Attempt 1 logged loss at steps 0-2, reported a checkpoint, logged 3-4
    // and died; attempt 2 (resumed from the checkpoint) logged 3 and died with no checkpoint of
    // its own; attempt 3 logs 3 again. "acc" had no point before the checkpoint, "note" is text.
    void getMetricsLeavesOutSupersededPoints() {
        writeFile(metricsFile,
                  "{\"name\": \"loss\", \"value\": 1.0, \"step\": 0}\n"
                  "{\"name\": \"loss\", \"value\": 0.9, \"step\": 1}\n"
                  "{\"name\": \"loss\", \"value\": 0.8, \"step\": 2}\n"
                  "{\"type\": \"checkpoint\", \"path\": \"checkpoints/c2\", \"step\": 2}\n"
                  "{\"name\": \"loss\", \"value\": 0.7, \"step\": 3}\n"
                  "{\"name\": \"loss\", \"value\": 0.6, \"step\": 4}\n"
                  "{\"name\": \"acc\", \"value\": 0.5, \"step\": 3}\n"
                  "{\"type\": \"text\", \"name\": \"note\", \"value\": \"lost\"}\n"
                  "{\"type\": \"row\", \"name\": \"eval\", \"value\": {\"epoch\": 1}}\n"
                  "{\"type\": \"attempt\", \"reason\": \"resume\"}\n"
                  "{\"name\": \"loss\", \"value\": 0.65, \"step\": 3}\n"
                  "{\"type\": \"attempt\", \"reason\": \"requeue\"}\n");
        const Result r = run("import json, labbench\n"
                             "from azureml.core import Run\n"
                             "labbench.log('loss', 0.55, step=3)\n"
                             "print(json.dumps(labbench.get_metrics(), sort_keys=True))\n"
                             "print(json.dumps(Run.get_context().get_metrics('loss')))\n");
        QCOMPARE(r.exitCode, 0);
        const QStringList out = r.out.trimmed().split(u'\n');
        QCOMPARE(out.size(), 2);
        const Json all = Json::parse(out[0].toStdString());
        QCOMPARE(dumped(all["loss"]), dumped(Json::parse("[1.0, 0.9, 0.8, 0.55]")));
        QVERIFY2(!all.contains("acc"), qPrintable(out[0]));  // logged after the checkpoint only
        QVERIFY2(!all.contains("note"), qPrintable(out[0])); // a text point, superseded too
        QCOMPARE(dumped(all["eval"]), dumped(Json::parse(R"({"epoch": [1]})"))); // rows stay
        QCOMPARE(dumped(Json::parse(out[1].toStdString())),
                 dumped(Json::parse(R"({"loss": [1.0, 0.9, 0.8, 0.55]})")));
    }

    // With no checkpoint at all, a resumed run starts over: every earlier point is superseded.
    void getMetricsWithoutACheckpointStartsOver() {
        writeFile(metricsFile, "{\"name\": \"loss\", \"value\": 1.0, \"step\": 0}\n"
                               "{\"name\": \"loss\", \"value\": 0.9, \"step\": 1}\n"
                               "{\"type\": \"attempt\", \"reason\": \"resume\"}\n");
        const Result r = run("import json, labbench\n"
                             "labbench.log('loss', 0.95, step=0)\n"
                             "print(json.dumps(labbench.get_metrics()))\n");
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(dumped(Json::parse(r.out.trimmed().toStdString())),
                 dumped(Json::parse(R"({"loss": 0.95})")));
    }

    void uploadFileStaysInOutputs() {
        const Result r = run("from azureml.core import Run\n"
                             "run = Run.get_context()\n"
                             "open('model.bin', 'wb').write(b'weights')\n"
                             "print(run.upload_file('model.pkl', 'model.bin'))\n"
                             "print(run.upload_file('outputs/deep/m.bin', 'model.bin'))\n"
                             "import io\n"
                             "print(run.upload_file('s.txt', io.BytesIO(b'stream')))\n"
                             "for bad in ['../x', '/tmp/abs', 'a/../../x', '', 'outputs/../../y']:\n"
                             "    try:\n"
                             "        run.upload_file(bad, 'model.bin')\n"
                             "        print('accepted', bad)\n"
                             "    except ValueError as e:\n"
                             "        print('refused')\n");
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QStringLiteral("outputs/model.pkl\noutputs/deep/m.bin\noutputs/s.txt\n"
                                       "refused\nrefused\nrefused\nrefused\nrefused\n"));
        const QString snap = runDir + QStringLiteral("/snapshot");
        QCOMPARE(readAll(snap + QStringLiteral("/outputs/model.pkl")), QByteArray("weights"));
        QCOMPARE(readAll(snap + QStringLiteral("/outputs/deep/m.bin")), QByteArray("weights"));
        QCOMPARE(readAll(snap + QStringLiteral("/outputs/s.txt")), QByteArray("stream"));
        QVERIFY(!QFileInfo::exists(runDir + QStringLiteral("/x")));
        QVERIFY(!QFileInfo::exists(runDir + QStringLiteral("/y")));
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("x"))));
    }

    void uploadRefusesALinkOutOfOutputs() {
        const QString snap = runDir + QStringLiteral("/snapshot");
        QVERIFY(QDir().mkpath(snap + QStringLiteral("/outputs")));
        QVERIFY(QFile::link(tmp.path(), snap + QStringLiteral("/outputs/escape")));
        const Result r = run("from azureml.core import Run\n"
                             "open('m.bin', 'wb').write(b'w')\n"
                             "try:\n"
                             "    Run.get_context().upload_file('escape/stolen', 'm.bin')\n"
                             "    print('accepted')\n"
                             "except ValueError:\n"
                             "    print('refused')\n");
        QCOMPARE(r.out.trimmed(), QStringLiteral("refused"));
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("stolen"))));
    }

    void concurrentWritersNeverInterleave() {
        QFETCH_GLOBAL(QString, python);
        // Long records (up to ~9 KB, beyond PIPE_BUF and stdio buffers) from 4 processes at once.
        const QByteArray script = "import sys, labbench\n"
                                  "w = int(sys.argv[1])\n"
                                  "for i in range(1500):\n"
                                  "    labbench.log('w%d_' % w + 'x' * (i * 37 % 9000), i)\n"
                                  "    labbench.log('w%d' % w, i)\n";
        QList<QProcess*> procs;
        for (int w = 0; w < 4; ++w)
            procs.append(start(python, script, {}, true, {QString::number(w)}));
        for (QProcess* p : procs)
            QCOMPARE(finish(p).exitCode, 0);
        const QByteArray data = readAll(metricsFile);
        QVERIFY(data.endsWith('\n'));
        int counts[4] = {0, 0, 0, 0};
        int next[4] = {0, 0, 0, 0};
        int lines = 0;
        for (const QByteArray& line : data.split('\n')) {
            if (line.isEmpty())
                continue;
            ++lines;
            const Json j = Json::parse(line.toStdString(), nullptr, false);
            QVERIFY2(!j.is_discarded(), line.left(200).constData());
            const std::string name = j["name"].get<std::string>();
            QVERIFY(name.size() >= 2 && name[0] == 'w');
            const int w = name[1] - '0';
            QVERIFY(w >= 0 && w < 4);
            ++counts[w];
            if (name.size() == 2) { // the short metric: in order, per writer
                QCOMPARE(j["value"].get<int>(), next[w]);
                QCOMPARE(j["step"].get<int>(), next[w]);
                ++next[w];
            }
        }
        QCOMPARE(lines, 4 * 3000);
        for (int w = 0; w < 4; ++w)
            QCOMPARE(counts[w], 3000);
    }

    void outsideLabbenchPrints() {
        const Result r = run("import labbench\nlabbench.log('loss', 0.5)\n"
                             "from azureml.core import Run\nRun.get_context().log('acc', 1)\n",
                             {}, /*inRun=*/false);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("loss = 0.5")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("acc = 1")), qPrintable(r.out));
        QVERIFY(!QFileInfo::exists(metricsFile));
    }

    // labbench.checkpoint_dir() (#20 item 1): LABBENCH_CHECKPOINT_DIR, made if missing; outside a
    // run ./checkpoints of the folder the script started in, whatever it chdir()s to later.
    void checkpointDirIsTheRunsCheckpoints() {
        const QString snap = runDir + QStringLiteral("/snapshot");
        const Result r = run("import os, labbench\n"
                             "d = labbench.checkpoint_dir()\n"
                             "print(d, os.path.isdir(d))\n"
                             "open(os.path.join(d, 'step1.pt'), 'wb').write(b'w')\n"
                             "from azureml.core import Run\n"
                             "print(Run.get_context().get_file_names())\n");
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, snap + QStringLiteral("/checkpoints True\n['checkpoints/step1.pt']\n"));
        QCOMPARE(readAll(snap + QStringLiteral("/checkpoints/step1.pt")), QByteArray("w"));

        const QString other =
            tmp.filePath(QStringLiteral("elsewhere-%1").arg(runDir.section(u'/', -1)));
        const Result moved = run("import os\n"
                                 "os.environ['LABBENCH_CHECKPOINT_DIR'] = " +
                                 ("'" + other + "'").toUtf8() +
                                 "\nimport labbench\nprint(labbench.checkpoint_dir())\n");
        QCOMPARE(moved.out.trimmed(), other);
        QVERIFY(QFileInfo(other).isDir());

        const Result outside = run("import os, labbench\nos.chdir('/')\n"
                                   "print(labbench.checkpoint_dir())\n",
                                   {}, /*inRun=*/false);
        QCOMPARE(outside.exitCode, 0);
        QCOMPARE(outside.out.trimmed(), snap + QStringLiteral("/checkpoints"));
    }

    void realSdkWinsOverTheStandIn() {
        // A fake installed SDK in a folder that comes after the helper on sys.path, as
        // site-packages does after PYTHONPATH.
        const QString site = runDir + QStringLiteral("/site-packages");
        writeFile(site + QStringLiteral("/azureml/__init__.py"),
                  "__path__ = __import__('pkgutil').extend_path(__path__, __name__)\n");
        writeFile(site + QStringLiteral("/azureml/core/__init__.py"),
                  "from .run import Run\nclass Workspace: pass\n");
        writeFile(site + QStringLiteral("/azureml/core/run.py"),
                  "class Run:\n    SDK = 'real'\n    @classmethod\n"
                  "    def get_context(cls):\n        return cls()\n");
        writeFile(site + QStringLiteral("/azureml/train/__init__.py"), "X = 1\n");
        const Result r = run("import azureml\n"
                             "from azureml.core.run import Run\n"
                             "from azureml.core import Run as Run2, Workspace\n"
                             "import azureml.train\n"
                             "print(azureml.REAL_SDK, Run.SDK, Run is Run2, azureml.train.X)\n"
                             "import azureml.core.run as m\n"
                             "print(m.__file__)\n",
                             site);
        QCOMPARE(r.exitCode, 0);
        const QStringList out = r.out.trimmed().split(u'\n');
        QCOMPARE(out.value(0), QStringLiteral("True real True 1"));
        QCOMPARE(QFileInfo(out.value(1)).canonicalFilePath(),
                 QFileInfo(site + QStringLiteral("/azureml/core/run.py")).canonicalFilePath());

        // Without azureml-core, other azureml.* packages stay importable beside the stand-in.
        QVERIFY(QDir(site + QStringLiteral("/azureml/core")).removeRecursively());
        const Result r2 = run("import azureml, azureml.train\n"
                              "from azureml.core import Run\n"
                              "print(azureml.REAL_SDK, azureml.train.X, hasattr(Run, 'SDK'))\n",
                              site);
        QCOMPARE(r2.out.trimmed(), QStringLiteral("False 1 False"));
    }
};

QTEST_GUILESS_MAIN(TestPythonHelper)
#include "tst_python_helper.moc"
