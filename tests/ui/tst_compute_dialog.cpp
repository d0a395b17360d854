// The compute-target dialogs (issue 6, item 2): core's field checks mark each invalid field
// with its reason and hold Save back; Save creates (and edits) the target in a real workspace
// (but not a remote target while it has an unfinished run) and the browser shows it through the
// store watcher; Test connection runs the real `compute test` check off the UI thread — it
// succeeds on a local target, and on an SSH target at 127.0.0.1 on a closed port it fails with
// ssh's reason while a QTimer keeps firing; a dialog closed while its test runs does not crash.
#include "tests/ui/UiTestSupport.h"
#include "ui/browser/WorkspaceBrowser.h"
#include "ui/compute/ComputeTargetActions.h"
#include "ui/compute/ComputeTargetDialog.h"
#include "core/compute/TargetSettings.h"
#include "core/live/BackgroundCall.h"
#include "core/live/WorkspaceModel.h"
#include "ui/main/MainWindow.h"
#include "core/util/Json.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace lb;
using namespace lb::ui;

namespace {

// A TCP port on 127.0.0.1 whose connections complete (the kernel's backlog) but never answer.
struct SilentListener {
    int fd = -1;
    int port = 0;
    SilentListener() {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), len) != 0 ||
            ::listen(fd, 8) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
            return;
        port = ntohs(a.sin_port);
    }
    void close() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
    ~SilentListener() { close(); }
};

} // namespace

class TestComputeDialog : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void sshFieldsAreMarkedAndSaveIsHeldBack();
    void slurmAndLocalFieldsAreChecked();
    void cliAndDialogShareTheChecks();
    void saveCreatesTheTargetAndEditUpdatesIt();
    void testConnectionOnLocalSucceeds();
    void testConnectionToAClosedPortFailsWhileTheUiRuns();
    void aSlowCheckLeavesTheEventLoopRunning();
    void closingWhileTestingIsSafe();
    void browserShowsSavedAndRemovedTargets();

private:
    ComputeTargetDialog* sshDialog(const QString& name = QStringLiteral("box"));
    std::unique_ptr<QTemporaryDir> dir_;
    std::unique_ptr<Workspace> ws_;
};

void TestComputeDialog::init() {
    dir_ = std::make_unique<QTemporaryDir>();
    ws_ = std::make_unique<Workspace>(
        Workspace::create(dir_->filePath(QStringLiteral("ws")), QStringLiteral("compute")));
}

void TestComputeDialog::cleanup() {
    // Background checks end before the workspace folder goes away.
    QVERIFY(QTest::qWaitFor([] { return backgroundCallsRunning() == 0; }, 30000));
    ws_.reset();
    dir_.reset();
}

// An SSH dialog with every field valid: 127.0.0.1 on port 1 (nothing listens there).
ComputeTargetDialog* TestComputeDialog::sshDialog(const QString& name) {
    auto* d =
        new ComputeTargetDialog(ws_->root(), QStringLiteral("ssh"), {QStringLiteral("local")});
    d->setValue(QStringLiteral("name"), name);
    d->setValue(QStringLiteral("host"), QStringLiteral("127.0.0.1"));
    d->setValue(QStringLiteral("port"), QStringLiteral("1"));
    d->setValue(QStringLiteral("host-key-policy"), QStringLiteral("accept-new"));
    d->setValue(QStringLiteral("known-hosts"), dir_->filePath(QStringLiteral("known_hosts")));
    d->setValue(QStringLiteral("remote-dir"), QStringLiteral("/tmp/labbench-remote"));
    return d;
}

