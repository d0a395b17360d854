// The Models page and Register model (issue 6, item 7): the page's item model passes
// QAbstractItemModelTester through resets and refreshes; a real run made through the CLI is
// registered from its dashboard's Register model button — version 1, then 2 — and the new
// versions appear in the browser's Models node and on the Models page, whose source-run link
// opens the run's dashboard, and Download… copies a version out once; the register dialog checks
// the name and tags as the CLI does.
#include "tests/support/CliRunner.h"
#include "tests/ui/UiTestSupport.h"
#include "ui/browser/WorkspaceBrowser.h"
#include "core/live/ModelListModel.h"
#include "core/live/WorkspaceModel.h"
#include "ui/main/MainWindow.h"
#include "ui/models/ModelActions.h"
#include "ui/models/ModelsPage.h"
#include "ui/models/RegisterModelDialog.h"
#include "ui/run/RunDashboard.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace lb;
using namespace lb::ui;

namespace {

ModelVersion version(const QString& name, int v, const QString& run) {
    ModelVersion m;
    m.name = name;
    m.version = v;
    m.runId = run;
    m.created = QDateTime::currentDateTimeUtc().addSecs(v);
    m.tags.insert(QStringLiteral("v"), QString::number(v));
    m.description = QStringLiteral("version %1").arg(v);
    return m;
}

QPushButton* button(QWidget* parent, const QString& text) {
    for (QPushButton* b : parent->findChildren<QPushButton*>())
        if (b->text() == text) return b;
    return nullptr;
}

} // namespace

class TestModelsPage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void modelPassesTheTester();
    void registerDialogChecksNameAndTags();
    void registerFromACompletedRunGivesVersionsOneAndTwo();

private:
    QTemporaryDir tmp_;
    QString ws_;
    QString runId_;
};

void TestModelsPage::initTestCase() {
    // A real workspace and a real run through the labbench binary: the script writes a model
    // file and a checkpoint folder into ./outputs.
    ws_ = tmp_.filePath(QStringLiteral("ws"));
    QCOMPARE(runLabbench({QStringLiteral("workspace"), QStringLiteral("init"), ws_}).exitCode, 0);
    const QString src = tmp_.filePath(QStringLiteral("src"));
    test::writeFile(src + QStringLiteral("/train.py"),
                    "import os\n"
                    "os.makedirs('outputs/ckpt', exist_ok=True)\n"
                    "open('outputs/model.txt', 'w').write('weights v1')\n"
                    "open('outputs/ckpt/a.bin', 'wb').write(b'\\x00' * 100)\n"
                    "print('saved')\n");
    const CliResult r = runLabbench({QStringLiteral("--workspace"), ws_, QStringLiteral("submit"),
                                     QStringLiteral("--source"), src, QStringLiteral("--entry"),
                                     QStringLiteral("train.py"), QStringLiteral("--experiment"),
                                     QStringLiteral("mnist"), QStringLiteral("--wait")},
                                    src, QProcessEnvironment::systemEnvironment(), 120000);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    runId_ = QString::fromUtf8(r.out).section(QLatin1Char('\n'), 0, 0).trimmed();
    QVERIFY(!runId_.isEmpty());
}

void TestModelsPage::modelPassesTheTester() {
    ModelListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setVersions({version(QStringLiteral("b"), 1, QStringLiteral("r1")),
                       version(QStringLiteral("a"), 2, QStringLiteral("r2")),
                       version(QStringLiteral("a"), 1, QStringLiteral("r1"))});
    QCOMPARE(model.rowCount(), 3);
    // Sorted by name, then version.
    QCOMPARE(model.index(0, ModelListModel::NameColumn).data().toString(), QStringLiteral("a"));
    QCOMPARE(model.index(0, ModelListModel::VersionColumn).data().toString(), QStringLiteral("1"));
    QCOMPARE(model.index(2, ModelListModel::NameColumn).data().toString(), QStringLiteral("b"));
    QCOMPARE(model.index(1, ModelListModel::TagsColumn).data().toString(), QStringLiteral("v=2"));
    QCOMPARE(model.index(1, ModelListModel::RunColumn).data(ModelListModel::RunIdRole).toString(),
             QStringLiteral("r2"));
    QCOMPARE(model.index(1, ModelListModel::DescriptionColumn).data().toString(),
             QStringLiteral("version 2"));
    QVERIFY(!model.index(1, ModelListModel::RegisteredColumn).data().toString().isEmpty());
    QCOMPARE(model.rowOf(QStringLiteral("a")), 1); // newest
    QCOMPARE(model.rowOf(QStringLiteral("a"), 1), 0);
    QCOMPARE(model.rowOf(QStringLiteral("c")), -1);
    // Same versions with new tags: a refresh, no reset.
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    auto tagged = version(QStringLiteral("b"), 1, QStringLiteral("r1"));
    tagged.tags.insert(QStringLiteral("stage"), QStringLiteral("prod"));
    model.setVersions({version(QStringLiteral("a"), 1, QStringLiteral("r1")),
                       version(QStringLiteral("a"), 2, QStringLiteral("r2")), tagged});
    QCOMPARE(reset.size(), 0);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.index(2, ModelListModel::TagsColumn).data().toString(),
             QStringLiteral("stage=prod, v=1"));
    // A new version: reset. Then empty.
    model.setVersions({version(QStringLiteral("a"), 3, QStringLiteral("r3"))});
    QCOMPARE(reset.size(), 1);
    model.setVersions({});
    QCOMPARE(model.rowCount(), 0);
}

