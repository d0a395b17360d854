// Runs end to end through the real labbench binary: submit, live logs, metrics, exit codes,
// cancel, max duration, queueing, a CLI killed mid-run, bad input, concurrent submits.

#include "tests/runs/RunTestSupport.h"

#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

using namespace lbtest;

class TestRunsCli : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    QString ws;
    int counter = 0;

    // A fresh source folder with `files` (name -> content).
    QString source(const QMap<QString, QByteArray>& files) {
        const QString dir = tmp.filePath(QStringLiteral("src%1").arg(++counter));
        for (auto it = files.begin(); it != files.end(); ++it)
            writeFile(dir + QLatin1Char('/') + it.key(), it.value());
        return dir;
    }

    lb::Json show(const QString& id) {
        const CliResult r = runCli(ws, {QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")});
        if (r.code != 0)
            qWarning() << r.err;
        return r.code == 0 ? r.json() : lb::Json::object();
    }

    QString status(const QString& id) { return QString::fromStdString(show(id).value("status", std::string())); }

    QStringList runFolders() {
        return QDir(ws + QStringLiteral("/runs")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp.isValid());
        ws = tmp.filePath(QStringLiteral("ws"));
        const CliResult r = runCli(tmp.path(), {QStringLiteral("workspace"), QStringLiteral("init"), ws});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    void argumentsReachTheScriptByteForByte() {
        const QString src = source({{QStringLiteral("train.py"),
                                     "import argparse, json, sys\n"
                                     "p = argparse.ArgumentParser()\n"
                                     "p.add_argument('--lr', type=float)\n"
                                     "p.add_argument('--name')\n"
                                     "p.add_argument('rest', nargs='*')\n"
                                     "a = p.parse_args()\n"
                                     "print('ARGV=' + json.dumps(sys.argv[1:]))\n"
                                     "print('lr=%s name=%s' % (a.lr, a.name))\n"}});
        const QStringList scriptArgs = {QStringLiteral("--lr"), QStringLiteral("0.01"), QStringLiteral("--name"),
                                        QStringLiteral("$(touch x); `id`"), QStringLiteral("--"),
                                        QStringLiteral("a b"), QStringLiteral("'q'"), QStringLiteral("\"dq\""),
                                        QStringLiteral("ünï *"), QString(), QStringLiteral("; rm -rf ~")};
        const CliResult r = runCli(ws, QStringList{QStringLiteral("submit"), QStringLiteral("--source"), src,
                                                   QStringLiteral("--entry"), QStringLiteral("train.py"),
                                                   QStringLiteral("--experiment"), QStringLiteral("args"),
                                                   QStringLiteral("--wait"), QStringLiteral("--")} +
                                           scriptArgs,
                                   60000, src);
        QVERIFY2(r.code == 0, r.err.constData());
        const QString id = r.firstLine();
        QVERIFY(id.startsWith(QLatin1String("args_")));
        const QString out = QString::fromUtf8(r.out);
        const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("ARGV=(.*)")).match(out);
        QVERIFY2(m.hasMatch(), r.out.constData());
        lb::Json expected = lb::Json::array();
        for (const QString& a : scriptArgs)
            expected.push_back(a.toStdString());
        QCOMPARE(QString::fromStdString(lb::Json::parse(m.captured(1).toStdString()).dump()),
                 QString::fromStdString(expected.dump()));
        QVERIFY(out.contains(QLatin1String("lr=0.01 name=$(touch x); `id`")));
        // Nothing ran a shell: no file "x" anywhere it could have landed.
        QVERIFY(!QFileInfo::exists(src + QStringLiteral("/x")));
        const lb::Json run = show(id);
        QCOMPARE(QString::fromStdString(run["status"]), QStringLiteral("Completed"));
        QVERIFY(!QFileInfo::exists(QString::fromStdString(run["run_dir"]) + QStringLiteral("/snapshot/x")));
        QCOMPARE(run["exit_code"].get<int>(), 0);
        QStringList states;
        for (const auto& h : run["history"])
            states.append(QString::fromStdString(h["status"]));
        QCOMPARE(states, (QStringList{QStringLiteral("Queued"), QStringLiteral("Preparing"), QStringLiteral("Running"),
                                      QStringLiteral("Finalizing"), QStringLiteral("Completed")}));
        QVERIFY(QFileInfo::exists(QString::fromStdString(run["run_dir"]) + QStringLiteral("/exit.json")));
        QVERIFY(QFileInfo::exists(QString::fromStdString(run["run_dir"]) + QStringLiteral("/run.json")));
    }

    void waitReturnsTheScriptsExitCode() {
        const QString src = source({{QStringLiteral("fail.py"),
                                     "import sys\nprint('about to fail')\nprint('bad things', file=sys.stderr)\nsys.exit(7)\n"}});
        const CliResult r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"),
                                        QStringLiteral("fail.py"), QStringLiteral("--wait")});
        QCOMPARE(r.code, 7);
        QVERIFY(r.out.contains("bad things"));
        const lb::Json run = show(r.firstLine());
        QCOMPARE(QString::fromStdString(run["status"]), QStringLiteral("Failed"));
        QCOMPARE(run["exit_code"].get<int>(), 7);
        const QString reason = QString::fromStdString(run["reason"]);
        QVERIFY2(reason.contains(QLatin1String("code 7")) && reason.contains(QLatin1String("bad things")),
                 qPrintable(reason));
        const CliResult w = runCli(ws, {QStringLiteral("wait"), r.firstLine()});
        QCOMPARE(w.code, 7);
    }

    void everyMetricArrivesInOrder() {
        // Written straight to LABBENCH_METRICS_FILE (the documented stream), with a bad line, a
        // tag, an image record and a final line without a newline.
        const QString src = source({{QStringLiteral("m.py"),
                                     "import json, os, time\n"
                                     "f = open(os.environ['LABBENCH_METRICS_FILE'], 'a')\n"
                                     "for i in range(3000):\n"
                                     "    f.write(json.dumps({'name': 'loss', 'value': 1.0 / (i + 1), 'step': i, 'time': time.time()}) + '\\n')\n"
                                     "    f.write(json.dumps({'name': 'acc', 'value': i * 0.5, 'step': i, 'time': time.time()}) + '\\n')\n"
                                     "    if i == 10:\n"
                                     "        f.write('this is not json\\n')\n"
                                     "        f.write(json.dumps({'type': 'tag', 'name': 'phase', 'value': 'warmup'}) + '\\n')\n"
                                     "        f.write(json.dumps({'type': 'image', 'name': 'img', 'path': 'x.png'}) + '\\n')\n"
                                     "        f.write(json.dumps({'name': 'odd \"name\"', 'value': float('nan')}) + '\\n')\n"
                                     "    f.flush()\n"
                                     "f.write(json.dumps({'name': 'final', 'value': 42}))\n"
                                     "f.close()\n"
                                     "os.makedirs('outputs/sub', exist_ok=True)\n"
                                     "open('outputs/sub/model.bin', 'wb').write(b'12345')\n"
                                     "print('done')\n"}});
        const CliResult r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"),
                                        QStringLiteral("m.py"), QStringLiteral("--wait")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString id = r.firstLine();
        QVERIFY2(r.out.contains("skipped line 23 of metrics.jsonl"), r.out.constData());
        const CliResult m = runCli(ws, {QStringLiteral("metrics"), id, QStringLiteral("--json")});
        QCOMPARE(m.code, 0);
        const lb::Json points = m.json();
        QCOMPARE(int(points.size()), 6002);
        QMap<QString, QList<lb::Json>> byName;
        for (const auto& p : points)
            byName[QString::fromStdString(p["name"])].append(p);
        QCOMPARE(byName[QStringLiteral("loss")].size(), 3000);
        QCOMPARE(byName[QStringLiteral("acc")].size(), 3000);
        for (int i = 0; i < 3000; ++i) {
            QCOMPARE(byName[QStringLiteral("loss")][i]["step"].get<int>(), i);
            QCOMPARE(byName[QStringLiteral("loss")][i]["value"].get<double>(), 1.0 / (i + 1));
            QCOMPARE(byName[QStringLiteral("acc")][i]["value"].get<double>(), i * 0.5);
        }
        QCOMPARE(byName[QStringLiteral("final")].first()["value"].get<double>(), 42.0);
        QCOMPARE(byName[QStringLiteral("odd \"name\"")].size(), 1);
        const lb::Json run = show(id);
        QCOMPARE(QString::fromStdString(run["tags"]["phase"]), QStringLiteral("warmup"));
        QCOMPARE(run["metric_points"].get<int>(), 6002);
        const CliResult files = runCli(ws, {QStringLiteral("files"), id, QStringLiteral("--json")});
        QCOMPARE(files.code, 0);
        QCOMPARE(QString::fromStdString(files.json()[0]["path"]), QStringLiteral("outputs/sub/model.bin"));
        QCOMPARE(files.json()[0]["size"].get<int>(), 5);
        const CliResult csv = runCli(ws, {QStringLiteral("metrics"), id, QStringLiteral("--csv")});
        QVERIFY(csv.out.startsWith("name,step,value,time\n"));
    }

    void azureMlScriptRunsUnmodified() {
        const QString src = source({{QStringLiteral("aml.py"),
                                     "from azureml.core.run import Run\n"
                                     "run = Run.get_context()\n"
                                     "for i in range(5):\n"
                                     "    run.log('accuracy', 0.5 + i / 10)\n"
                                     "run.log_list('losses', [3.0, 2.0, 1.0])\n"
                                     "run.tag('model', 'mlp')\n"
                                     "print('aml ok')\n"}});
        const CliResult r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"),
                                        QStringLiteral("aml.py"), QStringLiteral("--wait")});
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        const lb::Json points = runCli(ws, {QStringLiteral("metrics"), r.firstLine(), QStringLiteral("--json")}).json();
        QList<double> accuracy, losses;
        QList<int> lossSteps;
        for (const auto& p : points) {
            if (p["name"] == "accuracy")
                accuracy.append(p["value"].get<double>());
            if (p["name"] == "losses") {
                losses.append(p["value"].get<double>());
                lossSteps.append(p["step"].get<int>());
            }
        }
        QCOMPARE(accuracy.size(), 5);
        QCOMPARE(accuracy.last(), 0.9);
        QCOMPARE(losses, (QList<double>{3.0, 2.0, 1.0}));
        QCOMPARE(lossSteps, (QList<int>{0, 1, 2}));
    }

    void logsStreamLiveWhileTheRunGoes() {
        const QString gate = tmp.filePath(QStringLiteral("gate"));
        const QString src = source({{QStringLiteral("live.py"),
                                     "import os, sys, time\n"
                                     "print('first line', flush=True)\n"
                                     "while not os.path.exists(sys.argv[1]):\n"
                                     "    time.sleep(0.01)\n"
                                     "print('second line')\n"}});
        const CliResult r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"),
                                        QStringLiteral("live.py"), QStringLiteral("--"), gate});
        QCOMPARE(r.code, 0);
        const QString id = r.firstLine();
        QProcess follow;
        follow.start(labbenchBinary(), {QStringLiteral("--workspace"), ws, QStringLiteral("logs"), id, QStringLiteral("--follow")});
        QByteArray seen;
        QVERIFY(waitFor([&] { follow.waitForReadyRead(10); seen += follow.readAllStandardOutput(); return seen.contains("first line"); }, 10000));
        QVERIFY(!seen.contains("second line"));
        QCOMPARE(status(id), QStringLiteral("Running"));
        writeFile(gate, "go");
        QVERIFY(follow.waitForFinished(10000));
        seen += follow.readAllStandardOutput();
        QVERIFY(seen.contains("second line"));
        QCOMPARE(status(id), QStringLiteral("Completed"));
    }

    void killingTheFollowingCliLosesNothing() {
        const QString src = source({{QStringLiteral("long.py"),
                                     "import json, os, time\n"
                                     "f = open(os.environ['LABBENCH_METRICS_FILE'], 'a')\n"
                                     "for i in range(150):\n"
                                     "    print('line %d' % i)\n"
                                     "    f.write(json.dumps({'name': 'x', 'value': i, 'step': i}) + '\\n'); f.flush()\n"
                                     "    time.sleep(0.01)\n"}});
        QProcess cli;
        cli.start(labbenchBinary(), {QStringLiteral("--workspace"), ws, QStringLiteral("submit"), QStringLiteral("--source"), src,
                                     QStringLiteral("--entry"), QStringLiteral("long.py"), QStringLiteral("--wait")});
        QByteArray seen;
        QVERIFY(waitFor([&] { cli.waitForReadyRead(10); seen += cli.readAllStandardOutput(); return seen.contains("line 3"); }, 10000));
        ::kill(static_cast<pid_t>(cli.processId()), SIGKILL);
        cli.waitForFinished();
        const QString id = QString::fromUtf8(seen).section(QLatin1Char('\n'), 0, 0).trimmed();
        const CliResult w = runCli(ws, {QStringLiteral("wait"), id});
        QCOMPARE(w.code, 0);
        const lb::Json run = show(id);
        QCOMPARE(QString::fromStdString(run["status"]), QStringLiteral("Completed"));
        QCOMPARE(run["log_lines"].get<int>(), 150);
        QCOMPARE(run["metric_points"].get<int>(), 150);
        const CliResult logs = runCli(ws, {QStringLiteral("logs"), id});
        QVERIFY(logs.out.contains("line 0\n") && logs.out.contains("line 149\n"));
    }

    void cancelStopsTheScriptAndItsChildren() {
        const QString pidFile = tmp.filePath(QStringLiteral("child.pid"));
        const QString src = source({{QStringLiteral("sleepy.py"),
                                     "import subprocess, sys, time, signal\n"
                                     "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n" // must take SIGKILL
                                     "child = subprocess.Popen(['sleep', '1000'])\n"
                                     "open(sys.argv[1], 'w').write(str(child.pid))\n"
                                     "print('started', flush=True)\n"
                                     "time.sleep(1000)\n"}});
        const CliResult r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"),
                                        QStringLiteral("sleepy.py"), QStringLiteral("--"), pidFile});
        QCOMPARE(r.code, 0);
        const QString id = r.firstLine();
        QVERIFY(waitFor([&] { return !readFile(pidFile).isEmpty(); }, 10000));
        const pid_t child = readFile(pidFile).toInt();
        QVERIFY(child > 0 && ::kill(child, 0) == 0);
        QElapsedTimer t;
        t.start();
        const CliResult c = runCli(ws, {QStringLiteral("cancel"), id});
        QVERIFY2(c.code == 0, c.err.constData());
        QVERIFY(t.elapsed() < 10000);
        QCOMPARE(status(id), QStringLiteral("Canceled"));
        QVERIFY(waitFor([&] { return ::kill(child, 0) != 0; }, 2000));
    }

    void maxDurationStopsTheRun() {
        const QString src = source({{QStringLiteral("forever.py"), "import time\nprint('zzz', flush=True)\ntime.sleep(1000)\n"}});
        QElapsedTimer t;
        t.start();
        const CliResult r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"),
                                        QStringLiteral("forever.py"), QStringLiteral("--max-duration"), QStringLiteral("1"),
                                        QStringLiteral("--wait")});
        QVERIFY(r.code != 0);
        QVERIFY(t.elapsed() < 8000);
        const lb::Json run = show(r.firstLine());
        QCOMPARE(QString::fromStdString(run["status"]), QStringLiteral("Failed"));
        QVERIFY2(QString::fromStdString(run["reason"]).contains(QLatin1String("maximum duration of 1 s")),
                 run["reason"].dump().c_str());
    }

    void runsBeyondMaxConcurrentWaitInFifoOrder() {
        CliResult c = runCli(ws, {QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("local"),
                                  QStringLiteral("single"), QStringLiteral("--max-concurrent"), QStringLiteral("1")});
        QVERIFY2(c.code == 0, c.err.constData());
        const QString stamps = tmp.filePath(QStringLiteral("stamps"));
        const QString src = source({{QStringLiteral("q.py"),
                                     "import sys, time\n"
                                     "open(sys.argv[1], 'a').write('start %s %f\\n' % (sys.argv[2], time.time()))\n"
                                     "time.sleep(0.3)\n"
                                     "open(sys.argv[1], 'a').write('end %s %f\\n' % (sys.argv[2], time.time()))\n"}});
        QStringList ids;
        for (int i = 0; i < 3; ++i) {
            const CliResult r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"),
                                            QStringLiteral("q.py"), QStringLiteral("--compute"), QStringLiteral("single"),
                                            QStringLiteral("--"), stamps, QString::number(i)});
            QCOMPARE(r.code, 0);
            ids.append(r.firstLine());
        }
        QCOMPARE(status(ids[2]), QStringLiteral("Queued"));
        const lb::Json target = runCli(ws, {QStringLiteral("compute"), QStringLiteral("show"), QStringLiteral("single"),
                                            QStringLiteral("--json")}).json();
        QCOMPARE(target["config"]["max_concurrent_runs"].get<int>(), 1);
        // No CLI needs to stay alive: each supervisor starts the next run.
        for (const QString& id : ids)
            QCOMPARE(runCli(ws, {QStringLiteral("wait"), id}).code, 0);
        const QStringList lines = QString::fromUtf8(readFile(stamps)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 6);
        QStringList order;
        for (const QString& l : lines)
            order.append(l.section(QLatin1Char(' '), 0, 1));
        QCOMPARE(order, (QStringList{QStringLiteral("start 0"), QStringLiteral("end 0"), QStringLiteral("start 1"),
                                     QStringLiteral("end 1"), QStringLiteral("start 2"), QStringLiteral("end 2")}));
    }

    void badInputGivesClearErrorsAndWritesNothing() {
        const QStringList before = runFolders();
        const QString src = source({{QStringLiteral("ok.py"), "print('hi')\n"}});
        CliResult r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"),
                                  QStringLiteral("missing.py")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("entry_script") && r.err.contains("missing.py"), r.err.constData());
        QVERIFY(r.out.isEmpty());

        r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"),
                        QStringLiteral("ok.py"), QStringLiteral("--compute"), QStringLiteral("nowhere")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("no compute target 'nowhere'"), r.err.constData());

        const QString big = source({{QStringLiteral("ok.py"), "print('hi')\n"}});
        QFile huge(big + QStringLiteral("/weights.bin"));
        QVERIFY(huge.open(QIODevice::WriteOnly));
        QVERIFY(huge.resize(301LL * 1024 * 1024)); // sparse: instant, no disk used
        huge.close();
        r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), big, QStringLiteral("--entry"), QStringLiteral("ok.py")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("weights.bin"), r.err.constData());

        r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"),
                        QStringLiteral("ok.py"), QStringLiteral("--pip"), QStringLiteral("labbench-no-such-package-zzz9"),
                        QStringLiteral("--wait")});
        QCOMPARE(r.code, 1);
        const lb::Json pipRun = show(r.firstLine());
        QCOMPARE(QString::fromStdString(pipRun["status"]), QStringLiteral("Failed"));
        // Preparing fails with pip's own message (issue 4).
        QVERIFY(QString::fromStdString(pipRun["reason"]).contains(QLatin1String("No matching distribution found")));

        r = runCli(ws, {QStringLiteral("runs"), QStringLiteral("show"), QStringLiteral("no-such-run")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("no run 'no-such-run'"), r.err.constData());
        r = runCli(ws, {QStringLiteral("cancel"), QStringLiteral("no-such-run")});
        QCOMPARE(r.code, 1);

        // Only the pip run got a folder.
        QCOMPARE(runFolders().size(), before.size() + 1);

        // A run with outputs, then downloads that try to escape.
        const QString outSrc = source({{QStringLiteral("out.py"),
                                        "import os\nos.makedirs('outputs', exist_ok=True)\n"
                                        "open('outputs/a.txt', 'w').write('A')\n"
                                        "os.symlink('/etc/passwd', 'outputs/leak')\n"}});
        r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), outSrc, QStringLiteral("--entry"),
                        QStringLiteral("out.py"), QStringLiteral("--wait")});
        QCOMPARE(r.code, 0);
        const QString id = r.firstLine();
        const QString dest = tmp.filePath(QStringLiteral("dl"));
        for (const QString& prefix : {QStringLiteral("../"), QStringLiteral("outputs/../../x"), QStringLiteral("/etc")}) {
            r = runCli(ws, {QStringLiteral("download"), id, QStringLiteral("--to"), dest, QStringLiteral("--prefix"), prefix});
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.contains("'..'"), r.err.constData());
            QVERIFY(!QFileInfo::exists(dest));
        }
        r = runCli(ws, {QStringLiteral("download"), id, QStringLiteral("--to"), dest, QStringLiteral("--prefix"), QStringLiteral("outputs/")});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(readFile(dest + QStringLiteral("/outputs/a.txt")), QByteArray("A"));
        QVERIFY(!QFileInfo::exists(dest + QStringLiteral("/outputs/leak"))); // links are not followed
    }

    // #20's fault table: 20 submits at once into one store, each from its own process. Every
    // one gets its own run and number, runs to the end, and its script saw its own argument.
    void concurrentSubmitsAllRun() {
        constexpr int kSubmits = 20;
        const QString src = source({{QStringLiteral("c.py"), "import sys\nprint('run', sys.argv[1])\n"}});
        QList<QProcess*> procs;
        for (int i = 0; i < kSubmits; ++i) {
            auto* p = new QProcess(this);
            p->start(labbenchBinary(), {QStringLiteral("--workspace"), ws, QStringLiteral("submit"), QStringLiteral("--source"), src,
                                        QStringLiteral("--entry"), QStringLiteral("c.py"), QStringLiteral("--experiment"),
                                        QStringLiteral("burst"), QStringLiteral("--"), QString::number(i)});
            procs.append(p);
        }
        QSet<QString> ids;
        for (QProcess* p : procs) {
            QVERIFY(p->waitForFinished(90000));
            QCOMPARE(p->exitCode(), 0);
            ids.insert(QString::fromUtf8(p->readAllStandardOutput()).trimmed());
        }
        QCOMPARE(ids.size(), kSubmits);
        QSet<QString> printed;
        for (const QString& id : ids) {
            QCOMPARE(runCli(ws, {QStringLiteral("wait"), id}, 180000).code, 0);
            QCOMPARE(status(id), QStringLiteral("Completed"));
            const QString runDir = QString::fromStdString(show(id)["run_dir"]);
            printed.insert(
                QString::fromUtf8(readFile(runDir + QStringLiteral("/driver.log"))).trimmed());
        }
        QCOMPARE(printed.size(), kSubmits); // each script ran once, with its own argument
        for (int i = 0; i < kSubmits; ++i)
            QVERIFY2(printed.contains(QStringLiteral("run %1").arg(i)),
                     qPrintable(QStringList(printed.values()).join(QLatin1Char(','))));
        const lb::Json list = runCli(ws, {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--experiment"),
                                          QStringLiteral("burst"), QStringLiteral("--json")}).json();
        QCOMPARE(int(list.size()), kSubmits);
        QSet<int> numbers;
        for (const auto& run : list)
            numbers.insert(run["number"].get<int>());
        QCOMPARE(numbers.size(), kSubmits);
    }

    void aVanishedSupervisorNeverLeavesARunRunning() {
        const QString src = source({{QStringLiteral("s.py"), "import time\nprint('up', flush=True)\ntime.sleep(1000)\n"}});
        const CliResult r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"),
                                        QStringLiteral("s.py")});
        const QString id = r.firstLine();
        const QString runDir = QString::fromStdString(show(id)["run_dir"]);
        QVERIFY(waitFor([&] { return QFileInfo::exists(runDir + QStringLiteral("/process.json")); }, 10000));
        // Find the supervisor by its command line and kill it the hard way.
        pid_t supervisor = 0;
        for (const QString& pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
            const QByteArray cmd = readFile(QStringLiteral("/proc/%1/cmdline").arg(pid));
            if (cmd.contains("labbench-supervisor") && cmd.contains(id.toUtf8()))
                supervisor = pid.toInt();
        }
        QVERIFY(supervisor > 0);
        ::kill(supervisor, SIGKILL);
        const int script = lb::Json::parse(readFile(runDir + QStringLiteral("/process.json")).toStdString())["pid"].get<int>();
        QVERIFY(waitFor([&] { return status(id) == QLatin1String("Failed"); }, 10000));
        QVERIFY(QString::fromStdString(show(id)["reason"]).contains(QLatin1String("supervisor vanished")));
        QVERIFY(waitFor([&] { return ::kill(script, 0) != 0; }, 3000)); // its script was stopped too
    }

    void computeTargetsAreListedAndShown() {
        CliResult r = runCli(ws, {QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("local"),
                                  QStringLiteral("gpubox"), QStringLiteral("--gpus"), QStringLiteral("0,1")});
        QVERIFY2(r.code == 0, r.err.constData());
        const lb::Json list = runCli(ws, {QStringLiteral("compute"), QStringLiteral("list"), QStringLiteral("--json")}).json();
        QStringList names;
        for (const auto& t : list)
            names.append(QString::fromStdString(t["name"]));
        QVERIFY(names.contains(QStringLiteral("local")) && names.contains(QStringLiteral("gpubox")));
        const lb::Json gpubox = runCli(ws, {QStringLiteral("compute"), QStringLiteral("show"), QStringLiteral("gpubox"),
                                            QStringLiteral("--json")}).json();
        QCOMPARE(QString::fromStdString(gpubox["config"]["gpus"].dump()), QStringLiteral("[0,1]"));
        QCOMPARE(gpubox["config"]["max_concurrent_runs"].get<int>(), 2);
        r = runCli(ws, {QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("local"), QStringLiteral("bad"),
                        QStringLiteral("--gpus"), QStringLiteral("x")});
        QCOMPARE(r.code, 2);
        // A GPU run gets its own GPU in CUDA_VISIBLE_DEVICES.
        const QString src = source({{QStringLiteral("g.py"), "import os\nprint('CVD=' + os.environ['CUDA_VISIBLE_DEVICES'])\n"}});
        r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"), QStringLiteral("g.py"),
                        QStringLiteral("--compute"), QStringLiteral("gpubox"), QStringLiteral("--gpu"), QStringLiteral("--wait")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(r.out.contains("CVD=0\n"));
        r = runCli(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"), QStringLiteral("g.py"),
                        QStringLiteral("--gpu")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("has none"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestRunsCli)
#include "tst_runs_cli.moc"
