// The forms and dialogs as a demanding user found them (#23), in a real workspace, offscreen:
// a passing mouse wheel changes no setting (item 1); script parameters are checked against the
// script's own argparse types and choices, and argument names too, before Submit (item 2); the
// red outline lands on the field at fault (item 6); messages use the form's labels and a new
// form is not red (item 9); the sweep form's rough edges (item 12); quitting with active runs
// says they keep going (item 14); a typed entry script is read as a drop is (item 14); Help has
// Getting started and the keyboard shortcuts (item 14). Pictures of the estimator form with a
// bad value and with it fixed are kept in test-artifacts/.
#include "core/lifecycle/RunLock.h"
#include "core/live/RunActions.h"
#include "core/live/SweepFormSpec.h"
#include "core/live/WorkspaceModel.h"
#include "core/live/WorkspaceSnapshot.h"
#include "core/runs/RunControl.h"
#include "core/runs/Submit.h"
#include "tests/ui/UiTestSupport.h"
#include "ui/common/AppStyle.h"
#include "ui/common/FormFooter.h"
#include "ui/common/WheelGuard.h"
#include "ui/compute/ComputeTargetDialog.h"
#include "ui/estimator/EstimatorForm.h"
#include "ui/estimator/ScriptParamsTable.h"
#include "ui/main/MainWindow.h"
#include "ui/sweep/ParameterSpaceTable.h"
#include "ui/sweep/SweepForm.h"

#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>
#include <QWheelEvent>
#include <QtTest/qtestspontaneevent.h>

using namespace lb;
using namespace lb::ui;

namespace {

const QByteArray kScript = R"py(import argparse
p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, default=0.05, help="learning rate")
p.add_argument("--epochs", type=int, default=2)
p.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
p.add_argument("--sizes", type=int, nargs="+", default=[1, 2])
p.add_argument("--verbose", action="store_true")
args = p.parse_args()
)py";

// A wheel turn over `w` as the window system delivers it (spontaneous: Qt passes it on to the
// parents while nobody accepts it).
void turnWheel(QWidget* w, int steps) {
    const QPointF at(w->width() / 2.0, w->height() / 2.0);
    QWheelEvent e(at, w->mapToGlobal(at), QPoint(), QPoint(0, -120 * steps), Qt::NoButton,
                  Qt::NoModifier, Qt::NoScrollPhase, false);
    QSpontaneKeyEvent::setSpontaneous(&e);
    qApp->notify(w, &e); // sendEvent() would make it a synthesized event again
}

int rowOf(const ScriptParamsTable* t, const QString& name) {
    for (int r = 0; r < t->rowCount(); ++r)
        if (t->table()->item(r, ScriptParamsTable::NameColumn)->text() == name) return r;
    return -1;
}

QList<QWidget*> marked(const QWidget* root) {
    QList<QWidget*> out;
    for (QWidget* w : root->findChildren<QWidget*>())
        if (w->property("invalid").toBool()) out.append(w);
    return out;
}

QComboBox* comboWithItem(const QWidget* root, const QString& item) {
    for (QComboBox* c : root->findChildren<QComboBox*>())
        if (c->findText(item) >= 0) return c;
    return nullptr;
}

QAction* menuAction(QMainWindow& w, const QString& text) {
    for (QAction* a : w.menuBar()->findChildren<QAction*>())
        if (QString(a->text()).remove(QLatin1Char('&')) == text) return a;
    return nullptr;
}

// Answers the next modal message box with the button labelled `button`; keeps its text (and,
// given a `picture` path, a picture of the box).
struct ModalAnswer {
    QTimer timer;
    QString text;
    explicit ModalAnswer(const QString& button, const QString& picture = {}) {
        timer.setInterval(20);
        QObject::connect(&timer, &QTimer::timeout, [this, button, picture] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box) return;
            timer.stop();
            text = box->text() + QLatin1Char('\n') + box->informativeText();
            if (!picture.isEmpty() && !box->grab().save(picture, "PNG")) text.clear();
            for (QAbstractButton* b : box->buttons())
                if (b->text() == button) b->click();
        });
        timer.start();
    }
};

} // namespace

