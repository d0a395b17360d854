// The runs table page (issue 17) offscreen over a real workspace: the query box filters in the
// store and shows where a bad query goes wrong, header clicks sort in SQL, the chosen columns are
// remembered per experiment, and Compare asks for the selected runs.
#include "core/live/RunSizes.h"
#include "core/live/RunsTableModel.h"
#include "core/runs/RunDelete.h"
#include "core/store/Store.h"
#include "core/workspace/Workspace.h"
#include "tests/ui/UiTestSupport.h"
#include "ui/runs/RunsTablePage.h"

#include <QApplication>
#include <QHeaderView>
#include <QLabel>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QTest>
#include <QTimer>

using namespace lb;

class RunsTablePageTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString root_;

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
            r.runDir = ws.runsDir() + QLatin1Char('/') + r.id; // deleted below: inside the test's folder
            QVERIFY(QDir().mkpath(r.runDir));
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
        QVERIFY2(QTest::qWaitFor([&] { return lb::test::shownRunIds(*page.model()) == QStringList({"r3", "r2"}); }, 10000),
                 qPrintable(lb::test::shownRunIds(*page.model()).join(",") + " / " + page.queryError()));
        QVERIFY(page.queryError().isEmpty());
        box->setText(QStringLiteral("metrics.accuracy >= high"));
        QVERIFY(page.queryError().contains(QStringLiteral("Column 21")));
        QCOMPARE(box->property("invalid").toBool(), true);
        QCOMPARE(lb::test::shownRunIds(*page.model()), QStringList({"r3", "r2"})); // the last good search stays
        box->clear();
        QVERIFY(QTest::qWaitFor([&] { return page.model()->rowCount() == 6; }, 10000));
    }

    void headerClickSortsInTheStore() {
        ui::RunsTablePage page(root_);
        page.show();
        QVERIFY(QTest::qWaitFor([&] { return page.model()->rowCount() == 6; }, 10000));
        page.model()->setColumns({query::parseKey("id"), query::parseKey("metrics.accuracy")});
        page.view()->horizontalHeader()->setSortIndicator(1, Qt::DescendingOrder);
        QVERIFY(QTest::qWaitFor([&] { return lb::test::shownRunIds(*page.model()) == QStringList({"r5", "r4", "r3", "r2", "r1", "r0"}); }, 10000));
        page.view()->horizontalHeader()->setSortIndicator(1, Qt::AscendingOrder);
        QVERIFY(QTest::qWaitFor([&] { return lb::test::shownRunIds(*page.model()).value(0) == "r0"; }, 10000));
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
        QCOMPARE(page.model()->columnCount(), 4); // and the size column
        QCOMPARE(page.model()->headerData(2, Qt::Horizontal).toString(), QStringLiteral("max(metrics.accuracy)"));
        QCOMPARE(page.model()->headerData(3, Qt::Horizontal).toString(), QStringLiteral("size"));
        page.setExperiment(QStringLiteral("cifar"));
        QCOMPARE(page.model()->columnCount(), 6); // cifar has none remembered: the defaults, and size
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

    // Disk usage (issue 17): each row's folder size measured off the UI thread, the experiment's
    // total, and what a delete would free in its confirmation (answered No: nothing goes).
    void sizesTotalsAndWhatADeleteWouldFree() {
        QString dir;
        {
            Workspace ws = Workspace::open(root_);
            RunRecord r;
            r.id = QStringLiteral("big");
            r.experiment = QStringLiteral("disk");
            r.computeTarget = QStringLiteral("local");
            r.runDir = ws.runsDir() + QStringLiteral("/big");
            dir = r.runDir;
            QVERIFY(QDir().mkpath(r.runDir + QStringLiteral("/outputs")));
            QFile f(r.runDir + QStringLiteral("/outputs/weights.bin"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(300000, 'w'));
            f.close();
            ws.store().runs().create(r);
            for (RunStatus s : {RunStatus::Preparing, RunStatus::Running, RunStatus::Completed})
                QVERIFY(ws.store().runs().transition(r.id, s));
        }
        const qint64 expected = diskUsage(dir);
        QVERIFY(expected >= 300000);
        ui::RunsTablePage page(root_);
        page.show();
        page.setExperiment(QStringLiteral("disk"));
        QVERIFY(QTest::qWaitFor([&] { return page.model()->rowCount() == 1; }, 10000));
        const QModelIndex size = page.model()->index(0, page.model()->sizeColumn());
        QVERIFY(QTest::qWaitFor([&] { return size.data(RunsTableModel::ValueRole).isValid(); }, 10000));
        QCOMPARE(size.data(RunsTableModel::ValueRole).toLongLong(), expected);
        QCOMPARE(size.data().toString(), formatDiskSize(expected));
        QVERIFY(QTest::qWaitFor([&] { return page.diskTotal() == expected; }, 10000));
        QVERIFY(page.findChild<QLabel*>(QStringLiteral("runsDiskTotal"))->text().contains(formatDiskSize(expected)));

        // The size column sorts, by the sizes the disk walk kept in the store: a second, smaller
        // run of the experiment goes first ascending, last descending.
        {
            Workspace ws = Workspace::open(root_);
            RunRecord r;
            r.id = QStringLiteral("small");
            r.experiment = QStringLiteral("disk");
            r.computeTarget = QStringLiteral("local");
            r.runDir = ws.runsDir() + QStringLiteral("/small");
            QVERIFY(QDir().mkpath(r.runDir));
            ws.store().runs().create(r);
        }
        QVERIFY(QTest::qWaitFor([&] { return page.model()->rowCount() == 2; }, 10000));
        page.setExperiment(QString());
        page.setExperiment(QStringLiteral("disk")); // measures the folders again, "small" too
        QVERIFY(QTest::qWaitFor([&] { return page.diskTotal() >= expected; }, 10000));
        const int sizeColumn = page.model()->sizeColumn();
        page.view()->horizontalHeader()->setSortIndicator(sizeColumn, Qt::AscendingOrder);
        QVERIFY(QTest::qWaitFor([&] { return test::shownRunIds(*page.model()) == QStringList({"small", "big"}); }, 10000));
        page.view()->horizontalHeader()->setSortIndicator(sizeColumn, Qt::DescendingOrder);
        QVERIFY(QTest::qWaitFor([&] { return test::shownRunIds(*page.model()) == QStringList({"big", "small"}); }, 10000));
        page.view()->selectRow(0);

        QString asked;
        QTimer answer;
        answer.setInterval(20);
        connect(&answer, &QTimer::timeout, &page, [&] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                asked = box->text();
                box->button(QMessageBox::No)->click();
            }
        });
        answer.start();
        page.deleteSelected(false);
        QVERIFY(QTest::qWaitFor([&] { return !asked.isEmpty(); }, 10000));
        QCOMPARE(asked, ui::RunsTablePage::deleteQuestion(1, expected));
        QVERIFY2(asked.contains(QStringLiteral("Delete would free ") + formatDiskSize(expected)), qPrintable(asked));
        QVERIFY(QFileInfo::exists(dir));
        QCOMPARE(page.model()->rowCount(), 2);
    }
};

QTEST_MAIN(RunsTablePageTest)
#include "tst_runs_table_page.moc"
