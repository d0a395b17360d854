// End to end, on a real X display (Xvfb): the real `labbench` opens a script as a drop would
// (`labbench --workspace WS train.py`), its Submit button is pressed (LABBENCH_UI_AUTOSUBMIT),
// the run goes to `local`, and the test waits until a live metric point and a log line are on
// screen (the window's own state report, LABBENCH_UI_STATE_FILE), then keeps the screenshot
// the window took of itself as a test artifact (test-artifacts/gui_e2e.png).
#include "core/store/Store.h"
#include "core/workspace/Workspace.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace lb;

class TestGuiEndToEnd : public QObject {
    Q_OBJECT
private slots:
    void dropSubmitWatchLive();
};

void TestGuiEndToEnd::dropSubmitWatchLive() {
    const QString xvfbRun = QStandardPaths::findExecutable(QStringLiteral("xvfb-run"));
    QVERIFY2(!xvfbRun.isEmpty(), "xvfb-run is needed for the gui test (apt-get install xvfb)");
    QTemporaryDir dir;
    const QString wsDir = dir.filePath(QStringLiteral("ws"));
    { Workspace::create(wsDir, QStringLiteral("e2e")); }
    const QString project = dir.filePath(QStringLiteral("project"));
    QDir().mkpath(project);
    {
        QFile f(project + QStringLiteral("/train.py"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"py(import argparse, time
import labbench
p = argparse.ArgumentParser()
p.add_argument("--epochs", type=int, default=30)
p.add_argument("--lr", type=float, default=0.1)
args = p.parse_args()
loss = 2.0
for epoch in range(args.epochs):
    loss *= 0.9
    labbench.log("loss", loss, step=epoch)
    labbench.log("accuracy", 1 - loss / 3, step=epoch)
    print(f"epoch {epoch} loss {loss:.4f}", flush=True)
    time.sleep(0.25)
print("done", flush=True)
)py");
    }
    const QString state = dir.filePath(QStringLiteral("state.json"));
    const QString shot = dir.filePath(QStringLiteral("shot.png"));
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM")); // a real X display, not offscreen
    env.remove(QStringLiteral("DISPLAY"));
    env.insert(QStringLiteral("LABBENCH_UI_STATE_FILE"), state);
    env.insert(QStringLiteral("LABBENCH_UI_SCREENSHOT"), shot);
    env.insert(QStringLiteral("LABBENCH_UI_AUTOSUBMIT"), QStringLiteral("1"));
    env.insert(QStringLiteral("LABBENCH_UI_QUIT_AFTER_SCREENSHOT"), QStringLiteral("1"));
    app.setProcessEnvironment(env);
    app.setProcessChannelMode(QProcess::MergedChannels);
    app.start(xvfbRun, {QStringLiteral("-a"), QStringLiteral("-s"),
                        QStringLiteral("-screen 0 1280x800x24"),
                        QStringLiteral(LABBENCH_BIN_DIR "/labbench"), QStringLiteral("--workspace"),
                        wsDir, project + QStringLiteral("/train.py")});
    QVERIFY(app.waitForStarted(10000));

    QJsonObject last;
    auto shows = [&] {
        QFile f(state);
        if (!f.open(QIODevice::ReadOnly))
            return false;
        last = QJsonDocument::fromJson(f.readAll()).object();
        for (const QJsonValue& d : last.value(QStringLiteral("dashboards")).toArray()) {
            int points = 0;
            for (const QJsonValue& m : d.toObject().value(QStringLiteral("metrics")).toArray())
                points += m.toObject().value(QStringLiteral("points_drawn")).toInt();
            const QJsonArray lines = d.toObject().value(QStringLiteral("log_tail")).toArray();
            bool epochLine = false;
            for (const QJsonValue& l : lines)
                epochLine = epochLine || l.toString().startsWith(QStringLiteral("epoch "));
            if (points > 0 && epochLine &&
                !last.value(QStringLiteral("screenshot")).toString().isEmpty())
                return true;
        }
        return false;
    };
    const bool ok = QTest::qWaitFor(shows, 90000);
    const QByteArray output = app.readAll();
    QVERIFY2(ok, qPrintable(QStringLiteral("state: %1\noutput: %2")
                                .arg(QString::fromUtf8(QJsonDocument(last).toJson()),
                                     QString::fromUtf8(output))));
    // The form was prefilled from the script's argparse flags and submitted as such.
    const QJsonArray forms = last.value(QStringLiteral("forms")).toArray();
    QVERIFY(!forms.isEmpty());
    const QJsonArray params = forms.first().toObject().value(QStringLiteral("script_params")).toArray();
    QCOMPARE(params.size(), 4);
    QCOMPARE(params.at(0).toString(), QStringLiteral("--epochs"));
    QVERIFY(app.waitForFinished(20000)); // the window quits after its screenshot

    // Keep the screenshot as the test's artifact.
    const QString artifacts = QStringLiteral(LABBENCH_BIN_DIR "/../test-artifacts");
    QDir().mkpath(artifacts);
    QFile::remove(artifacts + QStringLiteral("/gui_e2e.png"));
    QVERIFY(QFile::copy(shot, artifacts + QStringLiteral("/gui_e2e.png")));
    QVERIFY(QFileInfo(shot).size() > 10000);
    qInfo("screenshot: %s", qPrintable(QDir::cleanPath(artifacts + QStringLiteral("/gui_e2e.png"))));

    // The run was recorded and finishes on its own, with every metric in the store.
    Workspace ws = Workspace::open(wsDir);
    QVERIFY(QTest::qWaitFor(
        [&] {
            const auto runs = ws.store().runs().list();
            return runs.size() == 1 && isTerminal(runs.front().status);
        },
        60000));
    const RunRecord run = ws.store().runs().list().front();
    QCOMPARE(toString(run.status), QStringLiteral("Completed"));
    QCOMPARE(ws.store().metrics().series(run.id, QStringLiteral("loss")).size(), std::size_t(30));
}

QTEST_GUILESS_MAIN(TestGuiEndToEnd)
#include "tst_gui_e2e.moc"