void TestModelsPage::registerDialogChecksNameAndTags() {
    const QList<RunFile> files = {{QStringLiteral("outputs/model.txt"), 10},
                                  {QStringLiteral("outputs/ckpt/a.bin"), 100},
                                  {QStringLiteral("logs/train.log"), 5}};
    RegisterModelDialog d(ws_, runId_, files, QStringLiteral("mnist"));
    // Only outputs are offered; nothing is chosen while there are several.
    QVERIFY(!d.choosePath(QStringLiteral("logs/train.log")));
    QVERIFY(d.chosenPath().isEmpty());
    QVERIFY(!d.registerButton()->isEnabled());
    QVERIFY(d.problem().contains(QLatin1String("Choose")));
    QVERIFY(d.choosePath(QStringLiteral("outputs/ckpt"))); // a folder is a model too
    QVERIFY(d.registerButton()->isEnabled());
    d.nameEdit()->setText(QStringLiteral("bad/name"));
    QVERIFY(!d.registerButton()->isEnabled());
    QVERIFY(d.nameEdit()->property("invalid").toBool());
    QVERIFY(!d.problem().isEmpty());
    d.nameEdit()->setText(QStringLiteral("-starts-with-dash"));
    QVERIFY(!d.registerButton()->isEnabled());
    d.nameEdit()->setText(QStringLiteral("mnist"));
    QVERIFY(d.registerButton()->isEnabled());
    d.tagsEdit()->setPlainText(QStringLiteral("framework=numpy\nno-equals-sign"));
    QVERIFY(!d.registerButton()->isEnabled());
    QVERIFY(d.tagsEdit()->property("invalid").toBool());
    d.tagsEdit()->setPlainText(QStringLiteral("framework=numpy\n\nstage=dev"));
    QVERIFY(d.registerButton()->isEnabled());
    QVERIFY(d.problem().isEmpty());
    d.show();
    QTest::qWait(50);
    const QString artifacts = QStringLiteral(LABBENCH_BIN_DIR "/../test-artifacts");
    QDir().mkpath(artifacts);
    QVERIFY(d.grab().save(artifacts + QStringLiteral("/register_model_dialog.png"), "PNG"));

    // A run with one output file gets it chosen, and with no experiment name to go by (the
    // dashboard gives none for "default"), the file's stem as the name (#23 item 13).
    RegisterModelDialog one(ws_, runId_, {{QStringLiteral("outputs/model.npz"), 3}});
    QCOMPARE(one.chosenPath(), QStringLiteral("outputs/model.npz"));
    QCOMPARE(one.nameEdit()->text(), QStringLiteral("model"));
    QVERIFY(one.registerButton()->isEnabled());
    QCOMPARE(RegisterModelDialog::nameFromPath(QStringLiteral("outputs/resnet50.weights.pt")),
             QStringLiteral("resnet50"));
    QCOMPARE(RegisterModelDialog::nameFromPath(QStringLiteral("outputs/ckpt")),
             QStringLiteral("ckpt"));
    QCOMPARE(RegisterModelDialog::nameFromPath(QStringLiteral("outputs/.hidden")), QString());
    // What the user types stays, whatever is chosen next.
    RegisterModelDialog several(ws_, runId_, files);
    QVERIFY(several.nameEdit()->text().isEmpty());
    QVERIFY(several.choosePath(QStringLiteral("outputs/model.txt")));
    QCOMPARE(several.nameEdit()->text(), QStringLiteral("model"));
    QTest::keyClicks(several.nameEdit(), QStringLiteral("-v2"));
    QVERIFY(several.choosePath(QStringLiteral("outputs/ckpt")));
    QCOMPARE(several.nameEdit()->text(), QStringLiteral("model-v2"));
}

