// A TensorFlow parameter-server estimator on the cluster fixture's Slurm target (issue 24),
// submitted from a driver script through the SDK surface: "compute_aliases": {"gpu-cluster":
// "hpc"} in config.json maps the Azure name, the VM size is checked against Slurm's nodes (two
// of nproc cores, 10000 MB and 2 GPUs each), and every task sees the TF_CONFIG of a 2-worker,
// 1-parameter-server job. Run only under flock /tmp/labbench-cluster.lock ctest -L cluster.
#include "tests/cluster/ClusterEnv.h"
#include "tests/sdk/SdkTestSupport.h"

#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace lbtest;

class TestSdkCluster : public QObject {
    Q_OBJECT
    ClusterEnv env_;
    QTemporaryDir tmp_;
    QString project_, ws_;

private slots:
    void initTestCase() {
        env_ = ClusterEnv::load();
        QVERIFY2(env_.ok, "the cluster fixture's env.sh is missing (run through ctest, fixture 'cluster')");
        project_ = tmp_.filePath(QStringLiteral("project"));
        ws_ = project_ + QStringLiteral("/.labbench");
        QCOMPARE(runCli(ws_, {QStringLiteral("workspace"), QStringLiteral("init"), ws_}).code, 0);
        const CliResult slurm = runCli(
            ws_, {QStringLiteral("compute"), QStringLiteral("create"), QStringLiteral("slurm"), QStringLiteral("hpc"),
                  QStringLiteral("--host"), env_.get("LABBENCH_SSH_HOST"), QStringLiteral("--port"),
                  env_.get("LABBENCH_SSH_PORT"), QStringLiteral("--user"), env_.get("LABBENCH_SSH_USER"),
                  QStringLiteral("--identity"), env_.get("LABBENCH_SSH_KEY"), QStringLiteral("--known-hosts"),
                  env_.get("LABBENCH_SSH_KNOWN_HOSTS"), QStringLiteral("--partition"),
                  env_.get("LABBENCH_SLURM_PARTITION"), QStringLiteral("--remote-dir"), tmp_.filePath(QStringLiteral("remote"))});
        QVERIFY2(slurm.code == 0, slurm.err.constData());
        lb::Json config = lb::Json::parse(readFile(ws_ + QStringLiteral("/config.json")).toStdString());
        config["compute_aliases"] = {{"gpu-cluster", "hpc"}};
        writeFile(ws_ + QStringLiteral("/config.json"), QByteArray::fromStdString(config.dump(2)));
        copyDriverFile(QStringLiteral("tf"), project_);
        copyDriverFile(QStringLiteral("tensorflow_ps.py"), project_);
    }

    void tensorFlowParameterServerEstimatorGetsTfConfig() { // #24
        const DriverResult r = runDriver(project_, QStringLiteral("tensorflow_ps.py"), 240000);
        QVERIFY2(r.code == 0, r.all().constData());
        // Sizes Slurm's nodes cannot give, and more nodes than the partition has, are refused.
        QVERIFY(!r.out.contains("TOO_BIG_ACCEPTED"));
        const QByteArray nc6 = r.tagged("REFUSED");
        QVERIFY2(nc6.startsWith("STANDARD_NC6 2 | Standard_NC6 needs 6 cores") && nc6.contains("compute target 'hpc'"),
                 nc6.constData());
        QVERIFY2(r.out.contains("REFUSED STANDARD_D2_V2 3 | max_nodes=3 asks for 3 nodes of Standard_D2_v2, but "
                                "compute target 'hpc'"),
                 r.out.constData());
        QVERIFY2(r.out.contains("Labbench: compute 'gpu-cluster' (Standard_D2_v2: 2 cores, 7 GiB, no GPU) runs on "
                                "compute target 'hpc' (slurm, sinfo -p debug on"),
                 r.out.constData());
        QCOMPARE(r.tagged("FOUND"), QByteArray("gpu-cluster"));
        QCOMPARE(r.tagged("STATUS"), QByteArray("Completed"));
        QCOMPARE(r.taggedJson("DETAILS").dump(), std::string(R"({"status":"Completed","target":"hpc"})"));
        // Every task printed the TF_CONFIG of the job, streamed by wait_for_completion.
        QSet<QString> tasks;
        for (const QByteArray& line : r.out.split('\n')) {
            const qsizetype at = line.indexOf("TF_CONFIG=");
            if (at < 0)
                continue;
            const lb::Json tf = lb::Json::parse(line.mid(at + 10).toStdString(), nullptr, false);
            QVERIFY2(tf.is_object(), line.constData());
            QCOMPARE(tf["cluster"]["worker"].size(), size_t(2));
            QCOMPARE(tf["cluster"]["ps"].size(), size_t(1));
            tasks.insert(QString::fromStdString(tf["task"]["type"].get<std::string>()) +
                         QString::number(tf["task"]["index"].get<int>()));
        }
        QCOMPARE(tasks, (QSet<QString>{QStringLiteral("worker0"), QStringLiteral("worker1"), QStringLiteral("ps0")}));
        // The run is an ordinary Slurm run of the workspace, two nodes, with the TensorFlow preset.
        const lb::Json run = runCli(ws_, {QStringLiteral("runs"), QStringLiteral("show"),
                                         QString::fromUtf8(r.tagged("SUBMITTED")), QStringLiteral("--json")}).json();
        QCOMPARE(run["estimator"]["framework"].get<std::string>(), std::string("tensorflow"));
        QCOMPARE(run["estimator"]["distributed_backend"].get<std::string>(), std::string("parameter_server"));
        QCOMPARE(run["estimator"]["node_count"].get<int>(), 2);
    }
};

QTEST_GUILESS_MAIN(TestSdkCluster)
#include "tst_sdk_cluster.moc"
