// The run dashboard's Resume button (#20 item 2), offscreen with a real workspace and store:
// shown on a Failed or Canceled run only; a click starts attempt 2 of the same run (its marker in
// metrics.jsonl, Queued again in the history), the Timeline lists the attempts, and the charts
// drop the points the dead attempt logged after its checkpoint.
#include "tests/ui/UiTestSupport.h"
#include "core/lifecycle/RunIngester.h"
#include "core/live/MetricFeed.h"
#include "core/live/RunActions.h"
#include "core/store/RunAttempts.h"
#include "ui/charts/MetricChartsPanel.h"
#include "ui/run/RunDashboard.h"

#include <QPushButton>
#include <QTest>
#include <QTreeWidget>

using namespace lb;
using namespace lb::ui;

namespace {

std::size_t pointsCharted(const RunDashboard& d, const QString& runId, const QString& name) {
    const auto& buffers = d.charts()->feed()->buffers();
    std::lock_guard lock(buffers->mutex);
    auto it = buffers->series.find({runId, name});
    return it == buffers->series.end() ? 0 : it->second.buffer.size();
}

QByteArray fileBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestRunResumeButton : public QObject {
    Q_OBJECT
    std::unique_ptr<QTemporaryDir> dir_;
    std::unique_ptr<Workspace> ws_;

private slots:
    void init() {
        dir_ = std::make_unique<QTemporaryDir>();
        ws_ = std::make_unique<Workspace>(Workspace::create(dir_->filePath(QStringLiteral("ws")), QStringLiteral("ui")));
    }
    void cleanup() {
        ws_.reset();
        dir_.reset();
    }

    void hiddenWhereThereIsNothingToResume() {
        RunActions actions(ws_->root());
        for (RunStatus status : {RunStatus::Completed, RunStatus::Running}) {
            const RunRecord run = test::addRun(*ws_, QStringLiteral("done"), status);
            RunDashboard d(ws_->root(), ws_->storePath(), run.id, &actions);
            d.show();
            QVERIFY(QTest::qWaitFor([&] { return d.detail() != nullptr; }, 5000));
            auto* resume = d.findChild<QPushButton*>(QStringLiteral("resumeRun"));
            QVERIFY(resume);
            QVERIFY2(!resume->isVisible(), qPrintable(toString(status)));
        }
    }

    void resumeStartsTheNextAttemptAndChartsDropSupersededPoints() {
        const RunRecord run = test::addRun(*ws_, QStringLiteral("gui"), RunStatus::Running);
        const QString metrics = run.runDir + QStringLiteral("/metrics.jsonl");
        test::writeFile(metrics, "{\"name\":\"loss\",\"value\":3}\n{\"name\":\"loss\",\"value\":2}\n"
                                 "{\"type\":\"checkpoint\",\"path\":\"ck-1\",\"step\":1}\n"
                                 "{\"name\":\"loss\",\"value\":1.5}\n{\"name\":\"loss\",\"value\":1.2}\n");
        RunIngester(ws_->store(), run.id, run.runDir).ingest(true);
        ws_->store().runs().transition(run.id, RunStatus::Failed, QStringLiteral("node lost"));

        RunActions actions(ws_->root());
        RunDashboard d(ws_->root(), ws_->storePath(), run.id, &actions);
        d.resize(1000, 700);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        auto* resume = d.findChild<QPushButton*>(QStringLiteral("resumeRun"));
        QVERIFY(resume);
        QVERIFY(QTest::qWaitFor([&] { return resume->isVisible() && resume->isEnabled(); }, 5000));
        QVERIFY2(resume->toolTip().contains(QStringLiteral("attempt 2")), qPrintable(resume->toolTip()));
        QVERIFY(QTest::qWaitFor([&] { return pointsCharted(d, run.id, QStringLiteral("loss")) == 4; }, 5000));
        auto* attemptsList = d.findChild<QTreeWidget*>(QStringLiteral("attemptsList"));
        QVERIFY(attemptsList);
        QVERIFY(attemptsList->isHidden()); // one attempt: nothing to list

        QTest::mouseClick(resume, Qt::LeftButton);
        RunAttemptRepository attempts(ws_->store().database());
        QVERIFY(QTest::qWaitFor([&] { return attempts.currentAttempt(run.id) == 2; }, 10000));
        QVERIFY(fileBytes(metrics).contains("\"type\":\"attempt\",\"reason\":\"resume\""));
        // The history keeps Failed and goes on from Queued.
        QStringList states;
        for (const StateChange& s : ws_->store().runs().history(run.id))
            states << toString(s.status);
        const qsizetype failed = states.indexOf(QStringLiteral("Failed"));
        QVERIFY2(failed > 0 && states.value(failed + 1) == QStringLiteral("Queued"), qPrintable(states.join(u',')));

        // Charts: the two points after the checkpoint are gone; the Timeline lists both attempts.
        QVERIFY(QTest::qWaitFor([&] { return pointsCharted(d, run.id, QStringLiteral("loss")) == 2; }, 5000));
        QVERIFY(QTest::qWaitFor([&] { return attemptsList->topLevelItemCount() == 2; }, 5000));
        QVERIFY(!attemptsList->isHidden());
        QCOMPARE(attemptsList->topLevelItem(0)->text(3), QStringLiteral("Failed"));
        QVERIFY2(attemptsList->topLevelItem(1)->text(4).startsWith(QStringLiteral("ck-1 (step 1)")),
                 qPrintable(attemptsList->topLevelItem(1)->text(4)));
    }
};

QTEST_MAIN(TestRunResumeButton)
#include "tst_run_resume_button.moc"