void TestComputeDialog::sshFieldsAreMarkedAndSaveIsHeldBack() {
    std::unique_ptr<ComputeTargetDialog> d(sshDialog());
    d->show();
    QVERIFY(d->saveButton()->isEnabled());
    QVERIFY(d->problemShown(QStringLiteral("port")).isEmpty());

    auto expectProblem = [&](const QString& field, const QString& value, const QString& words) {
        const QString before = d->value(field);
        d->setValue(field, value);
        const QString shown = d->problemShown(field);
        QVERIFY2(shown.contains(words, Qt::CaseInsensitive), qPrintable(field + ": " + shown));
        QVERIFY(d->editor(field)->property("invalid").toBool());
        QCOMPARE(d->editor(field)->toolTip(), shown);
        QVERIFY(!d->saveButton()->isEnabled());
        d->setValue(field, before);
        QVERIFY2(d->problemShown(field).isEmpty(), qPrintable(d->problemShown(field)));
        QVERIFY(!d->editor(field)->property("invalid").toBool());
        QVERIFY(d->saveButton()->isEnabled());
    };
    expectProblem(QStringLiteral("port"), QStringLiteral("70000"), QStringLiteral("1-65535"));
    expectProblem(QStringLiteral("port"), QStringLiteral("0"), QStringLiteral("1-65535"));
    expectProblem(QStringLiteral("port"), QStringLiteral("twenty-two"),
                  QStringLiteral("whole number"));
    expectProblem(QStringLiteral("remote-dir"), QString(), QStringLiteral("remote folder"));
    expectProblem(QStringLiteral("remote-dir"), QStringLiteral("relative/dir"),
                  QStringLiteral("absolute"));
    expectProblem(QStringLiteral("remote-dir"), QStringLiteral("/scratch/../etc"),
                  QStringLiteral("absolute"));
    expectProblem(QStringLiteral("identity"), dir_->filePath(QStringLiteral("no_such_key")),
                  QStringLiteral("does not exist"));
    expectProblem(QStringLiteral("host"), QString(), QStringLiteral("needs a host"));
    expectProblem(QStringLiteral("host"), QStringLiteral("-oProxyCommand=x"),
                  QStringLiteral("not a host"));
    expectProblem(QStringLiteral("user"), QStringLiteral("a@b"), QStringLiteral("not a user"));
    expectProblem(QStringLiteral("name"), QStringLiteral("bad name"),
                  QStringLiteral("not a valid"));
    expectProblem(QStringLiteral("name"), QString(), QStringLiteral("needs a name"));
    expectProblem(QStringLiteral("name"), QStringLiteral("local"),
                  QStringLiteral("already exists"));

    // Strict host keys need the known_hosts file to exist.
    d->setValue(QStringLiteral("host-key-policy"), QStringLiteral("strict"));
    QVERIFY(
        d->problemShown(QStringLiteral("known-hosts")).contains(QLatin1String("does not exist")));
    QVERIFY(!d->saveButton()->isEnabled());
    test::writeFile(dir_->filePath(QStringLiteral("known_hosts")), "");
    d->setValue(QStringLiteral("known-hosts"), QString());
    d->setValue(QStringLiteral("known-hosts"), dir_->filePath(QStringLiteral("known_hosts")));
    QVERIFY(d->problemShown(QStringLiteral("known-hosts")).isEmpty());

    // Several wrong fields at once: each shows its own reason.
    d->setValue(QStringLiteral("port"), QStringLiteral("0"));
    d->setValue(QStringLiteral("remote-dir"), QString());
    test::writeFile(dir_->filePath(QStringLiteral("key")), "not really a key");
    d->setValue(QStringLiteral("identity"), dir_->filePath(QStringLiteral("key")));
    QVERIFY(!d->problemShown(QStringLiteral("port")).isEmpty());
    QVERIFY(!d->problemShown(QStringLiteral("remote-dir")).isEmpty());
    QVERIFY(d->problemShown(QStringLiteral("identity")).isEmpty());
    QVERIFY(!d->saveButton()->isEnabled());
    QVERIFY(!d->testButton()->isEnabled()); // nothing to test with a broken port
    // A picture of the marked fields, kept as a test artifact.
    const QString artifacts = QStringLiteral(LABBENCH_BIN_DIR "/../test-artifacts");
    QDir().mkpath(artifacts);
    QTest::qWait(100); // let the layout make room for the reasons
    QVERIFY(d->grab().save(artifacts + QStringLiteral("/compute_dialog_ssh.png"), "PNG"));
    // Clicking a disabled Save writes nothing.
    QTest::mouseClick(d->saveButton(), Qt::LeftButton);
    QTest::qWait(100);
    QVERIFY(!ws_->store().computeTargets().find(QStringLiteral("box")));
}