class TestFormPolish : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void wheelChangesNoSettingWithoutFocus();
    void parametersAreCheckedAgainstTheScript();
    void theFieldAtFaultIsMarked();
    void messagesUseTheFormsLabelsAndANewFormIsNotRed();
    void sweepFormRoughEdges();
    void sweepParentIsNotCountedAsARun();
    void quittingWithActiveRunsSaysTheyKeepGoing();
    void typedEntryScriptIsReadAsADropIs();
    void helpHasGettingStartedAndShortcuts();
    void largeSnapshotIsAskedAboutBeforeSubmitting();

private:
    Estimator scriptEstimator() const {
        Estimator e;
        e.sourceDirectory = project_;
        e.entryScript = QStringLiteral("train.py");
        return e;
    }
    std::unique_ptr<QTemporaryDir> dir_;
    std::unique_ptr<Workspace> ws_;
    QString project_;
};

void TestFormPolish::initTestCase() {
    // As app/labbench sets up the application: its look (the pictures show the red marks) and
    // the wheel guard.
    applyAppStyle(*qApp);
    WheelGuard::install(*qApp);
}

void TestFormPolish::init() {
    dir_ = std::make_unique<QTemporaryDir>();
    ws_ = std::make_unique<Workspace>(
        Workspace::create(dir_->filePath(QStringLiteral("ws")), QStringLiteral("polish")));
    project_ = dir_->filePath(QStringLiteral("project"));
    test::writeFile(project_ + QStringLiteral("/train.py"), kScript);
}

void TestFormPolish::cleanup() {
    ws_.reset();
    dir_.reset();
}

void TestFormPolish::wheelChangesNoSettingWithoutFocus() { // #23 item 1
    EstimatorForm form(nullptr);
    form.resize(700, 360); // the page scrolls
    form.show();
    QVERIFY(QTest::qWaitForWindowActive(&form));
    QComboBox* backend = comboWithItem(&form, QStringLiteral("parameter_server"));
    QVERIFY(backend);
    auto* page = form.findChild<QScrollArea*>();
    QVERIFY(page && page->verticalScrollBar()->maximum() > 0);
    page->verticalScrollBar()->setValue(page->verticalScrollBar()->maximum() / 2);
    const int index = backend->currentIndex();
    const int scrolled = page->verticalScrollBar()->value();
    QCOMPARE(backend->focusPolicy(), Qt::StrongFocus);
    QVERIFY(!backend->hasFocus());
    turnWheel(backend, 3);
    QCOMPARE(backend->currentIndex(), index);
    QVERIFY2(page->verticalScrollBar()->value() > scrolled, "the page scrolls instead");
    // Spin boxes too, and every guarded field of the form has StrongFocus.
    for (QAbstractSpinBox* spin : form.findChildren<QAbstractSpinBox*>()) {
        QCOMPARE(spin->focusPolicy(), Qt::StrongFocus);
        auto* box = qobject_cast<QSpinBox*>(spin);
        if (!box || !box->isVisible()) continue;
        const int before = box->value();
        turnWheel(box, -2); // up: a spin box would count up
        QCOMPARE(box->value(), before);
    }
    // With the focus, the wheel is the field's again.
    backend->setFocus();
    QVERIFY(QTest::qWaitFor([&] { return backend->hasFocus(); }, 2000));
    turnWheel(backend, 1);
    QCOMPARE(backend->currentIndex(), index + 1);

    // The sweep form's own combo boxes and spin boxes, the parameter table's included.
    SweepForm sweep{QString()};
    SweepFormData f;
    f.parameters = {{QStringLiteral("--lr"), QStringLiteral("uniform"), QStringLiteral("0, 1")}};
    sweep.setFormData(f);
    sweep.resize(800, 400);
    sweep.show();
    QVERIFY(QTest::qWaitForWindowActive(&sweep));
    auto* expression = qobject_cast<QComboBox*>(sweep.parameterTable()->table()->cellWidget(0, 1));
    QVERIFY(expression);
    QCOMPARE(expression->focusPolicy(), Qt::StrongFocus);
    turnWheel(expression, 1);
    QCOMPARE(expression->currentText(), QStringLiteral("uniform"));
    QComboBox* method = comboWithItem(&sweep, QStringLiteral("Grid (choices only)"));
    QVERIFY(method);
    const int methodIndex = method->currentIndex();
    turnWheel(method, 1);
    QCOMPARE(method->currentIndex(), methodIndex);
}

