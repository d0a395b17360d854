// Endpoint records (issue 18): the store's rows and state machine, the mirror file each write
// leaves in endpoints/<name>/endpoint.json, and `workspace repair` bringing endpoints back.
#include "core/lifecycle/RunLock.h"
#include "core/repair/WorkspaceRepair.h"
#include "core/serve/EndpointControl.h"
#include "core/serve/EndpointDeploy.h"
#include "core/serve/EndpointFolder.h"
#include "core/serve/EndpointKey.h"
#include "core/store/Database.h"
#include "core/store/EndpointLimits.h"
#include "core/store/Migrations.h"
#include "core/store/Store.h"
#include "core/util/Error.h"
#include "core/workspace/StoreCheck.h"
#include "core/workspace/Workspace.h"
#include "core/workspace/mirror/EndpointFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

using namespace lb;

namespace {

EndpointRecord sampleEndpoint(const QString& name) {
    EndpointRecord e;
    e.name = name;
    e.kind = QStringLiteral("score");
    e.models = {QStringLiteral("mnist:1"), QStringLiteral("other:3")};
    e.port = 6789;
    e.workers = 3;
    e.auth = true;
    e.entry = QStringLiteral("score.py");
    e.sourceDir = QStringLiteral("/src/dir");
    e.pipPackages = {QStringLiteral("numpy")};
    e.requestTimeoutS = 7;
    e.runTimeoutS = 90;
    e.logPath = QStringLiteral("/ws/endpoints/%1/serve.log").arg(name);
    return e;
}

} // namespace

class TestEndpointRecords : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;