void TestComputeDialog::slurmAndLocalFieldsAreChecked() {
    ComputeTargetDialog slurm(ws_->root(), QStringLiteral("slurm"), {});
    slurm.setValue(QStringLiteral("name"), QStringLiteral("hpc"));
    slurm.setValue(QStringLiteral("remote-dir"), QStringLiteral("/scratch/lb"));
    QVERIFY2(slurm.saveButton()->isEnabled(), qPrintable(slurm.draft().problems.value(0).message));
    // No host: Slurm on this machine, so no port is needed either.
    QVERIFY(slurm.problemShown(QStringLiteral("host")).isEmpty());
    slurm.setValue(QStringLiteral("partition"), QStringLiteral("gpu queue"));
    QVERIFY(slurm.problemShown(QStringLiteral("partition"))
                .contains(QLatin1String("not a Slurm name")));
    slurm.setValue(QStringLiteral("partition"), QStringLiteral("gpu"));
    slurm.setValue(QStringLiteral("time-limit"), QStringLiteral("-5"));
    QVERIFY(slurm.problemShown(QStringLiteral("time-limit")).contains(QLatin1String("negative")));
    slurm.setValue(QStringLiteral("time-limit"), QStringLiteral("90"));
    slurm.setValue(QStringLiteral("gpus-per-node"), QStringLiteral("four"));
    QVERIFY(slurm.problemShown(QStringLiteral("gpus-per-node"))
                .contains(QLatin1String("whole number")));
    QVERIFY(!slurm.saveButton()->isEnabled());
    slurm.setValue(QStringLiteral("gpus-per-node"), QStringLiteral("4"));
    QVERIFY(slurm.saveButton()->isEnabled());
    QVERIFY(slurm.draft().record.config.contains(QLatin1String("\"time_limit_minutes\":90")));

    ComputeTargetDialog local(ws_->root(), QStringLiteral("local"), {QStringLiteral("local")});
    QVERIFY(local.editor(QStringLiteral("host")) == nullptr);
    local.setValue(QStringLiteral("name"), QStringLiteral("cpu"));
    QVERIFY(local.saveButton()->isEnabled());
    local.setValue(QStringLiteral("max-concurrent"), QStringLiteral("0"));
    QVERIFY(
        local.problemShown(QStringLiteral("max-concurrent")).contains(QLatin1String("1 to 10000")));
    local.setValue(QStringLiteral("max-concurrent"), QStringLiteral("2"));
    local.setValue(QStringLiteral("gpus"), QStringLiteral("0,x"));
    QVERIFY(local.problemShown(QStringLiteral("gpus")).contains(QLatin1String("not a GPU number")));
    QVERIFY(!local.saveButton()->isEnabled());
}

void TestComputeDialog::cliAndDialogShareTheChecks() {
    // One source of truth: the CLI's `compute create ssh` reports the same reason the dialog
    // shows for the same wrong port.
    ComputeTargetDialog d(ws_->root(), QStringLiteral("ssh"), {});
    d.setValue(QStringLiteral("name"), QStringLiteral("x"));
    d.setValue(QStringLiteral("host"), QStringLiteral("h"));
    d.setValue(QStringLiteral("port"), QStringLiteral("70000"));
    d.setValue(QStringLiteral("remote-dir"), QStringLiteral("/x"));
    TargetFields fields;
    fields.insert(QStringLiteral("name"), QStringLiteral("x"));
    fields.insert(QStringLiteral("host"), QStringLiteral("h"));
    fields.insert(QStringLiteral("port"), QStringLiteral("70000"));
    fields.insert(QStringLiteral("remote-dir"), QStringLiteral("/x"));
    QCOMPARE(d.problemShown(QStringLiteral("port")),
             draftComputeTarget(QStringLiteral("ssh"), fields).problemFor(QStringLiteral("port")));
}