void TestFormPolish::parametersAreCheckedAgainstTheScript() { // #23 item 2
    RunActions actions(ws_->root());
    EstimatorForm form(&actions);
    form.setEstimator(scriptEstimator(), true);
    form.resize(1000, 800);
    form.show();
    QVERIFY(QTest::qWaitFor([&] { return form.argumentsRead(); }, 10000));
    ScriptParamsTable* params = form.paramsTable();
    QCOMPARE(params->rowCount(), 5);
    form.validateNow();
    QVERIFY2(form.validationError().isEmpty(), qPrintable(form.validationError()));
    QVERIFY(form.submitButton()->isEnabled());
    // nargs="+": one word a value, as argparse wants them.
    QVERIFY2(form.estimator().scriptParams.join(u' ').contains(QStringLiteral("--sizes 1 2")),
             qPrintable(form.estimator().scriptParams.join(u' ')));

    QTableWidget* t = params->table();
    const int epochs = rowOf(params, QStringLiteral("--epochs"));
    QVERIFY(epochs >= 0);
    t->item(epochs, ScriptParamsTable::ValueColumn)->setText(QStringLiteral("abc"));
    form.validateNow();
    QVERIFY2(form.validationError().contains(QStringLiteral("--epochs takes a whole number (int), "
                                                            "not “abc”")),
             qPrintable(form.validationError()));
    QVERIFY(!form.submitButton()->isEnabled());
    QCOMPARE(form.footer()->error(), form.validationError()); // in red: a value was typed
    QTableWidgetItem* bad = t->item(epochs, ScriptParamsTable::ValueColumn);
    QCOMPARE(bad->background().color(), QColor(0xff, 0xeb, 0xe9));
    QCOMPARE(bad->toolTip(), form.validationError());
    QCOMPARE(t->item(epochs, ScriptParamsTable::NameColumn)->background().style(), Qt::NoBrush);
    QVERIFY(t->property("invalid").toBool());
    // The picture of a bad value, then of the same form fixed.
    const QString artifacts = QStringLiteral(LABBENCH_BIN_DIR "/../test-artifacts");
    QDir().mkpath(artifacts);
    QTest::qWait(100);
    QVERIFY(form.grab().save(artifacts + QStringLiteral("/estimator_form_bad_value.png"), "PNG"));

    t->item(epochs, ScriptParamsTable::ValueColumn)->setText(QStringLiteral("3"));
    const int lr = rowOf(params, QStringLiteral("--lr"));
    t->item(lr, ScriptParamsTable::ValueColumn)->setText(QStringLiteral("fast"));
    form.validateNow();
    QVERIFY2(form.validationError().contains(QStringLiteral("--lr takes a number (float), not "
                                                            "“fast”")),
             qPrintable(form.validationError()));
    QCOMPARE(t->item(epochs, ScriptParamsTable::ValueColumn)->background().style(), Qt::NoBrush);
    for (const char* number : {"1e-3", "-.5", "inf", "2"}) {
        t->item(lr, ScriptParamsTable::ValueColumn)->setText(QString::fromLatin1(number));
        form.validateNow();
        QVERIFY2(form.validationError().isEmpty(), number);
    }

    const int optimizer = rowOf(params, QStringLiteral("--optimizer"));
    t->item(optimizer, ScriptParamsTable::ValueColumn)->setText(QStringLiteral("adagrad"));
    form.validateNow();
    QVERIFY2(form.validationError().contains(QStringLiteral("--optimizer takes one of sgd, adam, "
                                                            "not “adagrad”")),
             qPrintable(form.validationError()));
    t->item(optimizer, ScriptParamsTable::ValueColumn)->setText(QStringLiteral("adam"));
    const int sizes = rowOf(params, QStringLiteral("--sizes"));
    t->item(sizes, ScriptParamsTable::ValueColumn)->setText(QStringLiteral("4 x"));
    form.validateNow();
    QVERIFY2(form.validationError().contains(QStringLiteral("--sizes takes a whole number (int), "
                                                            "not “x”")),
             qPrintable(form.validationError()));
    t->item(sizes, ScriptParamsTable::ValueColumn)->setText(QStringLiteral("4 8"));

    // An argument name with a space: its Argument cell is marked, Submit waits.
    params->addRow(QStringLiteral("learning rate"), QStringLiteral("0.1"));
    form.validateNow();
    QVERIFY2(form.validationError().contains(QStringLiteral("“learning rate” is not an argument "
                                                            "name")) &&
                 form.validationError().contains(QStringLiteral("--learning-rate")),
             qPrintable(form.validationError()));
    QCOMPARE(t->item(params->rowCount() - 1, ScriptParamsTable::NameColumn)->background().color(),
             QColor(0xff, 0xeb, 0xe9));
    QVERIFY(!form.submitButton()->isEnabled());
    // A name without its dashes, and a new row left at "--".
    t->item(params->rowCount() - 1, ScriptParamsTable::NameColumn)->setText(QStringLiteral("seed"));
    form.validateNow();
    QVERIFY2(form.validationError().contains(QStringLiteral("needs its leading --")),
             qPrintable(form.validationError()));
    t->item(params->rowCount() - 1, ScriptParamsTable::NameColumn)->setText(QStringLiteral("--"));
    form.validateNow();
    QVERIFY2(form.validationError().contains(QStringLiteral("give the new argument a name")),
             qPrintable(form.validationError()));
    params->table()->selectRow(params->rowCount() - 1);
    params->removeSelected();
    form.validateNow();
    QVERIFY2(form.validationError().isEmpty(), qPrintable(form.validationError()));
    QVERIFY(form.submitButton()->isEnabled());
    QTest::qWait(100);
    QVERIFY(form.grab().save(artifacts + QStringLiteral("/estimator_form_fixed.png"), "PNG"));
}