private slots:
    void stateMachineAllowsOnlyItsMoves() {
        QVERIFY(canTransition(EndpointState::Transitioning, EndpointState::Healthy));
        QVERIFY(canTransition(EndpointState::Healthy, EndpointState::Unhealthy));
        QVERIFY(canTransition(EndpointState::Unhealthy, EndpointState::Transitioning));
        QVERIFY(canTransition(EndpointState::Stopped, EndpointState::Transitioning));
        QVERIFY(!canTransition(EndpointState::Stopped, EndpointState::Healthy));
        QVERIFY(!canTransition(EndpointState::Failed, EndpointState::Healthy));
        QVERIFY(!canTransition(EndpointState::Healthy, EndpointState::Healthy));
        QVERIFY(endpointStateFromString(QStringLiteral("unhealthy")) == EndpointState::Unhealthy);
        QVERIFY(!endpointStateFromString(QStringLiteral("Running")));
    }

    void repositoryKeepsRowsAndHistoryAndMirrorsEachWrite() {
        const QString root = tmp.filePath(QStringLiteral("ws1"));
        Workspace ws = Workspace::create(root, QStringLiteral("one"));
        auto endpoints = ws.store().endpoints();
        QVERIFY(endpoints.add(sampleEndpoint(QStringLiteral("digits"))));
        QVERIFY2(!endpoints.add(sampleEndpoint(QStringLiteral("digits"))), "a name is taken once");
        QVERIFY(endpoints.transition(QStringLiteral("digits"), EndpointState::Failed,
                                     QStringLiteral("init() raised")));
        QVERIFY(!endpoints.transition(QStringLiteral("digits"), EndpointState::Healthy));
        QVERIFY(endpoints.transition(QStringLiteral("digits"), EndpointState::Transitioning));
        QVERIFY(endpoints.transition(QStringLiteral("digits"), EndpointState::Healthy));
        endpoints.setPid(QStringLiteral("digits"), 4242);

        const auto e = endpoints.find(QStringLiteral("digits"));
        QVERIFY(e);
        QVERIFY(e->state == EndpointState::Healthy);
        QVERIFY2(e->reason.isEmpty(), "Healthy clears the reason");
        QCOMPARE(e->models, sampleEndpoint(QStringLiteral("x")).models);
        QCOMPARE(e->pipPackages, QStringList{QStringLiteral("numpy")});
        QCOMPARE(e->workers, 3);
        QVERIFY(e->auth);
        QCOMPARE(e->pid, qint64(4242));
        QCOMPARE(e->requestTimeoutS, 7);
        QCOMPARE(e->runTimeoutS, 90);
        EndpointRecord changed = *e;
        changed.runTimeoutS = 120;
        endpoints.updateConfig(changed); // a redeploy with another --run-timeout
        QCOMPARE(endpoints.find(QStringLiteral("digits"))->runTimeoutS, 120);
        const auto history = endpoints.history(QStringLiteral("digits"));
        QCOMPARE(history.size(), 4);
        QVERIFY(history[1].state == EndpointState::Failed);
        QCOMPARE(history[1].reason, QStringLiteral("init() raised"));

        // The mirror file says what the store says, history included.
        const QString file = endpointFilePath(root, QStringLiteral("digits"));
        const EndpointFileContents mirrored = readEndpointFile(file);
        QVERIFY(mirrored.endpoint.state == EndpointState::Healthy);
        QCOMPARE(mirrored.endpoint.pid, qint64(4242));
        QCOMPARE(mirrored.endpoint.models, e->models);
        QCOMPARE(mirrored.endpoint.requestTimeoutS, 7);
        QCOMPARE(mirrored.endpoint.runTimeoutS, 120);
        QCOMPARE(mirrored.history.size(), 4);
        QCOMPARE(countRecordsOnDisk(root).endpoints, 1);

        QVERIFY(endpoints.remove(QStringLiteral("digits")));
        QVERIFY(!endpoints.find(QStringLiteral("digits")));
        QVERIFY(endpoints.history(QStringLiteral("digits")).isEmpty());
        QVERIFY2(!QFileInfo::exists(file), "removing the record removes its mirror file");
    }

    void repairBringsEndpointsBackAndStopsTheOnesThatWereUp() {
        const QString root = tmp.filePath(QStringLiteral("ws2"));
        {
            Workspace ws = Workspace::create(root, QStringLiteral("two"));
            auto endpoints = ws.store().endpoints();
            QVERIFY(endpoints.add(sampleEndpoint(QStringLiteral("up"))));
            QVERIFY(endpoints.transition(QStringLiteral("up"), EndpointState::Healthy));
            EndpointRecord failed = sampleEndpoint(QStringLiteral("broken"));
            failed.kind = QStringLiteral("native");
            failed.models = {QStringLiteral("mnist:2")};
            QVERIFY(endpoints.add(failed));
            QVERIFY(endpoints.transition(QStringLiteral("broken"), EndpointState::Failed,
                                         QStringLiteral("Port 6789 is in use.")));
        }
        QVERIFY(QFile::remove(root + QStringLiteral("/labbench.db")));
        // The folders hold endpoints, so the missing store is reported, not made anew empty.
        bool refused = false;
        try {
            Workspace::open(root);
        } catch (const StoreMissingError& e) {
            refused = e.message().contains(QStringLiteral("2 endpoints"));
        }
        QVERIFY2(refused, "a missing store over endpoint folders must be reported");

        const RepairReport report = repairWorkspace(root, {});
        int restored = -1;
        for (const RestoredKind& k : report.kinds)
            if (k.kind == QLatin1String("endpoints")) {
                restored = k.restored;
                QVERIFY2(k.skipped.isEmpty(), qPrintable(k.skipped.join(QLatin1Char('\n'))));
            }
        QCOMPARE(restored, 2);

        Workspace ws = Workspace::open(root);
        const auto up = ws.store().endpoints().find(QStringLiteral("up"));
        QVERIFY(up);
        QVERIFY(up->state == EndpointState::Stopped);
        QVERIFY2(up->reason.contains(QStringLiteral("endpoints start up")), qPrintable(up->reason));
        QCOMPARE(up->models, sampleEndpoint(QStringLiteral("x")).models);
        const auto upHistory = ws.store().endpoints().history(QStringLiteral("up"));
        QCOMPARE(upHistory.size(), 3); // Transitioning, Healthy, then Stopped by the repair
        QVERIFY(upHistory[1].state == EndpointState::Healthy);

        const auto broken = ws.store().endpoints().find(QStringLiteral("broken"));
        QVERIFY(broken);
        QVERIFY(broken->state == EndpointState::Failed);
        QCOMPARE(broken->reason, QStringLiteral("Port 6789 is in use."));
        QCOMPARE(broken->kind, QStringLiteral("native"));
        QCOMPARE(up->requestTimeoutS, 7); // the time limits come back with the rest
        QCOMPARE(up->runTimeoutS, 90);
    }

    // Before migration 7 the time limits were only in endpoints/<name>/limits.json: the
    // migration puts them in the rows, and repair reads them there for an older endpoint.json.
    void timeLimitsMoveIntoTheStoreAndRepairFindsThemInTheFolder() {
        const QString root = tmp.filePath(QStringLiteral("ws-limits"));
        QDir().mkpath(root + QStringLiteral("/endpoints/slow"));
        QDir().mkpath(root + QStringLiteral("/endpoints/plain"));
        writeEndpointLimits(root + QStringLiteral("/endpoints/slow/limits.json"), {25, 300});
        const QString dbPath = root + QStringLiteral("/old.db");
        {
            Database db(dbPath);
            migrate(db, 6); // a store from before the limits (migration 8)
            for (const char* name : {"slow", "plain"})
                db.exec(QStringLiteral("INSERT INTO endpoints(name, kind, port, state, log_path, "
                                       "created, updated) VALUES('%1', 'native', 6789, 'Stopped', "
                                       "'%2/endpoints/%1/serve.log', '2026-01-01T00:00:00.000Z', "
                                       "'2026-01-01T00:00:00.000Z')")
                            .arg(QLatin1String(name), root)
                            .toStdString()
                            .c_str());
        }
        Store store(dbPath);
        QCOMPARE(store.database().userVersion(), latestSchemaVersion());
        const auto slow = store.endpoints().find(QStringLiteral("slow"));
        QVERIFY(slow);
        QCOMPARE(slow->requestTimeoutS, 25);
        QCOMPARE(slow->runTimeoutS, 300);
        const auto plain = store.endpoints().find(QStringLiteral("plain")); // no limits.json
        QVERIFY(plain);
        QCOMPARE(plain->requestTimeoutS, EndpointLimits().requestTimeoutS);
        QCOMPARE(plain->runTimeoutS, EndpointLimits().runTimeoutS);

        // An endpoint.json written before migration 7 has no limits: the folder's file does.
        const QString file = root + QStringLiteral("/endpoints/slow/endpoint.json");
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"name": "slow", "kind": "native", "models": ["mnist:1"], "host": "127.0.0.1",
                   "port": 6789, "state": "Stopped", "created": "2026-01-01T00:00:00.000Z"})");
        f.close();
        const EndpointFileContents old = readEndpointFile(file);
        QCOMPARE(old.endpoint.requestTimeoutS, 25);
        QCOMPARE(old.endpoint.runTimeoutS, 300);
        // A limit no deploy would write is refused with the field, not served.
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(R"({"name": "slow", "kind": "native", "host": "127.0.0.1", "port": 6789,
                   "state": "Stopped", "created": "2026-01-01T00:00:00.000Z",
                   "run_timeout_s": 0})");
        f.close();
        try {
            readEndpointFile(file);
            QFAIL("a run_timeout_s of 0 was read");
        } catch (const Error& e) {
            QVERIFY2(e.message().contains(QLatin1String("run_timeout_s")) &&
                         e.message().contains(QLatin1String("not 1 to 3600 seconds")),
                     qPrintable(e.message()));
        }
    }

    void tamperedEndpointFileIsSkippedWithASentence() {
        const QString root = tmp.filePath(QStringLiteral("ws3"));
        { Workspace::create(root, QStringLiteral("three")); }
        const QString dir = root + QStringLiteral("/endpoints/evil");
        QVERIFY(QDir().mkpath(dir));
        QFile f(dir + QStringLiteral("/endpoint.json"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"name": "other", "kind": "native", "host": "127.0.0.1", "port": 1,
                    "state": "Healthy", "created": "2026-12-06T10:00:00.000Z"})");
        f.close();
        const RepairReport report = repairWorkspace(root, {RepairOptions{true}});
        bool sawSentence = false;
        for (const RestoredKind& k : report.kinds)
            if (k.kind == QLatin1String("endpoints")) {
                QCOMPARE(k.restored, 0);
                sawSentence = k.skipped.value(0).contains(QStringLiteral("does not match its "
                                                                         "folder's name"));
            }
        QVERIFY(sawSentence);
    }

    // A deploy or start holds the endpoint's lock before its server records its pid: Stop in
    // that moment says so, and changes nothing.
    void stopDuringALaunchSaysOneIsUnderWay() {
        const QString root = tmp.filePath(QStringLiteral("ws-launch"));
        Workspace ws = Workspace::create(root, QStringLiteral("launch"));
        QVERIFY(ws.store().endpoints().add(sampleEndpoint(QStringLiteral("starting"))));
        const EndpointFolder folder(root, QStringLiteral("starting"));
        QVERIFY(QDir().mkpath(folder.dir));
        auto launching = RunLock::tryAcquire(folder.lockPath()); // as deployEndpoint holds it
        QVERIFY(launching);
        try {
            stopEndpoint(ws, QStringLiteral("starting"));
            QFAIL("Stop went ahead during a launch");
        } catch (const Error& e) {
            QVERIFY2(e.message().contains(QLatin1String("a deploy or start of it is under way")),
                     qPrintable(e.message()));
        }
        QVERIFY(ws.store().endpoints().find(QStringLiteral("starting"))->state ==
                EndpointState::Transitioning);
    }

    void keyIsPrivateAndComparedWhole() {
        const QString path = tmp.filePath(QStringLiteral("key"));
        const QString key = regenerateEndpointKey(path);
        QCOMPARE(key.size(), 64);
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));
        QCOMPARE(readEndpointKey(path), key);
        QVERIFY(regenerateEndpointKey(path) != key);
        QVERIFY(keysEqual("abc", "abc"));
        QVERIFY(!keysEqual("abc", "abd"));
        QVERIFY(!keysEqual("abc", "abcd"));
        // A key file others can read is refused, naming the way out.
        QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                QFileDevice::ReadOther));
        bool refused = false;
        try {
            readEndpointKey(path);
        } catch (const Error& e) {
            refused = e.message().contains(QStringLiteral("--regenerate"));
        }
        QVERIFY(refused);
    }

    // Any address off loopback makes deploy require the key (EndpointDeploy's recordFrom).
    void onlyLoopbackAddressesServeWithoutAKey() {
        for (const char* host : {"127.0.0.1", "127.0.0.2", "::1", "localhost"})
            QVERIFY2(isLoopbackHost(QString::fromLatin1(host)), host);
        for (const char* host : {"0.0.0.0", "::", "192.168.1.5", "10.0.0.1", "1270.0.0.1"})
            QVERIFY2(!isLoopbackHost(QString::fromLatin1(host)), host);
        bool refused = false;
        try {
            portIsFree(QStringLiteral("example.com"), 80);
        } catch (const UsageError& e) {
            refused = e.message().contains(QStringLiteral("not an IP address"));
        }
        QVERIFY(refused);
    }

    void endpointNamesStayInsideTheirFolder() {
        for (const char* bad : {"", "../x", "a/b", ".hidden", "-flag"}) {
            bool refused = false;
            try {
                validateEndpointName(QString::fromLatin1(bad));
            } catch (const UsageError&) {
                refused = true;
            }
            QVERIFY2(refused, bad);
        }
        validateEndpointName(QStringLiteral("mnist-v2.1_a"));
    }
};

QTEST_GUILESS_MAIN(TestEndpointRecords)
#include "tst_endpoint_records.moc"
