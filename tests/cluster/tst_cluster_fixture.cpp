// The test cluster itself works as the remote-compute tests assume: two Slurm nodes, GPUs as
// generic resources, MPI ranks across nodes through srun --mpi=pmix, and key-only SSH with
// strict host-key checking.
#include "tests/cluster/ClusterEnv.h"

#include <QTemporaryDir>
#include <QTest>

class ClusterFixture : public QObject {
    Q_OBJECT
    ClusterEnv env_;

private slots:
    void initTestCase() {
        env_ = ClusterEnv::load();
        QVERIFY2(env_.ok, "the cluster fixture (cluster_up) did not write its env.sh");
    }

    void twoIdleNodes() {
        const Ran r = runProgram(QStringLiteral("sinfo"), {QStringLiteral("-h"), QStringLiteral("-N"), QStringLiteral("-o"), QStringLiteral("%N %T")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("n1 idle") && r.out.contains("n2 idle"), r.out.constData());
    }

    void mpiRanksSpanBothNodes() {
        QTemporaryDir dir;
        const Ran r = runProgram(QStringLiteral("srun"),
                                 {QStringLiteral("-N2"), QStringLiteral("--ntasks-per-node=2"), QStringLiteral("--mpi=pmix"),
                                  QStringLiteral("--chdir=") + dir.path(), QStringLiteral("bash"), QStringLiteral("-c"),
                                  QStringLiteral("echo rank=$PMIX_RANK node=$SLURMD_NODENAME")});
        QCOMPARE(r.exitCode, 0);
        for (const char* expected : {"rank=0 node=n1", "rank=1 node=n1", "rank=2 node=n2", "rank=3 node=n2"})
            QVERIFY2(r.out.contains(expected), r.out.constData());
    }

    void gpusAreAllocatedAsGenericResources() {
        // --quiet: when the previous test's job still holds the node, srun says "queued and waiting
        // for resources" on the same merged output.
        const Ran two = runProgram(QStringLiteral("srun"), {QStringLiteral("--quiet"), QStringLiteral("-N1"), QStringLiteral("--gres=gpu:2"),
                                                            QStringLiteral("printenv"), QStringLiteral("CUDA_VISIBLE_DEVICES")});
        QCOMPARE(two.exitCode, 0);
        QCOMPARE(two.out.trimmed(), QByteArray("0,1"));
        const Ran three = runProgram(QStringLiteral("srun"), {QStringLiteral("-N1"), QStringLiteral("--gres=gpu:3"), QStringLiteral("true")});
        QVERIFY(three.exitCode != 0); // more than a node has is refused
    }

    void sshWithKeysAndStrictHostKeys() {
        const Ran r = runProgram(QStringLiteral("ssh"), env_.sshArgs() + QStringList{QStringLiteral("echo"), QStringLiteral("remote-ok")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("remote-ok"));
        // A wrong known_hosts entry must be refused under strict checking.
        QTemporaryDir dir;
        const QString bogus = dir.filePath(QStringLiteral("known_hosts"));
        QFile f(bogus);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[127.0.0.1]:" + env_.get("LABBENCH_SSH_PORT").toUtf8() +
                " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOrvYQ7eYdT5o9QqYx8tgq2Bq6sQ1k7d0bWk1i4U3G1x\n");
        f.close();
        QStringList args = env_.sshArgs();
        args[args.indexOf(QStringLiteral("UserKnownHostsFile=") + env_.get("LABBENCH_SSH_KNOWN_HOSTS"))] =
            QStringLiteral("UserKnownHostsFile=") + bogus;
        const Ran refused = runProgram(QStringLiteral("ssh"), args + QStringList{QStringLiteral("true")});
        QVERIFY(refused.exitCode != 0);
    }
};

QTEST_GUILESS_MAIN(ClusterFixture)
#include "tst_cluster_fixture.moc"