void TestFormPolish::theFieldAtFaultIsMarked() { // #23 item 6
    EstimatorForm form(nullptr);
    Estimator e = scriptEstimator();
    e.entryScript = QStringLiteral("missing.py");
    form.setEstimator(e);
    QList<QWidget*> red = marked(&form);
    QCOMPARE(red.size(), 1);
    QVERIFY2(qobject_cast<QComboBox*>(red.first()) &&
                 qobject_cast<QComboBox*>(red.first())->isEditable(),
             "the Entry script box, not the Source folder");
    QVERIFY(red.first()->toolTip().startsWith(QStringLiteral("Entry script")));
    // A missing entry script, once Submit asked: still the entry script, not the source folder
    // its message mentions.
    e.entryScript.clear();
    form.setEstimator(e);
    form.submit();
    red = marked(&form);
    QCOMPARE(red.size(), 1);
    QVERIFY(qobject_cast<QComboBox*>(red.first()));
    QVERIFY2(form.validationError().startsWith(QStringLiteral("Entry script is missing")),
             qPrintable(form.validationError()));

    // A bad range in the sweep form: its Arguments cell, not its Parameter cell.
    SweepForm sweep{QString()};
    SweepFormData f;
    f.parameters = {
        {QStringLiteral("--lr"), QStringLiteral("uniform"), QStringLiteral("0.9, 0.1")}};
    f.metric = QStringLiteral("loss");
    f.maxTotalRuns = 4;
    sweep.setFormData(f);
    QTableWidget* table = sweep.parameterTable()->table();
    QVERIFY(table->item(0, 2)->background().style() != Qt::NoBrush);
    QVERIFY(table->item(0, 2)->toolTip().contains(QStringLiteral("low below high")));
    QCOMPARE(table->item(0, 0)->background().style(), Qt::NoBrush);
    QVERIFY(table->item(0, 0)->toolTip().isEmpty());
    // A missing name is the Parameter cell's.
    f.parameters = {{QString(), QStringLiteral("uniform"), QStringLiteral("0.1, 0.9")}};
    sweep.setFormData(f);
    QVERIFY(table->item(0, 0)->background().style() != Qt::NoBrush);
    QCOMPARE(table->item(0, 2)->background().style(), Qt::NoBrush);
}

