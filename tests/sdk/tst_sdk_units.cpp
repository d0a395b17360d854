// The pieces under `labbench sdk compute` (issue 24): the VM size table, the check of a size
// against what a target has, sinfo's node list, and compute_aliases in a real workspace's
// config.json (kept only when the check passed).
#include "core/sdk/AmlCompute.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/workspace/ComputeAliases.h"
#include "core/workspace/Workspace.h"
#include "core/workspace/WorkspaceConfig.h"

#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace lb;
using namespace lb::sdk;

namespace {

TargetCapacity capacity(const QList<NodeCapacity>& nodes, const QString& name = QStringLiteral("box")) {
    return {name, QStringLiteral("slurm"), nodes, QStringLiteral("sinfo")};
}

QString failure(const TargetCapacity& c, const SizeRequest& r) {
    try {
        checkVmSize(c, r, QStringLiteral("gpu-cluster"));
    } catch (const Error& e) {
        return e.message();
    }
    return {};
}

} // namespace

class TestSdkUnits : public QObject {
    Q_OBJECT

private slots:
    void tableHasTheSeriesAzureDocumentsName() { // #24
        const auto d2 = findVmSize(QStringLiteral("STANDARD_D2_V2"));
        QVERIFY(d2);
        QCOMPARE(d2->name, QStringLiteral("Standard_D2_v2"));
        QCOMPARE(d2->cores, 2);
        QCOMPARE(d2->memoryGiB, 7.0);
        QCOMPARE(d2->gpus, 0);
        const auto nc6 = findVmSize(QStringLiteral("standard_nc6"));
        QVERIFY(nc6);
        QCOMPARE(nc6->gpus, 1);
        QCOMPARE(nc6->gpuModel, QStringLiteral("K80"));
        for (const char* prefix : {"Standard_D", "Standard_E", "Standard_F", "Standard_NC", "Standard_ND", "Standard_NV"})
            QVERIFY2(knownVmSizeNames().filter(QRegularExpression(QStringLiteral("^%1\\d").arg(QLatin1String(prefix)))).size() >= 3,
                     prefix);
        QVERIFY(!findVmSize(QStringLiteral("Standard_D2_v9")));
    }

    void sizeThatFitsPassesAndCountsTheNodes() { // #24
        const TargetCapacity two = capacity({{QStringLiteral("n1"), 4, 9.7, 2}, {QStringLiteral("n2"), 4, 9.7, 2}});
        const SizeCheck c = checkVmSize(two, {QStringLiteral("STANDARD_D2_V2"), 2, 0}, QStringLiteral("gpu-cluster"));
        QCOMPARE(c.fittingNodes, 2);
        QCOMPARE(c.size.name, QStringLiteral("Standard_D2_v2"));
        // 90% of the size's memory is enough: what a machine reports is below what it has.
        QVERIFY(failure(capacity({{QStringLiteral("n"), 2, 6.4, 0}}), {QStringLiteral("Standard_D2_v2"), 1, 0}).isEmpty());
    }

    void sizeTheTargetCannotGiveNamesTheNumbersAndTheFix() { // #24
        const TargetCapacity small = capacity({{QStringLiteral("n1"), 2, 9.7, 2}});
        const QString cores = failure(small, {QStringLiteral("Standard_NC6"), 1, 0});
        QVERIFY2(cores.startsWith(QStringLiteral("Standard_NC6 needs 6 cores, 56 GiB and 1 GPU (K80) per node, but "
                                                 "compute target 'box' (sinfo) has at most 2 cores, 9.7 GiB and 2 GPUs "
                                                 "on a node")),
                 qPrintable(cores));
        QVERIFY(cores.contains(QStringLiteral("\"compute_aliases\": {\"gpu-cluster\": \"hpc\"}")));
        const QString gpus = failure(capacity({{QStringLiteral("n1"), 8, 64, 0}}), {QStringLiteral("Standard_NC6"), 1, 0});
        QVERIFY2(gpus.contains(QStringLiteral("8 cores, 64.0 GiB and no GPU")), qPrintable(gpus));
        const QString memory = failure(capacity({{QStringLiteral("n1"), 2, 4, 0}}), {QStringLiteral("Standard_E2_v3"), 1, 0});
        QVERIFY2(memory.contains(QStringLiteral("16 GiB")), qPrintable(memory));
        // Two nodes, only one with a GPU: max_nodes=2 of NC-sized nodes is one too many.
        const TargetCapacity mixed = capacity({{QStringLiteral("g"), 8, 128, 1}, {QStringLiteral("c"), 8, 128, 0}});
        const QString nodes = failure(mixed, {QStringLiteral("Standard_NC6"), 2, 0});
        QVERIFY2(nodes.startsWith(QStringLiteral("max_nodes=2 asks for 2 nodes of Standard_NC6, but compute target "
                                                 "'box' (sinfo) has 1 that can give it; use max_nodes=1")),
                 qPrintable(nodes));
        QVERIFY(failure(mixed, {QStringLiteral("Standard_D2_v2"), 2, 3}).contains(QStringLiteral("min_nodes")));
        QVERIFY(failure(mixed, {QStringLiteral("Standard_D2_v2"), 0, 0}).contains(QStringLiteral("max_nodes must be 1")));
    }

    void unknownSizeListsTheKnownOnes() { // #24
        const QString m = failure(capacity({{QStringLiteral("n"), 64, 512, 8}}), {QStringLiteral("Standard_Z99"), 1, 0});
        QVERIFY2(m.startsWith(QStringLiteral("'Standard_Z99' is not a VM size Labbench knows; use one of: Standard_D1, ")),
                 qPrintable(m));
        for (const QString& name : knownVmSizeNames())
            QVERIFY2(m.contains(name), qPrintable(name));
    }

