// Issue 25 item 2: every record the store holds is also written to a file in the workspace (the
// mirror that `workspace repair` rebuilds from), after its change commits and never before; the
// readers accept the run.json of earlier versions and name the file and field they cannot read.

#include "core/store/Database.h"
#include "core/store/Store.h"
#include "core/util/Error.h"
#include "core/util/Json.h"
#include "core/workspace/StoreCheck.h"
#include "core/workspace/Workspace.h"
#include "core/workspace/mirror/ComputeTargetFile.h"
#include "core/workspace/mirror/ModelVersionFile.h"
#include "core/workspace/mirror/RunJson.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace lb;

namespace {

void writeFile(const QString& path, const QByteArray& data) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
}

Json readJson(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return Json();
    return Json::parse(f.readAll().toStdString(), nullptr, false);
}

} // namespace

class TestStoreMirror : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    int counter = 0;

    Workspace freshWorkspace() {
        return Workspace::create(tmp.filePath(QStringLiteral("ws%1").arg(++counter)),
                                 QStringLiteral("mirror"));
    }

    static RunRecord newRun(Workspace& ws, const QString& id, const QString& parent = {}) {
        RunRecord r;
        r.id = id;
        r.experiment = QStringLiteral("exp");
        r.computeTarget = QStringLiteral("local");
        r.runDir = ws.runsDir() + QLatin1Char('/') + id;
        r.parentId = parent;
        r.estimatorJson =
            QStringLiteral(R"({"entry_script": "train.py", "tags": {"team": "vision"}})");
        QDir().mkpath(r.runDir);
        return ws.store().runs().create(r);
    }