void TestComputeDialog::saveCreatesTheTargetAndEditUpdatesIt() {
    std::unique_ptr<ComputeTargetDialog> d(sshDialog());
    d->setValue(QStringLiteral("user"), QStringLiteral("alice"));
    d->show();
    QSignalSpy saved(d.get(), &ComputeTargetDialog::saved);
    QSignalSpy accepted(d.get(), &QDialog::accepted);
    QTest::mouseClick(d->saveButton(), Qt::LeftButton);
    QVERIFY(saved.wait(10000));
    QCOMPARE(saved.first().first().toString(), QStringLiteral("box"));
    QCOMPARE(accepted.size(), 1);
    // Read back from the store a fresh workspace connection sees.
    Workspace fresh = Workspace::open(ws_->root());
    const auto record = fresh.store().computeTargets().find(QStringLiteral("box"));
    QVERIFY(record);
    QCOMPARE(record->kind, QStringLiteral("ssh"));
    const Json config = Json::parse(record->config.toStdString());
    QCOMPARE(config["ssh"]["port"].get<int>(), 1);
    QCOMPARE(QString::fromStdString(config["ssh"]["user"]), QStringLiteral("alice"));
    QCOMPARE(QString::fromStdString(config["remote_dir"]), QStringLiteral("/tmp/labbench-remote"));

    // Edit: the stored fields come back, the name is fixed, Save updates in place.
    ComputeTargetDialog edit(ws_->root(), record->kind, {QStringLiteral("box")}, *record);
    QVERIFY(edit.editing());
    QCOMPARE(edit.value(QStringLiteral("user")), QStringLiteral("alice"));
    QCOMPARE(edit.value(QStringLiteral("host-key-policy")), QStringLiteral("accept-new"));
    QVERIFY(qobject_cast<QLineEdit*>(edit.editor(QStringLiteral("name")))->isReadOnly());
    QVERIFY(edit.saveButton()->isEnabled()); // its own name is not "taken"
    edit.setValue(QStringLiteral("remote-dir"), QStringLiteral("/srv/lb"));
    QSignalSpy editSaved(&edit, &ComputeTargetDialog::saved);
    edit.saveButton()->click();
    QVERIFY(editSaved.wait(10000));
    const auto updated = fresh.store().computeTargets().find(QStringLiteral("box"));
    QCOMPARE(QString::fromStdString(Json::parse(updated->config.toStdString())["remote_dir"]),
             QStringLiteral("/srv/lb"));

    // While a run on it is unfinished, the remote target's settings are held: Save says why
    // and the stored settings stay as they were.
    RunRecord run;
    run.id = QStringLiteral("remote_run_0001");
    run.experiment = QStringLiteral("remote");
    run.computeTarget = QStringLiteral("box");
    run.created = QDateTime::currentDateTimeUtc();
    run.runDir = ws_->runsDir() + QStringLiteral("/remote_run_0001");
    run.estimatorJson = QStringLiteral("{}");
    ws_->store().experiments().ensure(run.experiment);
    ws_->store().runs().create(run);
    ws_->store().runs().transition(run.id, RunStatus::Preparing);
    ws_->store().runs().transition(run.id, RunStatus::Running);
    ComputeTargetDialog busy(ws_->root(), updated->kind, {QStringLiteral("box")}, *updated);
    busy.setValue(QStringLiteral("remote-dir"), QStringLiteral("/srv/other"));
    QSignalSpy busySaved(&busy, &ComputeTargetDialog::saved);
    busy.saveButton()->click();
    QVERIFY(QTest::qWaitFor([&] { return !busy.testAnswer().isEmpty(); }, 10000));
    QVERIFY2(busy.testAnswer().contains(QLatin1String("still has run remote_run_0001 (Running)")),
             qPrintable(busy.testAnswer()));
    QCOMPARE(busySaved.size(), 0);
    QCOMPARE(QString::fromStdString(Json::parse(fresh.store()
                                                    .computeTargets()
                                                    .find(QStringLiteral("box"))
                                                    ->config.toStdString())["remote_dir"]),
             QStringLiteral("/srv/lb"));

    // Creating the same name again is refused by the store (the dialog was told no names).
    ComputeTargetDialog again(ws_->root(), QStringLiteral("local"), {});
    again.setValue(QStringLiteral("name"), QStringLiteral("box"));
    QVERIFY(again.saveButton()->isEnabled());
    QSignalSpy againSaved(&again, &ComputeTargetDialog::saved);
    again.saveButton()->click();
    QVERIFY(QTest::qWaitFor([&] { return !again.testAnswer().isEmpty(); }, 10000));
    QVERIFY2(again.testAnswer().contains(QLatin1String("already exists")),
             qPrintable(again.testAnswer()));
    QCOMPARE(againSaved.size(), 0);
}

