// Issue 25 item 2 in the workbench, offscreen: a window opened on a workspace whose store is gone
// says so in the browser (the CLI's sentence: the store and `labbench workspace repair`), a store
// deleted under an open window is noticed the same way, and once `workspace repair` rebuilt it
// the window shows the runs again without a restart.
#include "core/repair/WorkspaceRepair.h"
#include "tests/ui/UiTestSupport.h"
#include "ui/browser/WorkspaceBrowser.h"
#include "ui/main/MainWindow.h"

#include <QLabel>
#include <QTest>
#include <QTreeView>

using namespace lb;
using namespace lb::ui;

namespace {

// The sentence the browser shows in place of the tree, or empty while it shows none.
QString browserError(MainWindow& w) {
    for (QLabel* label : w.browser()->findChildren<QLabel*>())
        if (label->isVisible() && label->text().contains(QStringLiteral("labbench.db")))
            return label->text();
    return {};
}

int experimentRows(MainWindow& w) {
    return w.browser()->view()->model()->rowCount();
}

} // namespace

class TestMissingStore : public QObject {
    Q_OBJECT

    QTemporaryDir dir;
    QString root;

private slots:
    void initTestCase() {
        QVERIFY(dir.isValid());
        Workspace ws = Workspace::create(dir.filePath(QStringLiteral("ws")), QStringLiteral("ui"));
        root = ws.root();
        test::addRun(ws, QStringLiteral("mnist"), RunStatus::Completed);
        test::addRun(ws, QStringLiteral("mnist"), RunStatus::Failed);
    }

    // #25: opening a workspace whose store was deleted shows why and what to run.
    void windowOnAMissingStoreSaysSo() {
        const QString store = root + QStringLiteral("/labbench.db");
        const QString aside = store + QStringLiteral(".test-aside");
        QVERIFY(QFile::rename(store, aside));
        {
            MainWindow w;
            w.show();
            w.openWorkspace(root);
            QTRY_VERIFY_WITH_TIMEOUT(!browserError(w).isEmpty(), 10000);
            const QString error = browserError(w);
            QVERIFY2(error.contains(store + QStringLiteral(" is missing")), qPrintable(error));
            QVERIFY2(error.contains(QStringLiteral("2 runs")), qPrintable(error));
            QVERIFY2(error.contains(QStringLiteral("workspace repair")), qPrintable(error));
            QVERIFY2(!QFileInfo::exists(store),
                     "the window must not make an empty store over the runs");
        }
        QVERIFY(QFile::rename(aside, store));
    }

    // #25: a store deleted under an open window is noticed; repair brings the runs back to it.
    void storeDeletedUnderAnOpenWindowThenRepaired() {
        MainWindow w;
        w.show();
        w.openWorkspace(root);
        QTRY_VERIFY_WITH_TIMEOUT(experimentRows(w) > 0, 10000);
        QVERIFY(browserError(w).isEmpty());

        QVERIFY(QFile::remove(root + QStringLiteral("/labbench.db")));
        QTRY_VERIFY_WITH_TIMEOUT(browserError(w).contains(QStringLiteral("is missing")), 10000);

        const RepairReport report = repairWorkspace(root, {});
        QCOMPARE(report.kinds.size(), recordReaders().size());
        QTRY_VERIFY_WITH_TIMEOUT(browserError(w).isEmpty() && experimentRows(w) > 0, 10000);
    }
};

QTEST_MAIN(TestMissingStore)
#include "tst_missing_store.moc"