void TestFormPolish::messagesUseTheFormsLabelsAndANewFormIsNotRed() { // #23 item 9
    RunActions actions(ws_->root());
    EstimatorForm form(&actions);
    form.setEstimator(Estimator()); // what File → New estimator does
    form.show();
    QVERIFY(QTest::qWaitForWindowActive(&form));
    // Untouched: nothing red, a grey hint in the form's words, Submit waiting.
    QVERIFY(marked(&form).isEmpty());
    QVERIFY(form.footer()->error().isEmpty());
    QVERIFY2(form.footer()->hint().startsWith(QStringLiteral("Source folder is missing.")),
             qPrintable(form.footer()->hint()));
    QVERIFY(!form.submitButton()->isEnabled());
    for (const char* key : {"source_directory", "\"source", "--source"})
        QVERIFY2(!form.validationError().contains(QLatin1String(key)),
                 qPrintable(form.validationError()));
    // Once the user has been to Source folder and left it, it is red.
    QLineEdit* source = nullptr;
    for (QLineEdit* e : form.findChildren<QLineEdit*>())
        if (e->placeholderText().contains(QStringLiteral("snapshotted"))) source = e;
    QVERIFY(source);
    source->setFocus();
    QVERIFY(QTest::qWaitFor([&] { return source->hasFocus(); }, 2000));
    QVERIFY(!source->property("invalid").toBool()); // not while the user is there
    QComboBox* framework = comboWithItem(&form, QStringLiteral("PyTorch"));
    framework->setFocus();
    QVERIFY(QTest::qWaitFor([&] { return source->property("invalid").toBool(); }, 2000));
    QCOMPARE(form.footer()->error(), form.validationError());

    // The distribution fields by their labels.
    Estimator e = scriptEstimator();
    e.distributedBackend = QStringLiteral("parameter_server");
    e.parameterServerCount = 0;
    form.setEstimator(e);
    QVERIFY2(form.validationError().startsWith(QStringLiteral("Parameter servers is 0")) &&
                 form.validationError().contains(QStringLiteral("Set Parameter servers to 1 or "
                                                                "more")),
             qPrintable(form.validationError()));
    QVERIFY(qobject_cast<QSpinBox*>(marked(&form).value(0)));
    e.distributedBackend = QStringLiteral("none");
    e.parameterServerCount = 2;
    form.setEstimator(e);
    QVERIFY2(form.validationError().contains(QStringLiteral("Set Backend to \"parameter_server\" "
                                                            "or set Parameter servers to 0")),
             qPrintable(form.validationError()));

    // The sweep form's parser messages: the table's words, no JSON.
    SweepForm sweep{QString()};
    SweepFormData f;
    f.parameters = {{QStringLiteral("--lr"), QStringLiteral("uniform"), QStringLiteral("1, 0")}};
    f.metric = QStringLiteral("loss");
    f.maxTotalRuns = 4;
    sweep.setFormData(f);
    QVERIFY2(sweep.validationError().startsWith(QStringLiteral("--lr: uniform needs low below high;"
                                                               " give Arguments like 0.0, 1.0")),
             qPrintable(sweep.validationError()));
    QVERIFY(!sweep.validationError().contains(QLatin1Char('{')));
    // A new sweep form is not red either.
    SweepForm fresh{ws_->root()};
    fresh.setEstimator(Estimator());
    fresh.validateNow();
    QVERIFY(marked(&fresh).isEmpty());
    QVERIFY(fresh.footer()->error().isEmpty());
    QVERIFY2(!fresh.footer()->hint().isEmpty(), "it says what Submit waits for");
    QVERIFY(!fresh.submitButton()->isEnabled());
    // Nor a new compute target dialog: its blank Name and Host wait for the user.
    ComputeTargetDialog target(ws_->root(), QStringLiteral("ssh"), {QStringLiteral("local")});
    target.show();
    QVERIFY(marked(&target).isEmpty());
    QVERIFY(target.problemShown(QStringLiteral("name")).isEmpty());
    QVERIFY(!target.saveButton()->isEnabled());
    target.setValue(QStringLiteral("host"), QString()); // the user was there and left it blank
    QVERIFY(!target.problemShown(QStringLiteral("host")).isEmpty());
    QVERIFY(target.editor(QStringLiteral("host"))->property("invalid").toBool());
}