void TestComputeDialog::testConnectionOnLocalSucceeds() {
    ComputeTargetDialog d(ws_->root(), QStringLiteral("local"), {QStringLiteral("local")});
    d.show();
    // GPU detection answers (with GPUs or the reason there are none).
    QVERIFY(QTest::qWaitFor([&] { return backgroundCallsRunning() == 0; }, 10000));
    QSignalSpy finished(&d, &ComputeTargetDialog::testFinished);
    QVERIFY(d.testButton()->isEnabled()); // no name yet: testing needs none
    d.testButton()->click();
    QVERIFY(d.testing());
    QVERIFY(!d.testButton()->isEnabled());
    QVERIFY(finished.wait(15000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
    QVERIFY(d.lastTestOk());
    QVERIFY2(d.testAnswer().contains(QLatin1String("runs on this machine")),
             qPrintable(d.testAnswer()));
    QVERIFY(!d.testing());
    QVERIFY(d.testButton()->isEnabled());
    QVERIFY(d.busyText().isEmpty());
    const QString artifacts = QStringLiteral(LABBENCH_BIN_DIR "/../test-artifacts");
    QDir().mkpath(artifacts);
    QTest::qWait(100); // let the layout make room for the answer
    QVERIFY(d.grab().save(artifacts + QStringLiteral("/compute_dialog_local.png"), "PNG"));
}

void TestComputeDialog::testConnectionToAClosedPortFailsWhileTheUiRuns() {
    std::unique_ptr<ComputeTargetDialog> d(sshDialog());
    d->show();
    QVERIFY(QTest::qWaitForWindowExposed(d.get()));
    QSignalSpy finished(d.get(), &ComputeTargetDialog::testFinished);
    QElapsedTimer clock;
    clock.start();
    d->testButton()->click();
    const qint64 clickTook = clock.elapsed();
    // The click only starts the check: the dialog is busy, not frozen.
    QVERIFY2(clickTook < 1000, qPrintable(QString::number(clickTook)));
    QVERIFY(d->testing());
    QVERIFY(!d->testButton()->isEnabled());
    QVERIFY2(d->busyText().contains(QLatin1String("127.0.0.1")), qPrintable(d->busyText()));
    QVERIFY(finished.wait(20000));
    QVERIFY(!finished.first().at(0).toBool());
    const QString answer = d->testAnswer();
    // ssh's own reason, as `labbench compute test` prints it.
    QVERIFY2(answer.contains(QLatin1String("127.0.0.1:1")) &&
                 answer.contains(QLatin1String("refused")),
             qPrintable(answer));
    QVERIFY(!d->lastTestOk());
    QVERIFY(!d->testing());
    QVERIFY(d->testButton()->isEnabled());
    QVERIFY(d->saveButton()->isEnabled()); // a failed test does not block saving
    qInfo("closed port answered in %lld ms: %s", clock.elapsed(), qPrintable(answer));
}

void TestComputeDialog::aSlowCheckLeavesTheEventLoopRunning() {
    // A listener that accepts TCP connections but never speaks: ssh waits for sshd's banner, so
    // the check runs for seconds. Meanwhile a 10 ms QTimer must keep firing: a UI thread
    // blocked on the check would show one gap as long as the whole 1.5 s (limits leave room
    // for a loaded shared machine).
    SilentListener silent;
    QVERIFY(silent.port > 0);
    auto* d = sshDialog(QStringLiteral("silent"));
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->setValue(QStringLiteral("port"), QString::number(silent.port));
    d->show();
    QElapsedTimer clock;
    qint64 last = 0, worstGap = 0;
    int ticks = 0;
    QTimer heartbeat;
    heartbeat.setTimerType(Qt::PreciseTimer);
    heartbeat.setInterval(10);
    connect(&heartbeat, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        worstGap = std::max(worstGap, now - last);
        last = now;
        ++ticks;
    });
    clock.start();
    heartbeat.start();
    d->testButton()->click();
    QTest::qWait(1500);
    heartbeat.stop();
    QVERIFY2(d->testing(), "the check against a silent port should still be running");
    QVERIFY2(ticks >= 20, qPrintable(QStringLiteral("%1 heartbeats in 1.5 s").arg(ticks)));
    QVERIFY2(worstGap < 1000,
             qPrintable(QStringLiteral("UI thread blocked for %1 ms").arg(worstGap)));
    qInfo("during a running check: %d heartbeats in 1.5 s, worst gap %lld ms", ticks, worstGap);
    // Closed mid-check: deleted now, the check's answer is dropped when it comes.
    QPointer<ComputeTargetDialog> alive(d);
    d->close();
    QVERIFY(QTest::qWaitFor([&] { return alive.isNull(); }, 2000));
    silent.close(); // pending connections are reset: ssh gives up at once
    QVERIFY(QTest::qWaitFor([] { return backgroundCallsRunning() == 0; }, 20000));
}

void TestComputeDialog::closingWhileTestingIsSafe() {
    for (int i = 0; i < 3; ++i) {
        auto* d = sshDialog(QStringLiteral("gone%1").arg(i));
        d->setAttribute(Qt::WA_DeleteOnClose);
        d->show();
        d->testButton()->click();
        QVERIFY(d->testing());
        d->close(); // deleted at once by the event loop, while ssh still runs
        QTest::qWait(0);
    }
    auto* local = new ComputeTargetDialog(ws_->root(), QStringLiteral("local"), {});
    local->testButton()->click();
    delete local;
    QVERIFY(QTest::qWaitFor([] { return backgroundCallsRunning() == 0; }, 30000));
    QTest::qWait(50); // answers posted to the deleted dialogs are dropped, not delivered
}

void TestComputeDialog::browserShowsSavedAndRemovedTargets() {
    MainWindow w;
    w.openWorkspace(ws_->root());
    QVERIFY(QTest::qWaitFor([&] { return w.snapshot() != nullptr; }, 5000));
    ComputeTargetDialog* d = w.computeActions()->newTarget(QStringLiteral("local"));
    QVERIFY(d);
    QVERIFY(d->isVisible());
    d->setValue(QStringLiteral("name"), QStringLiteral("local")); // taken
    QVERIFY(!d->saveButton()->isEnabled());
    d->setValue(QStringLiteral("name"), QStringLiteral("cpu-pool"));
    d->setValue(QStringLiteral("max-concurrent"), QStringLiteral("3"));
    QVERIFY(d->saveButton()->isEnabled());
    d->saveButton()->click();
    auto targetsInTree = [&] {
        QStringList names;
        WorkspaceModel* m = w.workspaceModel();
        const QModelIndex targets = m->index(1, 0);
        for (int r = 0; r < m->rowCount(targets); ++r)
            names.append(m->index(r, 0, targets).data(WorkspaceModel::KeyRole).toString());
        return names;
    };
    QVERIFY(QTest::qWaitFor([&] { return targetsInTree().contains(QStringLiteral("cpu-pool")); },
                            10000));

    // Edit from the browser's node opens the stored settings.
    ComputeTargetDialog* edit = w.computeActions()->editTarget(QStringLiteral("cpu-pool"));
    QVERIFY(edit);
    QCOMPARE(edit->value(QStringLiteral("max-concurrent")), QStringLiteral("3"));
    edit->close();

    // Test from the browser: the answer comes back for the saved target.
    QSignalSpy tested(w.computeActions(), &ComputeTargetActions::testFinished);
    w.computeActions()->testTarget(QStringLiteral("cpu-pool"));
    QVERIFY(tested.wait(15000));
    QVERIFY(tested.first().at(1).toBool());

    // Remove: the default target is refused with the reason; another one goes.
    QSignalSpy removed(w.computeActions(), &ComputeTargetActions::removeFinished);
    w.computeActions()->removeTarget(QStringLiteral("local"), false);
    QVERIFY(removed.wait(10000));
    QVERIFY(removed.last().at(1).toString().contains(QLatin1String("default")));
    w.computeActions()->removeTarget(QStringLiteral("cpu-pool"), false);
    QVERIFY(removed.wait(10000));
    QCOMPARE(removed.last().at(1).toString(), QString());
    QVERIFY(QTest::qWaitFor([&] { return !targetsInTree().contains(QStringLiteral("cpu-pool")); },
                            10000));
    QVERIFY(targetsInTree().contains(QStringLiteral("local")));
}

QTEST_MAIN(TestComputeDialog)
#include "tst_compute_dialog.moc"