    void sinfoNodesAndGres() { // #24
        QCOMPARE(gpusInGres(QStringLiteral("gpu:2")), 2);
        QCOMPARE(gpusInGres(QStringLiteral("gpu:tesla:4(S:0-1)")), 4);
        QCOMPARE(gpusInGres(QStringLiteral("gpu:1,mps:100")), 1);
        QCOMPARE(gpusInGres(QStringLiteral("(null)")), 0);
        // A node in two partitions is listed twice and counted once.
        const auto nodes = parseSinfoNodes("n1|2|10000|gpu:2\nn2|2|10000|gpu:2\nn1|2|10000|gpu:2\nbad line\n");
        QCOMPARE(nodes.size(), 2);
        QCOMPARE(nodes[0].name, QStringLiteral("n1"));
        QCOMPARE(nodes[0].cores, 2);
        QVERIFY(qAbs(nodes[0].memoryGiB - 10000 / 1024.0) < 1e-9);
        QCOMPARE(nodes[1].gpus, 2);
    }

    void aliasesAreCheckedWithTheConfigAndKeepTheOtherKeys() { // #24
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config.json"));
        WorkspaceConfig c = WorkspaceConfig::makeNew(QStringLiteral("w"));
        c.dataFolders = {QStringLiteral("/data/mnist")};
        c.save(path);
        QVERIFY(loadComputeAliases(path).isEmpty());
        saveComputeAlias(path, QStringLiteral("gpu-cluster"), QStringLiteral("hpc"));
        QCOMPARE(loadComputeAliases(path).value(QStringLiteral("gpu-cluster")), QStringLiteral("hpc"));
        const WorkspaceConfig back = WorkspaceConfig::load(path); // still a valid workspace config
        QCOMPARE(back.id, c.id);
        QCOMPARE(back.dataFolders, c.dataFolders);
        QByteArray bad = readWholeFile(path);
        bad.replace("\"hpc\"", "7");
        try {
            WorkspaceConfig::parse(bad, QStringLiteral("/ws/config.json"));
            QFAIL("a number as a target was accepted");
        } catch (const Error& e) {
            QVERIFY2(e.message().startsWith(QStringLiteral("/ws/config.json:")) &&
                         e.message().contains(QStringLiteral("entry \"gpu-cluster\" must name a Labbench compute target")),
                     qPrintable(e.message()));
        }
        bad.replace("{\n    \"gpu-cluster\": 7\n  }", "[]");
        QVERIFY2(bad.contains("\"compute_aliases\": []"), bad.constData());
        try {
            WorkspaceConfig::parse(bad, QStringLiteral("/ws/config.json"));
            QFAIL("a list of aliases was accepted");
        } catch (const Error& e) {
            QVERIFY2(e.message().contains(QStringLiteral("\"compute_aliases\" must be an object")), qPrintable(e.message()));
        }
    }

    // In a real workspace: a new name is bound to the default target (this machine) and kept in
    // config.json only after its size passed; an alias to a missing target is refused by name.
    void creationRecordsTheAliasOnlyWhenTheSizeFits() { // #24
        QTemporaryDir dir;
        Workspace ws = Workspace::create(dir.filePath(QStringLiteral("ws")), QStringLiteral("ws"));
        QVERIFY(!findAmlCompute(ws, QStringLiteral("cpu-cluster")));
        QVERIFY(findAmlCompute(ws, QStringLiteral("local"))); // a target is its own name
        try {
            createAmlCompute(ws, QStringLiteral("big-cluster"), {QStringLiteral("Standard_D64_v3"), 1, 0});
            QFAIL("a 64-core size fit this machine");
        } catch (const Error& e) {
            QVERIFY2(e.message().contains(QStringLiteral("compute target 'local' (this machine)")), qPrintable(e.message()));
        }
        QVERIFY(loadComputeAliases(ws.configPath()).isEmpty());
        const AmlComputeCreation made = createAmlCompute(ws, QStringLiteral("cpu-cluster"), {QStringLiteral("Standard_D1_v2"), 1, 0});
        QCOMPARE(made.binding.how, QStringLiteral("default"));
        QCOMPARE(made.check.capacity.nodes.value(0).cores, QThread::idealThreadCount());
        QCOMPARE(loadComputeAliases(ws.configPath()).value(QStringLiteral("cpu-cluster")), QStringLiteral("local"));
        QCOMPARE(WorkspaceConfig::load(ws.configPath()).id, ws.config().id); // the rest of config.json is kept
        Workspace again = Workspace::open(ws.root());
        QCOMPARE(findAmlCompute(again, QStringLiteral("cpu-cluster"))->how, QStringLiteral("alias"));
        saveComputeAlias(ws.configPath(), QStringLiteral("gpu-cluster"), QStringLiteral("hpc"));
        Workspace reopened = Workspace::open(ws.root());
        try {
            findAmlCompute(reopened, QStringLiteral("gpu-cluster"));
            QFAIL("an alias to a missing target was accepted");
        } catch (const Error& e) {
            QVERIFY2(e.message().contains(QStringLiteral("maps compute 'gpu-cluster' to 'hpc', which is not a compute "
                                                         "target of this workspace")),
                     qPrintable(e.message()));
        }
        try {
            findAmlCompute(reopened, QStringLiteral("no spaces"));
            QFAIL("a name with a space was accepted");
        } catch (const UsageError& e) {
            QVERIFY(e.message().contains(QStringLiteral("is not a compute name")));
        }
    }
};

QTEST_GUILESS_MAIN(TestSdkUnits)
#include "tst_sdk_units.moc"