void TestFormPolish::sweepFormRoughEdges() { // #23 item 12
    // File → New sweep: one new tab, the sweep form, named as a sweep; no estimator tab.
    MainWindow w;
    w.openWorkspace(ws_->root());
    const int before = w.tabs()->count();
    QAction* newSweep = menuAction(w, QStringLiteral("New sweep"));
    QVERIFY(newSweep);
    newSweep->trigger();
    QCOMPARE(w.tabs()->count(), before + 1);
    auto* form = qobject_cast<SweepForm*>(w.tabs()->currentWidget());
    QVERIFY(form);
    QCOMPARE(w.tabs()->tabText(w.tabs()->currentIndex()), QStringLiteral("New sweep"));
    for (int i = 0; i < w.tabs()->count(); ++i)
        QVERIFY(!qobject_cast<EstimatorForm*>(w.tabs()->widget(i)));
    form->setEstimator(scriptEstimator());
    QCOMPARE(w.tabs()->tabText(w.tabs()->currentIndex()), QStringLiteral("Sweep · train.py"));

    // The placeholder of the primary metric reads as a hint, not a name.
    QVERIFY2(form->metricEdit()->placeholderText().contains(QStringLiteral("e.g.")),
             qPrintable(form->metricEdit()->placeholderText()));
    QVERIFY(form->metricEdit()->text().isEmpty());

    // Seed means nothing to Grid; the combinations stand beside Max total runs.
    SweepFormData f;
    f.parameters = {
        {QStringLiteral("--batch"), QStringLiteral("choice"), QStringLiteral("64, 128")},
        {QStringLiteral("--act"), QStringLiteral("choice"), QStringLiteral("relu, tanh, gelu")}};
    f.method = QStringLiteral("grid");
    f.seed = 5;
    f.metric = QStringLiteral("loss");
    form->setFormData(f);
    QVERIFY(!form->seedBox()->isEnabled());
    QVERIFY(!form->formData().seed.has_value());
    QVERIFY2(form->combinationsText().contains(QStringLiteral("6 combinations")),
             qPrintable(form->combinationsText()));
    f.method = QStringLiteral("random");
    f.parameters.append(
        {QStringLiteral("--lr"), QStringLiteral("uniform"), QStringLiteral("0, 1")});
    f.maxTotalRuns = 4;
    form->setFormData(f);
    QVERIFY(form->seedBox()->isEnabled());
    QCOMPARE(form->formData().seed, std::optional<qint64>(5));
    QVERIFY2(form->combinationsText().contains(QStringLiteral("continuous")),
             qPrintable(form->combinationsText()));

    // The sweep lands in the estimator's experiment: its own, else "default" like its runs.
    QVERIFY2(form->check().ok(), qPrintable(form->check().first()));
    QCOMPARE(form->check().spec->experiment, QStringLiteral("default"));
    Estimator named = scriptEstimator();
    named.experiment = QStringLiteral("mnist");
    form->setEstimator(named);
    form->validateNow();
    QCOMPARE(form->check().spec->experiment, QStringLiteral("mnist"));
}

void TestFormPolish::sweepParentIsNotCountedAsARun() { // #23 item 12
    const RunRecord parent = test::addRun(*ws_, QStringLiteral("tune"), RunStatus::Running);
    for (int i = 0; i < 3; ++i) {
        const RunRecord child = test::addRun(*ws_, QStringLiteral("tune"), RunStatus::Completed);
        ws_->store().runs().setParent(child.id, parent.id);
    }
    test::addRun(*ws_, QStringLiteral("plain"), RunStatus::Completed);
    WorkspaceModel model;
    model.setSnapshot(std::make_shared<WorkspaceSnapshot>(WorkspaceSnapshot::load(*ws_)));
    const QModelIndex experiments = model.index(0, 0);
    QStringList counts;
    for (int r = 0; r < model.rowCount(experiments); ++r)
        counts.append(model.index(r, 0, experiments).data().toString() + QLatin1Char('=') +
                      model.index(r, WorkspaceModel::StatusColumn, experiments).data().toString());
    counts.sort();
    QCOMPARE(counts,
             (QStringList{QStringLiteral("plain=1 run"), QStringLiteral("tune=3 runs · 1 sweep")}));
}

