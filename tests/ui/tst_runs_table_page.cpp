// The runs table page (issue 17) offscreen over a real workspace: the query box filters in the
// store and shows where a bad query goes wrong, header clicks sort in SQL, the chosen columns are
// remembered per experiment, and Compare asks for the selected runs.
#include "core/live/RunsTableModel.h"
#include "core/store/Store.h"
#include "core/workspace/Workspace.h"
#include "ui/runs/RunsTablePage.h"

#include <QApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QTest>

using namespace lb;

class RunsTablePageTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString root_;

    static QStringList shownIds(ui::RunsTablePage& page) {
        QStringList ids;
        for (int row = 0; row < page.model()->rowCount(); ++row)
            ids << page.model()->runId(row);
        return ids;
    }

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("labbench-tests"));
        root_ = tmp_.filePath(QStringLiteral("ws"));
        Workspace ws = Workspace::create(root_, QStringLiteral("page"));
        for (int i = 0; i < 6; ++i) {
            RunRecord r;
            r.id = QStringLiteral("r%1").arg(i);
            r.experiment = i < 4 ? QStringLiteral("mnist") : QStringLiteral("cifar");
            r.computeTarget = QStringLiteral("local");
            r.runDir = QStringLiteral("/tmp/") + r.id;
            r.estimatorJson = QStringLiteral("{\"script_params\": [\"--lr\", \"0.%1\"]}").arg(i + 1);
            r.created = QDateTime::fromSecsSinceEpoch(1700000000 + i, Qt::UTC);
            ws.store().runs().create(r);
            ws.store().metrics().append(r.id, {{QStringLiteral("accuracy"), 0.9 + i / 100.0, 0, 1.0}});
        }
    }

    void queryFiltersAndABadOneSaysWhere() {
        ui::RunsTablePage page(root_);
        page.resize(900, 500);
        page.show();
        QVERIFY(QTest::qWaitFor([&] { return page.model()->rowCount() == 6; }, 10000));
        auto* box = page.findChild<QLineEdit*>(QStringLiteral("runsQuery"));
        QVERIFY(box);
        box->setText(QStringLiteral("metrics.accuracy >= 0.915 and params.lr < 0.45"));
        QVERIFY2(QTest::qWaitFor([&] { return shownIds(page) == QStringList({"r3", "r2"}); }, 10000),
                 qPrintable(shownIds(page).join(",") + " / " + page.queryError()));
        QVERIFY(page.queryError().isEmpty());
        box->setText(QStringLiteral("metrics.accuracy >= high"));
        QVERIFY(page.queryError().contains(QStringLiteral("Column 21")));
        QCOMPARE(box->property("invalid").toBool(), true);
        QCOMPARE(shownIds(page), QStringList({"r3", "r2"})); // the last good search stays
        box->clear();
        QVERIFY(QTest::qWaitFor([&] { return page.model()->rowCount() == 6; }, 10000));
    }

    void headerClickSortsInTheStore() {
        ui::RunsTablePage page(root_);
        page.show();
        QVERIFY(QTest::qWaitFor([&] { return page.model()->rowCount() == 6; }, 10000));
        page.model()->setColumns({query::parseKey("id"), query::parseKey("metrics.accuracy")});
        page.view()->horizontalHeader()->setSortIndicator(1, Qt::DescendingOrder);
        QVERIFY(QTest::qWaitFor([&] { return shownIds(page) == QStringList({"r5", "r4", "r3", "r2", "r1", "r0"}); }, 10000));
        page.view()->horizontalHeader()->setSortIndicator(1, Qt::AscendingOrder);
        QVERIFY(QTest::qWaitFor([&] { return shownIds(page).value(0) == "r0"; }, 10000));
    }

    void columnsAreRememberedPerExperiment() {
        QSettings().clear();
        {
            ui::RunsTablePage page(root_);
            page.setExperiment(QStringLiteral("mnist"));
            QVERIFY(QTest::qWaitFor([&] { return page.model()->rowCount() == 4; }, 10000));
        }
        const QString key = QStringLiteral("runsTable/%1/mnist/columns")
                                .arg(QString::fromLatin1(root_.toUtf8().toHex().left(40)));
        QSettings().setValue(key, QStringList({"id", "params.lr", "max(metrics.accuracy)"}));
        ui::RunsTablePage page(root_);
        page.setExperiment(QStringLiteral("mnist"));
        QCOMPARE(page.model()->columnCount(), 3);
        QCOMPARE(page.model()->headerData(2, Qt::Horizontal).toString(), QStringLiteral("max(metrics.accuracy)"));
        page.setExperiment(QStringLiteral("cifar"));
        QCOMPARE(page.model()->columnCount(), 5); // cifar has none remembered: the defaults
        QVERIFY(QTest::qWaitFor([&] { return page.model()->rowCount() == 2; }, 10000));
    }

    void compareAsksForTheSelectedRuns() {
        ui::RunsTablePage page(root_);
        page.show();
        QVERIFY(QTest::qWaitFor([&] { return page.model()->rowCount() == 6; }, 10000));
        auto* compare = page.findChild<QPushButton*>(QStringLiteral("runsCompare"));
        QVERIFY(!compare->isEnabled());
        QSignalSpy asked(&page, &ui::RunsTablePage::compareRequested);
        page.view()->selectRow(0);
        page.view()->selectionModel()->select(page.model()->index(2, 0),
                                              QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QVERIFY(compare->isEnabled());
        compare->click();
        QCOMPARE(asked.count(), 1);
        QCOMPARE(asked.first().first().toStringList().size(), 2);
    }

    // Delete is planned off the UI thread: an unfinished run is refused with the reason, a
    // finished one goes and its row leaves the table without a reset.
    void deleteRefusesUnfinishedRunsAndRemovesFinishedOnes() {
        ui::RunsTablePage page(root_);
        page.show();
        QVERIFY(QTest::qWaitFor([&] { return page.model()->rowCount() == 6; }, 10000));
        QSignalSpy finished(&page, &ui::RunsTablePage::deleteFinished);
        page.view()->selectRow(page.model()->rowOf(QStringLiteral("r0"))); // still Queued
        page.deleteSelected(true);
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.last().at(0).toInt(), 0);
        QVERIFY2(finished.last().at(1).toString().contains(QStringLiteral("cancel it first")),
                 qPrintable(finished.last().at(1).toString()));
        {
            Workspace ws = Workspace::open(root_);
            ws.store().runs().transition(QStringLiteral("r5"), RunStatus::Running);
            ws.store().runs().transition(QStringLiteral("r5"), RunStatus::Completed);
        }
        QSignalSpy resets(page.model(), &QAbstractItemModel::modelReset);
        page.view()->selectRow(page.model()->rowOf(QStringLiteral("r5")));
        page.deleteSelected(true);
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.last().at(0).toInt(), 1);
        QVERIFY(QTest::qWaitFor([&] { return page.model()->rowOf(QStringLiteral("r5")) < 0; }, 10000));
        QCOMPARE(page.model()->rowCount(), 5);
        QCOMPARE(resets.count(), 0);
    }
};

QTEST_MAIN(RunsTablePageTest)
#include "tst_runs_table_page.moc"
