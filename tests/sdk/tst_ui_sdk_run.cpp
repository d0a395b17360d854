// A run that Azure ML driver code submitted is an ordinary Labbench run in the workbench (issue 24,
// item 4): the notebook of tests/sdk/drivers/chainer_estimator.py runs as a user runs it, then a
// real window on that workspace opens the run: its dashboard shows its state and metrics, and Clone
// opens the estimator form filled in with what the notebook's Chainer estimator said.
#include "tests/sdk/SdkTestSupport.h"

#include "core/estimator/Estimator.h"
#include "ui/charts/MetricChart.h"
#include "ui/charts/MetricChartsPanel.h"
#include "ui/estimator/EstimatorForm.h"
#include "ui/main/MainWindow.h"
#include "ui/run/RunDashboard.h"

#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace lbtest;

class TestUiSdkRun : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString project_, ws_, runId_;

private slots:
    void initTestCase() {
        SdkProject made;
        const QString failed =
            makeSdkProject(tmp_, {QStringLiteral("train"), QStringLiteral("chainer_estimator.py")}, made);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        project_ = made.project;
        ws_ = made.workspace;

        const DriverResult r = runDriver(project_, QStringLiteral("chainer_estimator.py"));
        QVERIFY2(r.code == 0, r.all().constData());
        runId_ = QString::fromUtf8(r.tagged("SUBMITTED")).trimmed();
        QVERIFY2(!runId_.isEmpty(), r.all().constData());
    }

    void dashboardShowsTheRunAndCloneFillsTheForm() { // #24
        lb::ui::MainWindow window;
        window.openWorkspace(ws_);
        window.show();
        lb::ui::RunDashboard* dashboard = window.openRun(runId_);
        QVERIFY(dashboard);
        QCOMPARE(window.tabs()->currentWidget(), dashboard);
        // The dashboard reads the store: the notebook waited for the run, so it is Completed, and
        // the loss the script logged through Run.get_context() is charted.
        QTRY_COMPARE_WITH_TIMEOUT(dashboard->statusName(), QStringLiteral("Completed"), 10000);
        const auto chartsLoss = [dashboard] {
            for (const lb::ui::MetricChart* chart : dashboard->charts()->charts())
                if (chart->metric() == QStringLiteral("loss"))
                    return true;
            return false;
        };
        QVERIFY(QTest::qWaitFor(chartsLoss, 10000));

        auto* clone = dashboard->findChild<QPushButton*>(QStringLiteral("cloneRun"));
        QVERIFY(clone);
        QTRY_VERIFY_WITH_TIMEOUT(clone->isEnabled(), 10000);
        const int before = window.tabs()->count();
        clone->click();
        QTRY_COMPARE_WITH_TIMEOUT(window.tabs()->count(), before + 1, 5000);
        auto* form = qobject_cast<lb::ui::EstimatorForm*>(window.tabs()->currentWidget());
        QVERIFY2(form, "Clone did not open an estimator form");

        const lb::Estimator e = form->estimator();
        QCOMPARE(e.entryScript, QStringLiteral("train.py"));
        QCOMPARE(e.framework, QStringLiteral("chainer"));
        // The notebook's script_params dict, as argv words: the datastore mount became a folder.
        const int epochs = e.scriptParams.indexOf(QStringLiteral("--epochs"));
        QVERIFY2(epochs >= 0 && e.scriptParams.value(epochs + 1) == QStringLiteral("2"),
                 qPrintable(e.scriptParams.join(u' ')));
        const int lr = e.scriptParams.indexOf(QStringLiteral("--lr"));
        QVERIFY2(lr >= 0 && e.scriptParams.value(lr + 1) == QStringLiteral("0.5"),
                 qPrintable(e.scriptParams.join(u' ')));
        QVERIFY2(e.scriptParams.contains(QStringLiteral("--data-folder")),
                 qPrintable(e.scriptParams.join(u' ')));
        QVERIFY2(QFileInfo(e.sourceDirectory).fileName() == QStringLiteral("train") ||
                     e.sourceDirectory.contains(QStringLiteral("snapshot")),
                 qPrintable(e.sourceDirectory));
    }
};

QTEST_MAIN(TestUiSdkRun)
#include "tst_ui_sdk_run.moc"
