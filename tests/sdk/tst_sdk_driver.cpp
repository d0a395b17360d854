// The Azure ML SDK v1 driver surface over Labbench (issue 24): the notebook code of Azure's
// documents, run with /usr/bin/python3 after eval "$(labbench sdk env)" in a project folder whose
// workspace is a fresh .labbench/, against the real labbench binary, supervisor and sweep driver.
// Each driver prints tagged lines; the checks read them and the workspace (through the CLI).
#include "tests/sdk/SdkTestSupport.h"

#include "core/estimator/Estimator.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

using namespace lbtest;

class TestSdkDriver : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString project_, ws_;

    lb::Json cliJson(const QStringList& args) {
        const CliResult r = runCli(ws_, args);
        return r.code == 0 ? r.json() : lb::Json();
    }

    lb::Json config() { return lb::Json::parse(readFile(ws_ + QStringLiteral("/config.json")).toStdString()); }

private slots:
    void initTestCase() {
        SdkProject made;
        const QString failed = makeSdkProject(tmp_,
                                              {QStringLiteral("train"), QStringLiteral("chainer_estimator.py"),
                                               QStringLiteral("failing_run.py"), QStringLiteral("compute_checks.py"),
                                               QStringLiteral("hyperdrive_sweep.py")},
                                              made);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        project_ = made.project;
        ws_ = made.workspace;
    }

    // eval "$(labbench sdk env)" puts the package first on PYTHONPATH and keeps what was there.
    void sdkEnvLinesLetPython3ImportTheSurface() { // #24
        const CliResult env = runCli(ws_, {QStringLiteral("sdk"), QStringLiteral("env")});
        QCOMPARE(env.code, 0);
        QVERIFY2(env.out.startsWith("export PYTHONPATH='"), env.out.constData());
        writeFile(project_ + QStringLiteral("/where.py"),
                  "import os, azureml.core, azureml\n"
                  "print(os.environ['PYTHONPATH'])\nprint(azureml.core.__file__)\nprint(azureml.REAL_SDK)\n");
        QProcess p;
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("PYTHONPATH"), QStringLiteral("/opt/elsewhere"));
        p.setProcessEnvironment(e);
        p.setWorkingDirectory(project_);
        p.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"),
                                            QStringLiteral("eval \"$(\"$0\" sdk env)\" && exec /usr/bin/python3 where.py"),
                                            labbenchBinary()});
        QVERIFY(p.waitForFinished(30000));
        const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).trimmed().split(u'\n');
        QCOMPARE(lines.size(), 3);
        const QString share = QDir::cleanPath(QStringLiteral(LABBENCH_BIN_DIR "/../share/labbench/python"));
        QCOMPARE(lines[0], share + QStringLiteral(":/opt/elsewhere"));
        QVERIFY2(lines[1].startsWith(share + QStringLiteral("/azureml/core/")), qPrintable(lines[1]));
        QCOMPARE(lines[2], QStringLiteral("False"));
    }

    // The "train with Chainer" notebook: workspace from config, datastore upload and mount,
    // cluster get-or-create, estimator with script_params, submit and wait with output, metrics,
    // files, download, register_model. Run twice: the second time the cluster exists.
    void chainerNotebookRunsUnmodified() { // #24
        QElapsedTimer clock;
        clock.start();
        const DriverResult r = runDriver(project_, QStringLiteral("chainer_estimator.py"));
        qInfo("chainer notebook, first run: %lld ms", clock.elapsed());
        QVERIFY2(r.code == 0, r.all().constData());
        const QByteArray& out = r.out;
        QVERIFY2(out.contains("Found the config file in: " + ws_.toUtf8() + "/config.json"), out.constData());
        // Datastore upload, with Azure's progress lines, into the default datastore's folder.
        QVERIFY2(out.contains("Uploading an estimated of 1 files") && out.contains("Uploaded 1 files"), out.constData());
        QCOMPARE(readFile(ws_ + QStringLiteral("/datastores/workspaceblobstore/numbers/values.txt")),
                 QByteArray("3 5 7 9\n"));
        // Cluster get-or-create: created on the local target, said in one line, recorded.
        QVERIFY(out.contains("Creating a new compute target..."));
        QVERIFY2(out.contains("Labbench: compute 'cpu-cluster' (Standard_D2_v2: 2 cores, 7 GiB, no GPU) runs on "
                              "compute target 'local' (local, this machine), the workspace's default"),
                 out.constData());
        QVERIFY(out.contains("AmlCompute wait for completion finished"));
        QCOMPARE(config()["compute_aliases"].dump(), std::string(R"({"cpu-cluster":"local"})"));
        // Submit and wait with output: the script's own lines streamed between Azure's headers.
        const QString id = QString::fromUtf8(r.tagged("SUBMITTED"));
        QVERIFY(!id.isEmpty());
        const qsizetype streaming = out.indexOf("Streaming driver.log"), summary = out.indexOf("Execution Summary");
        QVERIFY2(streaming > 0 && summary > streaming, out.constData());
        const QByteArray streamed = out.mid(streaming, summary - streaming);
        QVERIFY2(streamed.contains("data folder holds 4 numbers (verbose=True)"), streamed.constData());
        QVERIFY(streamed.contains("epoch 1 loss") && streamed.contains("epoch 2 loss"));
        QCOMPARE(r.tagged("STATUS"), QByteArray("Completed"));
        const lb::Json details = r.taggedJson("DETAILS");
        QCOMPARE(str(details, "runId"), id.toStdString());
        QCOMPARE(str(details, "target"), std::string("local"));
        // Metrics in Azure's shapes: a list, a scalar, a table, a text; no table columns loose.
        const lb::Json metrics = r.taggedJson("METRICS");
        QVERIFY2(metrics.is_object(), r.tagged("METRICS").constData());
        QVERIFY(metrics["loss"].is_array() && metrics["loss"].size() == 2);
        QVERIFY(metrics["final_w"].is_number());
        QCOMPARE(metrics["note"].get<std::string>(), std::string("trained on 4 numbers"));
        QCOMPARE(metrics["epochs"]["epoch"].dump(), std::string("[1,2]"));
        QCOMPARE(metrics["epochs"]["loss"], metrics["loss"]);
        QVERIFY(!metrics.contains("epochs.epoch") && !metrics.contains("epochs.loss"));
        QCOMPARE(r.taggedJson("ONE_METRIC")["final_w"], metrics["final_w"]);
        // Files, download, and names outside the run's files refused.
        const lb::Json files = r.taggedJson("FILES");
        QVERIFY2(files.is_array() && std::find(files.begin(), files.end(), lb::Json("outputs/model.txt")) != files.end(),
                 r.tagged("FILES").constData());
        const QByteArray model = readFile(ws_ + QStringLiteral("/runs/") + id + QStringLiteral("/snapshot/outputs/model.txt"));
        QVERIFY(!model.isEmpty());
        QCOMPARE(readFile(project_ + QStringLiteral("/downloaded/model.txt")), model);
        QCOMPARE(out.count("REFUSED "), 4);
        QVERIFY(!out.contains("DOWNLOADED"));
        QVERIFY2(r.tagged("REFUSED").contains("was not found") && r.tagged("REFUSED").contains("../config.json"),
                 r.tagged("REFUSED").constData());
        QVERIFY(!QFileInfo::exists(project_ + QStringLiteral("/downloaded/stolen")));
        QCOMPARE(r.tagged("MODEL"), QByteArray(R"(chainer-mnist 1 chainer-mnist:1 {"framework": "chainer"})"));
        QCOMPARE(r.tagged("LATEST"), QByteArray("chainer-mnist:1"));

        // An ordinary Labbench run: listed, and its estimator is the one the workbench's form shows.
        const lb::Json run = cliJson({QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")});
        QCOMPARE(str(run, "experiment"), std::string("chainer-mnist"));
        QCOMPARE(str(run, "status"), std::string("Completed"));
        const lb::Estimator est = lb::Estimator::fromJson(run["estimator"], QStringLiteral("run"));
        QCOMPARE(est.framework, QStringLiteral("chainer"));
        QCOMPARE(est.entryScript, QStringLiteral("train.py"));
        QCOMPARE(est.computeTarget, QStringLiteral("local"));
        QCOMPARE(est.sourceDirectory, QFileInfo(project_ + QStringLiteral("/train")).absoluteFilePath());
        QCOMPARE(est.scriptParams, (QStringList{QStringLiteral("--data-folder"),
                                                QStringLiteral("datastore://workspaceblobstore/numbers"),
                                                QStringLiteral("--epochs"), QStringLiteral("2"), QStringLiteral("--lr"),
                                                QStringLiteral("0.5"), QStringLiteral("--verbose")}));
        const lb::Json models = cliJson({QStringLiteral("models"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(models.size(), size_t(1));
        QCOMPARE(str(models[0], "run_id"), id.toStdString());

        // Again: the cluster is found, nothing is recreated, the model gets version 2.
        clock.restart();
        const DriverResult again = runDriver(project_, QStringLiteral("chainer_estimator.py"));
        qInfo("chainer notebook, second run: %lld ms", clock.elapsed());
        QVERIFY2(again.code == 0, again.all().constData());
        QVERIFY(again.out.contains("Found existing compute target"));
        QVERIFY(!again.out.contains("Creating a new compute target"));
        QVERIFY(again.tagged("MODEL").startsWith("chainer-mnist 2 chainer-mnist:2"));
        QCOMPARE(config()["compute_aliases"].dump(), std::string(R"({"cpu-cluster":"local"})"));
    }

    // A failing script: wait_for_completion(show_output=True) streams, then raises like Azure.
    void failedRunRaisesActivityFailed() { // #24
        const DriverResult r = runDriver(project_, QStringLiteral("failing_run.py"));
        QVERIFY2(r.code == 0, r.all().constData());
        QVERIFY2(r.out.contains("about to fail") && r.out.contains("RuntimeError: the data is not there"),
                 r.out.constData());
        QVERIFY(!r.out.contains("NOT RAISED"));
        const QByteArray raised = r.taggedJson("RAISED").get<std::string>().c_str();
        QVERIFY2(raised.startsWith("Activity Failed:\n{") && raised.contains("\"code\": \"UserError\""),
                 raised.constData());
        QVERIFY(r.tagged("STATUS").startsWith("Failed {\"error\": {\"code\": \"UserError\", \"message\": \""));
    }

    // What the compute mapping refuses, and the one size that fits.
    void computeMappingRefusesWhatTheTargetCannotGive() { // #24
        lb::Json c = config();
        c["compute_aliases"]["dangling"] = "nowhere";
        writeFile(ws_ + QStringLiteral("/config.json"), QByteArray::fromStdString(c.dump(2)));
        const DriverResult r = runDriver(project_, QStringLiteral("compute_checks.py"), 60000);
        QVERIFY2(r.code == 0, r.all().constData());
        const auto line = [&](const char* tag) { return QString::fromUtf8(r.tagged(tag)); };
        QVERIFY2(line("NC6").startsWith(QStringLiteral("ComputeTargetException Standard_NC6 needs 6 cores, 56 GiB and "
                                                        "1 GPU (K80) per node, but compute target 'local' (this "
                                                        "machine) has at most")),
                 qPrintable(line("NC6")));
        QVERIFY(line("NC6").contains(QStringLiteral("compute_aliases")));
        QVERIFY2(line("BOGUS").contains(QStringLiteral("'STANDARD_BOGUS_V9' is not a VM size Labbench knows; use one of: ")) &&
                     line("BOGUS").contains(QStringLiteral("Standard_D2_v2")) &&
                     line("BOGUS").contains(QStringLiteral("Standard_NC6")) &&
                     line("BOGUS").contains(QStringLiteral("Standard_E2_v3")) &&
                     line("BOGUS").contains(QStringLiteral("Standard_F2s_v2")) &&
                     line("BOGUS").contains(QStringLiteral("Standard_ND6s")) &&
                     line("BOGUS").contains(QStringLiteral("Standard_NV6")),
                 qPrintable(line("BOGUS")));
        QVERIFY2(line("NODES").contains(QStringLiteral("max_nodes=4 asks for 4 nodes of Standard_D2_v2, but compute "
                                                       "target 'local' (this machine) has 1")),
                 qPrintable(line("NODES")));
        QVERIFY2(line("DEFAULT_NODES").contains(QStringLiteral("max_nodes=4")), qPrintable(line("DEFAULT_NODES")));
        QVERIFY2(line("VNET").startsWith(QStringLiteral("NotImplementedError")) && line("VNET").contains(QStringLiteral("vnet_name")),
                 qPrintable(line("VNET")));
        QVERIFY2(line("SHM").contains(QStringLiteral("NotImplementedError Chainer: the argument shm_size='2g'")),
                 qPrintable(line("SHM")));
        QVERIFY2(line("INPUTS").contains(QStringLiteral("the argument inputs=")), qPrintable(line("INPUTS")));
        QVERIFY2(line("VM_ON_EST").contains(QStringLiteral("TensorFlow: the argument vm_size=")), qPrintable(line("VM_ON_EST")));
        // Nothing was recorded by the refused creations.
        QVERIFY2(line("MISSING").contains(QStringLiteral("ComputeTargetNotFound: Compute Target with name gpu-cluster")),
                 qPrintable(line("MISSING")));
        QVERIFY2(line("DANGLING").contains(QStringLiteral("maps compute 'dangling' to 'nowhere'")), qPrintable(line("DANGLING")));
        QCOMPARE(line("FITS"), QStringLiteral("ACCEPTED"));
        const lb::Json aliases = config()["compute_aliases"];
        QCOMPARE(aliases.value("small-cluster", std::string()), std::string("local"));
        QVERIFY(!aliases.contains("gpu-cluster"));
    }

    // HyperDrive: a grid over --lr with a Bandit policy; the poor children are stopped early and
    // the best run is the one with lr 0.5.
    void hyperDriveSweepWithBanditPolicyFindsTheBestRun() { // #24
        QElapsedTimer clock;
        clock.start();
        const DriverResult r = runDriver(project_, QStringLiteral("hyperdrive_sweep.py"));
        qInfo("HyperDrive sweep of 3 children: %lld ms", clock.elapsed());
        QVERIFY2(r.code == 0, r.all().constData());
        QCOMPARE(r.tagged("SWEEP_STATUS"), QByteArray("Completed"));
        QCOMPARE(r.taggedJson("BEST_PARAMS").dump(), std::string(R"({"--lr":0.5})"));
        const QByteArray best = r.tagged("BEST");
        const QString bestId = QString::fromUtf8(best.left(best.indexOf(' ')));
        QCOMPARE(lb::Json::parse(best.mid(best.indexOf(' ') + 1).toStdString())["accuracy"].dump(),
                 std::string("[1.0,1.0,1.0]"));
        const lb::Json children = r.taggedJson("CHILDREN");
        QCOMPARE(children.size(), size_t(3));
        for (auto it = children.begin(); it != children.end(); ++it)
            QCOMPARE(it.value().get<std::string>(),
                     std::string(it.key() == bestId.toStdString() ? "Completed" : "Canceled"));
        QCOMPARE(r.taggedJson("SORTED")[0].get<std::string>(), bestId.toStdString());
        // The Bandit policy stopped them, and says so in the sweep.
        const QString sweepId = QString::fromUtf8(r.tagged("SWEEP"));
        const lb::Json sweep = cliJson({QStringLiteral("sweep"), QStringLiteral("show"), sweepId, QStringLiteral("--json")});
        QCOMPARE(str(sweep, "best"), bestId.toStdString());
        QCOMPARE(str(sweep["early_termination"], "policy"), std::string("bandit"));
        for (const lb::Json& child : sweep["children"])
            if (str(child, "id") != bestId.toStdString())
                QVERIFY2(QString::fromStdString(str(child, "reason")).contains(QStringLiteral("bandit"), Qt::CaseInsensitive),
                         child.dump().c_str());
    }
};

QTEST_GUILESS_MAIN(TestSdkDriver)
#include "tst_sdk_driver.moc"