void TestFormPolish::quittingWithActiveRunsSaysTheyKeepGoing() { // #23 item 14
    const RunRecord run = test::addRun(*ws_, QStringLiteral("live"), RunStatus::Running);
    // The run's supervisor, as far as the window can tell: its lock is held.
    auto lock = RunLock::tryAcquire(run.runDir + QStringLiteral("/supervisor.lock"));
    QVERIFY(lock.has_value());
    MainWindow w;
    w.openWorkspace(ws_->root());
    w.show();
    QVERIFY(QTest::qWaitFor([&] { return w.snapshot() && w.snapshot()->running == 1; }, 10000));
    {
        ModalAnswer stay(QStringLiteral("Keep the window open"));
        QVERIFY(!w.close());
        QVERIFY(w.isVisible());
        QVERIFY2(stay.text.contains(QStringLiteral("1 run still active")) &&
                     stay.text.contains(QStringLiteral("keep running after Labbench closes")) &&
                     stay.text.contains(QDir::toNativeSeparators(ws_->root())) &&
                     stay.text.contains(QStringLiteral("runs list")),
                 qPrintable(stay.text));
    }
    {
        ModalAnswer quit(QStringLiteral("Quit"));
        QVERIFY(w.close());
        QVERIFY(!w.isVisible());
        QVERIFY(!quit.text.isEmpty());
    }
    // Nothing active: the window closes without a word.
    ws_->store().runs().transition(run.id, RunStatus::Finalizing);
    ws_->store().runs().transition(run.id, RunStatus::Completed);
    MainWindow quiet;
    quiet.openWorkspace(ws_->root());
    quiet.show();
    QVERIFY(QTest::qWaitFor([&] { return quiet.snapshot() != nullptr; }, 10000));
    QCOMPARE(quiet.snapshot()->running + quiet.snapshot()->queued, 0);
    QVERIFY(quiet.close());
}

void TestFormPolish::typedEntryScriptIsReadAsADropIs() { // #23 item 14
    EstimatorForm form(nullptr);
    Estimator e;
    e.sourceDirectory = project_;
    form.setEstimator(e);
    form.show();
    QVERIFY(QTest::qWaitForWindowActive(&form));
    QComboBox* entry = nullptr;
    for (QComboBox* c : form.findChildren<QComboBox*>())
        if (c->isEditable() && c->findText(QStringLiteral("local")) < 0) entry = c;
    QVERIFY(entry);
    entry->setFocus();
    QTest::keyClicks(entry->lineEdit(), QStringLiteral("train.py"));
    QVERIFY(QTest::qWaitFor([&] { return form.paramsTable()->rowCount() == 5; }, 10000));
    QVERIFY(form.argumentsRead());
    QVERIFY2(form.argumentsStatus().contains(QStringLiteral("read from train.py")),
             qPrintable(form.argumentsStatus()));
    QCOMPARE(form.estimator().scriptParams.mid(0, 4),
             (QStringList{"--lr", "0.05", "--epochs", "2"}));
    // A loaded estimator keeps its own parameters: only typing reads the script.
    EstimatorForm loaded(nullptr);
    Estimator own = scriptEstimator();
    own.scriptParams = {QStringLiteral("--lr"), QStringLiteral("0.5")};
    loaded.setEstimator(own);
    QTest::qWait(800);
    QCOMPARE(loaded.estimator().scriptParams, own.scriptParams);
}

void TestFormPolish::helpHasGettingStartedAndShortcuts() { // #23 item 14
    MainWindow w;
    QAction* start = menuAction(w, QStringLiteral("Getting started"));
    QAction* keys = menuAction(w, QStringLiteral("Keyboard shortcuts"));
    QVERIFY(start && keys);
    QCOMPARE(start->shortcut(), QKeySequence(QKeySequence::HelpContents));
    start->trigger();
    keys->trigger();
    auto text = [](const QString& name) {
        for (QWidget* top : QApplication::topLevelWidgets())
            if (top->objectName() == name && top->isVisible())
                if (auto* browser = top->findChild<QTextBrowser*>()) return browser->toPlainText();
        return QString();
    };
    const QString guide = text(QStringLiteral("gettingStarted"));
    QVERIFY2(guide.contains(QStringLiteral("Drop a training script")) &&
                 guide.contains(QStringLiteral("Submit")),
             qPrintable(guide));
    const QString shortcuts = text(QStringLiteral("keyboardShortcuts"));
    // Read from the menus: each key the page names is one the menus really have.
    const QString newKey = QKeySequence(QKeySequence::New).toString(QKeySequence::NativeText);
    QVERIFY2(shortcuts.contains(QStringLiteral("File → New estimator")) &&
                 shortcuts.contains(newKey) &&
                 shortcuts.contains(QStringLiteral("Runs → Runs table")) &&
                 shortcuts.contains(QStringLiteral("Ctrl+Shift+R")),
             qPrintable(shortcuts));
}