void TestModelsPage::registerFromACompletedRunGivesVersionsOneAndTwo() {
    MainWindow w;
    w.openWorkspace(ws_);
    QVERIFY(QTest::qWaitFor([&] { return w.snapshot() != nullptr; }, 10000));
    RunDashboard* d = w.openRun(runId_);
    QVERIFY(d);
    QPushButton* reg = button(d, QStringLiteral("Register model"));
    QVERIFY(reg);
    QVERIFY(QTest::qWaitFor([&] { return d->detail() && reg->isEnabled(); }, 10000));
    QCOMPARE(toString(d->detail()->run.status), QStringLiteral("Completed"));
    QSignalSpy messages(d, &RunDashboard::message);

    RegisterModelDialog* dialog = nullptr;
    auto registerOnce = [&](const QString& path, const QString& tags) -> ModelVersion {
        reg->click();
        dialog = d->findChild<RegisterModelDialog*>();
        if (!dialog || !dialog->isVisible()) return {};
        QSignalSpy registered(dialog, &RegisterModelDialog::registered);
        if (dialog->nameEdit()->text() != QLatin1String("mnist")) // suggested from the experiment
            return {};
        if (!dialog->choosePath(path)) return {};
        dialog->tagsEdit()->setPlainText(tags);
        dialog->descriptionEdit()->setText(QStringLiteral("from the workbench"));
        if (!dialog->registerButton()->isEnabled()) return {};
        dialog->registerButton()->click();
        if (!registered.wait(20000)) return {};
        return registered.first().first().value<ModelVersion>();
    };
    const ModelVersion v1 =
        registerOnce(QStringLiteral("outputs/model.txt"), QStringLiteral("framework=numpy"));
    QCOMPARE(v1.version, 1);
    QCOMPARE(v1.name, QStringLiteral("mnist"));
    QCOMPARE(v1.runId, runId_);
    QCOMPARE(v1.sourcePath, QStringLiteral("outputs/model.txt"));
    QCOMPARE(v1.tags.value(QStringLiteral("framework")), QStringLiteral("numpy"));
    // The dialog stays to confirm: the new version, with a link to it (#23 item 13).
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->confirmationLabel()->isVisible());
    QVERIFY2(dialog->confirmationLabel()->text().contains(QStringLiteral("<b>mnist</b> version "
                                                                         "<b>1</b>")) &&
                 dialog->confirmationLabel()->text().contains(QStringLiteral("href=\"model:mnist:1\"")),
             qPrintable(dialog->confirmationLabel()->text()));
    QVERIFY(!dialog->registerButton()->isVisible()); // one registration per dialog
    QPushButton* close = button(dialog, QStringLiteral("Close"));
    QVERIFY(close);
    close->click();
    QVERIFY(QTest::qWaitFor([&] { return d->findChild<RegisterModelDialog*>() == nullptr; }, 5000));
    QVERIFY(messages.size() >= 1 &&
            messages.last().first().toString().contains(QLatin1String("mnist:1")));
    const ModelVersion v2 =
        registerOnce(QStringLiteral("outputs/ckpt"), QStringLiteral("stage=dev"));
    QCOMPARE(v2.version, 2);
    QCOMPARE(v2.size, 100);
    // Its link opens the Models page on the new version.
    emit dialog->confirmationLabel()->linkActivated(QStringLiteral("model:mnist:2"));
    auto* linked = qobject_cast<ModelsPage*>(w.tabs()->currentWidget());
    QVERIFY(linked);
    QVERIFY(QTest::qWaitFor([&] { return linked->selectedModel() == QLatin1String("mnist:2"); },
                            10000));
    QVERIFY(QTest::qWaitFor([&] { return d->findChild<RegisterModelDialog*>() == nullptr; }, 5000));
    w.tabs()->setCurrentWidget(d);
    // The copies are in the registry, apart from the run.
    QCOMPARE(QFile(v1.path).exists() || QDir(v1.path).exists(), true);

    // The browser's Models node shows mnist with both versions (store → watcher → tree).
    WorkspaceModel* m = w.workspaceModel();
    auto versionsInTree = [&] {
        QStringList keys;
        const QModelIndex models = m->index(2, 0);
        for (int r = 0; r < m->rowCount(models); ++r) {
            const QModelIndex model = m->index(r, 0, models);
            for (int v = 0; v < m->rowCount(model); ++v)
                keys.append(m->index(v, 0, model).data(WorkspaceModel::KeyRole).toString());
        }
        return keys;
    };
    QVERIFY(QTest::qWaitFor(
        [&] {
            return versionsInTree() ==
                   QStringList{QStringLiteral("mnist:1"), QStringLiteral("mnist:2")};
        },
        10000));

    // Activating version 2 in the browser opens the Models page on it.
    const QModelIndex models = m->index(2, 0);
    const QModelIndex v2Node = m->index(1, 0, m->index(0, 0, models));
    QTreeView* tree = w.browser()->view();
    auto* proxy = tree->model();
    QModelIndex v2InView;
    for (int r = 0; r < proxy->rowCount(proxy->index(2, 0)); ++r) {
        const QModelIndex model = proxy->index(r, 0, proxy->index(2, 0));
        for (int v = 0; v < proxy->rowCount(model); ++v)
            if (proxy->index(v, 0, model).data(WorkspaceModel::KeyRole) ==
                v2Node.data(WorkspaceModel::KeyRole))
                v2InView = proxy->index(v, 0, model);
    }
    QVERIFY(v2InView.isValid());
    emit tree->activated(v2InView);
    auto* page = qobject_cast<ModelsPage*>(w.tabs()->currentWidget());
    QVERIFY(page);
    QAbstractItemModelTester tester(page->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(QTest::qWaitFor([&] { return page->model()->rowCount() == 2; }, 10000));
    QVERIFY(
        QTest::qWaitFor([&] { return page->selectedModel() == QLatin1String("mnist:2"); }, 5000));
    QTableView* table = page->view();
    QCOMPARE(table->model()->index(0, ModelListModel::TagsColumn).data().toString(),
             QStringLiteral("framework=numpy"));
    QCOMPARE(table->model()->index(1, ModelListModel::DescriptionColumn).data().toString(),
             QStringLiteral("from the workbench"));
    // The source run by its one display name, its id in the tooltip (#23 item 10).
    QCOMPARE(table->model()->index(1, ModelListModel::RunColumn).data().toString(),
             QStringLiteral("run 1"));
    QVERIFY(table->model()->index(1, ModelListModel::RunColumn).data(Qt::ToolTipRole).toString().contains(runId_));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QString artifacts = QStringLiteral(LABBENCH_BIN_DIR "/../test-artifacts");
    QDir().mkpath(artifacts);
    QVERIFY(w.grab().save(artifacts + QStringLiteral("/models_page.png"), "PNG"));
    // The filter narrows the table.
    page->filter()->setText(QStringLiteral("stage=dev"));
    QCOMPARE(table->model()->rowCount(), 1);
    page->filter()->clear();
    QCOMPARE(table->model()->rowCount(), 2);
    // Download… copies the selected version out of the registry, once: a second copy into the
    // same folder is refused with the registry's reason, and the first copy is left whole.
    page->selectModel(QStringLiteral("mnist"), 1);
    QVERIFY(
        QTest::qWaitFor([&] { return page->selectedModel() == QLatin1String("mnist:1"); }, 5000));
    QVERIFY(page->downloadButton()->isEnabled());
    const QString into = tmp_.filePath(QStringLiteral("downloads"));
    QSignalSpy downloaded(page, &ModelsPage::downloaded);
    QSignalSpy downloadFailed(page, &ModelsPage::downloadFailed);
    page->downloadSelectedTo(into);
    QVERIFY(downloaded.wait(10000));
    const QString copy = downloaded.first().at(1).toString();
    QVERIFY2(copy.startsWith(into), qPrintable(copy));
    QFile copied(copy);
    QVERIFY(copied.open(QIODevice::ReadOnly));
    QCOMPARE(copied.readAll(), QByteArray("weights v1"));
    page->downloadSelectedTo(into);
    QVERIFY(downloadFailed.wait(10000));
    QVERIFY(!downloadFailed.first().at(1).toString().isEmpty());
    QVERIFY(copied.size() == 10);

    // The Models menu brings the same page back, not a second one.
    QCOMPARE(w.modelActions()->openModelsPage(), page);

    // The source-run link opens that run's dashboard.
    w.tabs()->setCurrentWidget(page);
    table->resizeColumnsToContents();
    const QModelIndex link = table->model()->index(0, ModelListModel::RunColumn);
    table->scrollTo(link);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(link).center());
    QCOMPARE(w.tabs()->currentWidget(), d);
}

QTEST_MAIN(TestModelsPage)
#include "tst_models_page.moc"
