// The workbench stays true to the store while the real `labbench` binary changes it (issue 17):
// a rename, an archive and a delete from the command line show in an open runs table, and a note
// written from the command line in an open run dashboard, without a restart. The dashboard's note
// is rendered Markdown, and editing it there saves it to the store and the run's run.json.
#include "core/live/RunsTableModel.h"
#include "core/workspace/Workspace.h"
#include "tests/ui/UiTestSupport.h"
#include "tests/support/CliRunner.h"
#include "ui/run/RunDashboard.h"
#include "ui/run/RunNotePanel.h"
#include "ui/runs/RunsTablePage.h"

#include <QDir>
#include <QFile>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

using namespace lb;

class RunsCliLiveTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString root_;

    CliResult cli(const QStringList& args) {
        return runLabbench(QStringList{QStringLiteral("--workspace"), root_} + args);
    }

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("labbench-tests"));
        root_ = tmp_.filePath(QStringLiteral("ws"));
        Workspace ws = Workspace::create(root_, QStringLiteral("live"));
        for (int i = 0; i < 3; ++i) {
            RunRecord r;
            r.id = QStringLiteral("live%1").arg(i);
            r.experiment = QStringLiteral("live");
            r.computeTarget = QStringLiteral("local");
            r.runDir = ws.runsDir() + QLatin1Char('/') + r.id;
            r.created = QDateTime::fromSecsSinceEpoch(1700000000 + i, Qt::UTC);
            QVERIFY(QDir().mkpath(r.runDir));
            ws.store().runs().create(r);
            for (RunStatus s : {RunStatus::Preparing, RunStatus::Running, RunStatus::Completed})
                QVERIFY(ws.store().runs().transition(r.id, s));
        }
    }

    void renameArchiveAndDeleteFromTheCliShowInAnOpenTable() {
        ui::RunsTablePage page(root_);
        page.resize(900, 500);
        page.show();
        QVERIFY(QTest::qWaitFor([&] { return page.model()->rowCount() == 3; }, 10000));
        QSignalSpy resets(page.model(), &QAbstractItemModel::modelReset);
        const int nameColumn = 1; // status, name, start, duration, target
        QCOMPARE(page.model()->headerData(nameColumn, Qt::Horizontal).toString(), QStringLiteral("name"));

        CliResult r = cli({QStringLiteral("runs"), QStringLiteral("rename"), QStringLiteral("live1"),
                           QStringLiteral("renamed by the CLI")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QTest::qWaitFor([&] {
            const int row = page.model()->rowOf(QStringLiteral("live1"));
            return row >= 0 && page.model()->index(row, nameColumn).data().toString() == QStringLiteral("renamed by the CLI");
        }, 10000));

        r = cli({QStringLiteral("runs"), QStringLiteral("archive"), QStringLiteral("live2")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QTest::qWaitFor([&] { return !lb::test::shownRunIds(*page.model()).contains(QStringLiteral("live2")); }, 10000));
        QCOMPARE(lb::test::shownRunIds(*page.model()), QStringList({"live1", "live0"}));

        r = cli({QStringLiteral("runs"), QStringLiteral("delete"), QStringLiteral("live0"), QStringLiteral("--yes")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QTest::qWaitFor([&] { return lb::test::shownRunIds(*page.model()) == QStringList({"live1"}); }, 10000));
        QVERIFY(!QFileInfo::exists(root_ + QStringLiteral("/runs/live0")));
        QCOMPARE(resets.count(), 0); // rows came and went in place: no reset, the view kept its state
    }

    void dashboardNoteIsRenderedEditableAndLive() {
        const QString id = QStringLiteral("live1");
        CliResult r = cli({QStringLiteral("runs"), QStringLiteral("note"), id, QStringLiteral("Lower **lr** helps")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        Workspace ws = Workspace::open(root_);
        ui::RunDashboard dashboard(root_, ws.storePath(), id, nullptr);
        dashboard.resize(900, 600);
        dashboard.show();
        ui::RunNotePanel* note = dashboard.notePanel();
        QVERIFY(QTest::qWaitFor([&] { return note->note() == QStringLiteral("Lower **lr** helps"); }, 10000));
        // Rendered: the asterisks became bold text.
        QCOMPARE(note->viewer()->toPlainText().trimmed(), QStringLiteral("Lower lr helps"));
        QVERIFY(note->viewer()->toHtml().contains(QStringLiteral("font-weight:700")));

        // Edited on the dashboard: stored, and in run.json for `workspace repair`.
        note->startEditing();
        QVERIFY(note->editing());
        note->editor()->setPlainText(QStringLiteral("# Verdict\n\n- keep `lr=0.01`"));
        QSignalSpy saved(note, &ui::RunNotePanel::saved);
        note->save();
        QVERIFY(saved.wait(10000));
        QVERIFY(!note->editing());
        QCOMPARE(ws.store().runs().note(id), QStringLiteral("# Verdict\n\n- keep `lr=0.01`"));
        QCOMPARE(note->viewer()->toPlainText().split(QLatin1Char('\n')).first(), QStringLiteral("Verdict"));
        QFile runJson(root_ + QStringLiteral("/runs/live1/run.json"));
        QVERIFY(runJson.open(QIODevice::ReadOnly));
        QVERIFY(runJson.readAll().contains("# Verdict"));

        // Changed by the CLI while the dashboard is open.
        r = cli({QStringLiteral("runs"), QStringLiteral("note"), id, QStringLiteral("changed by *the CLI*")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QTest::qWaitFor([&] { return note->note() == QStringLiteral("changed by *the CLI*"); }, 10000));
        QCOMPARE(note->viewer()->toPlainText().trimmed(), QStringLiteral("changed by the CLI"));
    }
};

QTEST_MAIN(RunsCliLiveTest)
#include "tst_runs_cli_live.moc"