// #23 item 4 in the window: the CLI warned of a large snapshot, the form's Submit said nothing.
void TestFormPolish::largeSnapshotIsAskedAboutBeforeSubmitting() {
    // 60 MB of weights beside the script, as a sparse file: the snapshot counts its apparent
    // size (tst_snapshot::sparseFilesCountAtTheirApparentSize), as the copy takes it.
    QFile weights(project_ + QStringLiteral("/weights.bin"));
    QVERIFY(weights.open(QIODevice::WriteOnly));
    QVERIFY(weights.resize(qint64(60) * 1024 * 1024));
    weights.close();
    RunActions actions(ws_->root());
    EstimatorForm form(&actions);
    form.setEstimator(scriptEstimator(), true);
    form.show();
    QVERIFY(QTest::qWaitFor([&] { return form.argumentsRead(); }, 10000));
    QSignalSpy submitted(&form, &EstimatorForm::submitted);
    // The CLI's sentence, from the same core function.
    const QString warning = submitSnapshotWarning(*ws_, form.estimator());
    QVERIFY2(warning.contains(QStringLiteral("is large: 60 MB in 2 files")), qPrintable(warning));

    // Cancel: nothing is submitted, nothing is written, and Submit is back.
    {
        const QString artifacts = QStringLiteral(LABBENCH_BIN_DIR "/../test-artifacts");
        QDir().mkpath(artifacts);
        ModalAnswer cancel(QStringLiteral("Cancel"),
                           artifacts + QStringLiteral("/large_snapshot_question.png"));
        form.submit();
        QVERIFY(QTest::qWaitFor([&] { return !cancel.text.isEmpty(); }, 10000));
        QVERIFY2(cancel.text.startsWith(warning), qPrintable(cancel.text));
        QVERIFY(cancel.text.contains(QStringLiteral("weights.bin (60 MB)")));
        QVERIFY(cancel.text.contains(QStringLiteral(".labbenchignore")));
    }
    QVERIFY(QTest::qWaitFor([&] { return !form.footer()->submitting(); }, 5000));
    QCoreApplication::processEvents();
    QCOMPARE(submitted.count(), 0);
    QVERIFY(ws_->store().runs().list().isEmpty());
    QVERIFY(QDir(ws_->runsDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty());
    QVERIFY(form.submitButton()->isEnabled());
    QCOMPARE(form.submitButton()->text(), QStringLiteral("Submit"));

    // Submit anyway: the run is submitted with the whole folder.
    {
        ModalAnswer anyway(QStringLiteral("Submit anyway"));
        form.submit();
        QVERIFY(QTest::qWaitFor([&] { return !anyway.text.isEmpty(); }, 10000));
        QVERIFY(QTest::qWaitFor([&] { return submitted.count() == 1; }, 30000));
    }
    const QString runId = submitted.first().first().toString();
    const RunRecord run = waitForRun(*ws_, runId, {}, 50, 30000);
    QVERIFY2(run.status == RunStatus::Completed, qPrintable(run.reason));
    QCOMPARE(QFileInfo(run.runDir + QStringLiteral("/snapshot/weights.bin")).size(),
             qint64(60) * 1024 * 1024);

    // A small folder is submitted without a question.
    QVERIFY(QFile::remove(project_ + QStringLiteral("/weights.bin")));
    form.submit();
    QVERIFY(QTest::qWaitFor([&] { return submitted.count() == 2; }, 30000));
    QVERIFY(!QApplication::activeModalWidget());
    waitForRun(*ws_, submitted.at(1).first().toString(), {}, 50, 30000);
}

QTEST_MAIN(TestFormPolish)
#include "tst_form_polish.moc"