private slots:
    // #25: each change to a run rewrites its run.json with what the store now says, tags and
    // parent included.
    void runJsonFollowsEveryChangeOfTheRun() {
        Workspace ws = freshWorkspace();
        const RunRecord parent = newRun(ws, QStringLiteral("p1"));
        const RunRecord child = newRun(ws, QStringLiteral("c1"), parent.id);
        auto runs = ws.store().runs();
        const QString path = child.runDir + QStringLiteral("/run.json");
        QVERIFY(readJson(path)["status"] == "Queued");
        QVERIFY(readJson(path)["parent_id"] == "p1");

        runs.transition(child.id, RunStatus::Preparing);
        runs.transition(child.id, RunStatus::Running);
        QVERIFY(readJson(path)["status"] == "Running");
        QVERIFY(readJson(path)["started"].is_string());
        runs.setTag(child.id, QStringLiteral("labbench.sweep.stopped"), QStringLiteral("bandit"));
        QVERIFY(readJson(path)["tags"]["labbench.sweep.stopped"] == "bandit");
        runs.transition(child.id, RunStatus::Canceled, QStringLiteral("policy"));
        runs.setReason(child.id, QStringLiteral("Stopped early: worse than the best."));
        runs.setExitCode(child.id, 137);
        Json j = readJson(path);
        QVERIFY(j["status"] == "Canceled");
        QVERIFY(j["reason"] == "Stopped early: worse than the best.");
        QVERIFY(j["exit_code"] == 137);
        QVERIFY(j["history"].size() == size_t(4));
        QVERIFY(j["history"][3]["reason"] == "Stopped early: worse than the best.");
        runs.setParent(child.id, QStringLiteral("p2"));
        QVERIFY(readJson(path)["parent_id"] == "p2");

        // What was written reads back as the store has it.
        const RunJsonRecord back = readRunJson(path);
        const RunRecord stored = *runs.find(child.id);
        QCOMPARE(toString(back.run.status), toString(stored.status));
        QCOMPARE(back.run.started, stored.started);
        QCOMPARE(back.run.ended, stored.ended);
        QCOMPARE(back.run.number, stored.number);
        // The same estimator (`runs show` prints it parsed; submit stores it compact anyway).
        QVERIFY(Json::parse(back.run.estimatorJson.toStdString()) ==
                Json::parse(stored.estimatorJson.toStdString()));
        QCOMPARE(back.tags, runs.tags(child.id));
        QCOMPARE(back.history.size(), runs.history(child.id).size());
        QVERIFY(readJson(ws.root() +
                         QStringLiteral("/experiments.json"))["experiments"][0]["name"] == "exp");
    }

    // #25: inside a transaction the mirror waits for the commit; a rollback writes nothing.
    void mirrorWaitsForTheCommitAndSkipsARollback() {
        Workspace ws = freshWorkspace();
        const QString file = ws.root() + QStringLiteral("/compute-targets/box.json");
        {
            Transaction tx(ws.store().database());
            ws.store().computeTargets().add({QStringLiteral("box"),
                                             QStringLiteral("ssh"),
                                             QStringLiteral("{\"host\": \"h\"}"),
                                             {}});
            QVERIFY2(!QFileInfo::exists(file), "written before the commit");
        } // rolled back
        QVERIFY(!QFileInfo::exists(file));
        {
            Transaction tx(ws.store().database());
            ws.store().computeTargets().add({QStringLiteral("box"),
                                             QStringLiteral("ssh"),
                                             QStringLiteral("{\"host\": \"h\"}"),
                                             {}});
            tx.commit();
        }
        QVERIFY(readJson(file)["config"]["host"] == "h");
        const ComputeTargetRecord back = readComputeTargetFile(file);
        QCOMPARE(back.kind, QStringLiteral("ssh"));
        QCOMPARE(back.config, QStringLiteral("{\"host\":\"h\"}"));
        ws.store().computeTargets().remove(QStringLiteral("box"));
        QVERIFY(!QFileInfo::exists(file));
    }

    // #25: a model version's file sits beside its folder and follows tags and removal.
    void modelVersionFileFollowsTagsAndRemoval() {
        Workspace ws = freshWorkspace();
        ModelVersion m;
        m.name = QStringLiteral("digits");
        m.version = 1;
        m.runId = QStringLiteral("r1");
        m.path = ws.modelsDir() + QStringLiteral("/digits/1/model.npz");
        m.sourcePath = QStringLiteral("outputs/model.npz");
        m.size = 12;
        m.created = QDateTime::currentDateTimeUtc();
        m.properties.insert(QStringLiteral("acc"), QStringLiteral("0.9"));
        writeFile(m.path, "twelve bytes");
        ws.store().models().add(m);
        const QString file = modelVersionFilePath(ws.root(), m.name, 1);
        QVERIFY(readJson(file)["file"] == "model.npz");
        ws.store().models().setLabel(m.name, 1, QStringLiteral("tag"), QStringLiteral("stage"),
                                     QStringLiteral("prod"));
        const ModelVersion back = readModelVersionFile(file);
        QCOMPARE(back.path, m.path);
        QCOMPARE(back.tags.value(QStringLiteral("stage")), QStringLiteral("prod"));
        QCOMPARE(back.properties, m.properties);
        QCOMPARE(back.runId, m.runId);
        ws.store().models().remove(m.name, 1);
        QVERIFY(!QFileInfo::exists(file));
    }

    // #25: a run.json from before this change (no tags, times, devices or parent) still reads:
    // times from the history, tags from the estimator.
    void runJsonOfEarlierVersionsReads() {
        const QString path = tmp.filePath(QStringLiteral("old/r9/run.json"));
        writeFile(path, R"({"id": "r9", "experiment": "e", "number": 4, "compute_target": "local",
            "status": "Completed", "created": "2026-01-02T03:04:05.000Z", "exit_code": 0, "reason": "",
            "estimator": {"entry_script": "t.py", "tags": {"team": "nlp"}},
            "history": [{"status": "Queued", "time": "2026-01-02T03:04:05.000Z", "reason": ""},
                        {"status": "Preparing", "time": "2026-01-02T03:04:06.000Z", "reason": ""},
                        {"status": "Running", "time": "2026-01-02T03:04:07.000Z", "reason": ""},
                        {"status": "Finalizing", "time": "2026-01-02T03:04:09.000Z", "reason": ""},
                        {"status": "Completed", "time": "2026-01-02T03:04:10.500Z", "reason": ""}]})");
        const RunJsonRecord r = readRunJson(path);
        QCOMPARE(r.run.number, 4);
        QCOMPARE(toString(r.run.status), QStringLiteral("Completed"));
        QCOMPARE(r.run.started, QDateTime::fromString(QStringLiteral("2026-01-02T03:04:07.000Z"),
                                                      Qt::ISODateWithMs));
        QCOMPARE(r.run.ended, QDateTime::fromString(QStringLiteral("2026-01-02T03:04:10.500Z"),
                                                    Qt::ISODateWithMs));
        QCOMPARE(r.tags.value(QStringLiteral("team")), QStringLiteral("nlp"));
        QCOMPARE(r.run.runDir, QFileInfo(path).absolutePath());
        QVERIFY(r.run.parentId.isEmpty());
    }

    // #19 item 4: a preempted, requeued run's run.json reads back (repair) as the store had it:
    // Preempted is a state like the others there, and not an end.
    void preemptedRunJsonReadsBack() {
        const QString path = tmp.filePath(QStringLiteral("old/r10/run.json"));
        writeFile(path, R"({"id": "r10", "experiment": "e", "number": 5, "compute_target": "hpc",
            "status": "Preempted", "created": "2026-01-02T03:04:05.000Z", "exit_code": null,
            "reason": "Preempted by Slurm (job 7 on n1, REQUEUED): it waits to be queued again.",
            "estimator": {"entry_script": "t.py", "slurm_time": "1:00:00"},
            "history": [{"status": "Queued", "time": "2026-01-02T03:04:05.000Z", "reason": ""},
                        {"status": "Running", "time": "2026-01-02T03:04:07.000Z", "reason": ""},
                        {"status": "Preempted", "time": "2026-01-02T03:04:09.000Z", "reason": "Preempted by Slurm"}]})");
        const RunJsonRecord r = readRunJson(path);
        QCOMPARE(toString(r.run.status), QStringLiteral("Preempted"));
        QVERIFY(!r.run.ended.isValid());
        QCOMPARE(r.history.size(), 3);
        QCOMPARE(toString(r.history.last().status), QStringLiteral("Preempted"));
    }

    // #25: an unreadable record names its file and field, in one sentence.
    void badRecordFilesNameFileAndField() {
        const QString path = tmp.filePath(QStringLiteral("bad/r1/run.json"));
        writeFile(
            path,
            R"({"id": "r1", "experiment": "e", "compute_target": "local", "created": "yesterday"})");
        try {
            readRunJson(path);
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(e.message().startsWith(
                         path + QStringLiteral(": the field 'created' is not an ISO 8601 time")),
                     qPrintable(e.message()));
        }
        writeFile(path, "[1, 2]");
        QVERIFY_THROWS_EXCEPTION(Error, readRunJson(path));
        writeFile(path, R"({"id": "r1", "experiment": "e", "compute_target": "local",
            "created": "2026-01-02T03:04:05.000Z", "status": "Exploded"})");
        try {
            readRunJson(path);
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(e.message().contains(QStringLiteral("'Exploded' is not a run status")),
                     qPrintable(e.message()));
        }
    }

    // #25: what the folders hold is counted for the missing-store message; the built-in local
    // target alone is not worth refusing to open for.
    void recordsOnDiskAreCounted() {
        Workspace ws = freshWorkspace();
        newRun(ws, QStringLiteral("a1"));
        newRun(ws, QStringLiteral("a2"));
        QVERIFY(QFileInfo::exists(ws.root() + QStringLiteral("/compute-targets/local.json")));
        RecordsOnDisk found = countRecordsOnDisk(ws.root());
        QCOMPARE(found.runs, 2);
        QCOMPARE(found.computeTargets, 0);
        QCOMPARE(found.describe(), QStringLiteral("2 runs"));
        found.modelVersions = 1;
        found.datastores = 3;
        QCOMPARE(found.describe(), QStringLiteral("2 runs, 1 model version and 3 datastores"));
    }

    // #25: a workspace made before the mirror gets its files once, on the next open: targets,
    // datastores, models, experiments, and the run.json of a run whose parent an older one lacks.
    void olderWorkspaceIsBackfilledOnce() {
        QString root;
        QString childJson;
        {
            Workspace ws = freshWorkspace();
            root = ws.root();
            newRun(ws, QStringLiteral("parent"));
            const RunRecord child = newRun(ws, QStringLiteral("child"), QStringLiteral("parent"));
            const RunRecord plain = newRun(ws, QStringLiteral("plain"));
            // As submit leaves it: the estimator's tags are the run's.
            ws.store().runs().setTag(plain.id, QStringLiteral("team"), QStringLiteral("vision"));
            QVERIFY(ws.store().datastores().add({QStringLiteral("data"), QStringLiteral("local"), root, {}}));
            childJson = child.runDir + QStringLiteral("/run.json");
        }
        // What an older Labbench left: no mirror folders, run.json without a parent.
        QVERIFY(QDir(root + QStringLiteral("/compute-targets")).removeRecursively());
        QVERIFY(QDir(root + QStringLiteral("/datastores")).removeRecursively());
        QVERIFY(QFile::remove(root + QStringLiteral("/experiments.json")));
        Json old = readJson(childJson);
        old.erase("parent_id");
        writeFile(childJson, QByteArray::fromStdString(old.dump()));
        const QDateTime plainWritten = QFileInfo(root + QStringLiteral("/runs/plain/run.json")).lastModified();

        Workspace::open(root);
        QVERIFY(QFileInfo::exists(root + QStringLiteral("/compute-targets/local.json")));
        QVERIFY(readJson(root + QStringLiteral("/datastores/data.json"))["path"] == root.toStdString());
        QVERIFY(readJson(root + QStringLiteral("/experiments.json"))["experiments"].size() == 1);
        QVERIFY(readJson(childJson)["parent_id"] == "parent");
        QCOMPARE(QFileInfo(root + QStringLiteral("/runs/plain/run.json")).lastModified(), plainWritten);
    }

    // #25: "local" edited, then the store lost with nothing else: the new store takes the
    // settings back from compute-targets/local.json.
    void localTargetSettingsSurviveANewStore() {
        QString root;
        {
            Workspace ws = freshWorkspace();
            root = ws.root();
            ws.store().computeTargets().update(
                {QStringLiteral("local"),
                 QStringLiteral("local"),
                 QStringLiteral("{\"max_concurrent_runs\":1,\"gpus\":[0]}"),
                 {}});
        }
        QVERIFY(QFile::remove(root + QStringLiteral("/labbench.db")));
        Workspace reopened = Workspace::open(root);
        QCOMPARE(reopened.store().computeTargets().find(QStringLiteral("local"))->config,
                 QStringLiteral("{\"max_concurrent_runs\":1,\"gpus\":[0]}"));
    }
};

QTEST_GUILESS_MAIN(TestStoreMirror)
#include "tst_store_mirror.moc"
