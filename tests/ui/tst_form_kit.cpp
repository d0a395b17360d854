// The form toolkit in ui/common (issue 21, item 2) that EstimatorForm, SweepForm,
// ComputeTargetDialog and RegisterModelDialog share: marking a field invalid sets its `invalid`
// property and tooltip and the app's style draws it red at once (and clears it again, only for
// the fields a check marked); the footer's error banner shows and hides with its text; Save JSON
// then Load JSON round-trip through a real file, a refused file shows its reason and changes
// nothing, and the Save button's file dialog proposes the form's path; Submit reads
// "Submitting…" until its own answer comes; the page stacks sections from the top, and a
// section's rows carry their labels.
#include "core/util/Json.h"
#include "ui/common/AppStyle.h"
#include "ui/common/FieldMarks.h"
#include "ui/common/FormFooter.h"
#include "ui/common/FormPage.h"
#include "ui/common/FormSection.h"

#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace lb;
using namespace lb::ui;

namespace {

// The colour drawn inside `field`, right of its (empty) text and left of its border.
QColor fillOf(QWidget* field) {
    const QImage image = field->grab().toImage();
    return image.pixelColor(image.width() - 6, image.height() / 2);
}

QPushButton* buttonLabelled(QWidget* parent, const QString& text) {
    for (QPushButton* b : parent->findChildren<QPushButton*>())
        if (b->text() == text) return b;
    return nullptr;
}

} // namespace

class TestFormKit : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void markingAFieldSetsItsPropertyTooltipAndStyle();
    void clearingMarksOnlyTheFieldsThisCheckMarked();
    void errorBannerShowsAndHidesWithItsText();
    void saveThenLoadRoundTripsThroughARealFile();
    void aRefusedFileShowsItsReasonAndChangesNothing();
    void saveButtonAsksForAFileWhereTheFormSays();
    void submitWaitsForItsOwnAnswer();
    void extraActionsStandBeforeLoadSaveAndSubmit();
    void pageStacksSectionsFromTheTop();
    void sectionRowsCarryTheirLabels();
};

void TestFormKit::initTestCase() {
    applyAppStyle(*qApp);
}

void TestFormKit::markingAFieldSetsItsPropertyTooltipAndStyle() { // #21
    QLineEdit field;
    field.resize(200, 30);
    field.show();
    const QColor plain = fillOf(&field);
    markField(&field, QStringLiteral("port: 99999 is not a port; give 1 to 65535."));
    QVERIFY(field.property("invalid").toBool());
    QCOMPARE(field.toolTip(), QStringLiteral("port: 99999 is not a port; give 1 to 65535."));
    // The style sheet's [invalid="true"] rule applies straight away (the restyle happened).
    QCOMPARE(fillOf(&field), QColor(0xff, 0xf5, 0xf5));
    QVERIFY(plain != QColor(0xff, 0xf5, 0xf5));
    markField(&field, QString());
    QVERIFY(!field.property("invalid").toBool());
    QVERIFY(field.toolTip().isEmpty());
    QCOMPARE(fillOf(&field), plain);
}

void TestFormKit::clearingMarksOnlyTheFieldsThisCheckMarked() { // #21
    QLineEdit first, second, elsewhere;
    markField(&elsewhere, QStringLiteral("marked by another check"));
    FieldMarks marks;
    marks.mark(&first, QStringLiteral("first is wrong"));
    marks.mark(&second, QStringLiteral("second is wrong"));
    QVERIFY(first.property("invalid").toBool());
    QCOMPARE(second.toolTip(), QStringLiteral("second is wrong"));
    marks.clear();
    QVERIFY(!first.property("invalid").toBool());
    QVERIFY(!second.property("invalid").toBool());
    QVERIFY(second.toolTip().isEmpty());
    QVERIFY(elsewhere.property("invalid").toBool());
    // A second clear has nothing left to undo.
    markField(&first, QStringLiteral("marked by hand"));
    marks.clear();
    QVERIFY(first.property("invalid").toBool());
}

void TestFormKit::errorBannerShowsAndHidesWithItsText() { // #21
    FormFooter footer(QStringLiteral("Submit"));
    footer.show();
    QLabel* banner = footer.errorLabel();
    QCOMPARE(banner->objectName(), QStringLiteral("errorBanner"));
    QVERIFY(!banner->isVisible());
    footer.setError(QStringLiteral("entry_script: train.py does not exist."));
    QVERIFY(banner->isVisible());
    QCOMPARE(footer.error(), QStringLiteral("entry_script: train.py does not exist."));
    footer.setError(QString());
    QVERIFY(!banner->isVisible());
    QVERIFY(footer.error().isEmpty());
}

void TestFormKit::saveThenLoadRoundTripsThroughARealFile() { // #21
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("form.json"));
    FormFooter footer(QStringLiteral("Submit"));
    QSignalSpy messages(&footer, &FormFooter::message);
    const Json saved = Json::parse(R"({"entry_script": "train.py", "node_count": 2,
                                       "script_params": ["--lr", "0.1"]})");
    QVERIFY(footer.saveJson(path, [&] { return saved; }));
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.takeFirst().at(0).toString(), QStringLiteral("Saved form.json"));
    QVERIFY(QFileInfo(path).size() > 0);

    Json loaded;
    QVERIFY(footer.loadJson(path, [&] { loaded = readJsonFile(path); }));
    QCOMPARE(QString::fromStdString(loaded.dump()), QString::fromStdString(saved.dump()));
    QCOMPARE(messages.takeFirst().at(0).toString(), QStringLiteral("Loaded form.json"));
    QVERIFY(footer.error().isEmpty());
}

void TestFormKit::aRefusedFileShowsItsReasonAndChangesNothing() { // #21
    QTemporaryDir dir;
    const QString broken = dir.filePath(QStringLiteral("broken.json"));
    QFile f(broken);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"entry_script\": ");
    f.close();
    FormFooter footer(QStringLiteral("Submit"));
    footer.show();
    QSignalSpy messages(&footer, &FormFooter::message);
    bool applied = false;
    QVERIFY(!footer.loadJson(broken, [&] {
        readJsonFile(broken);
        applied = true;
    }));
    QVERIFY(!applied);
    QVERIFY2(footer.error().contains(QStringLiteral("broken.json")), qPrintable(footer.error()));
    QVERIFY(messages.isEmpty());
    // A file that cannot be written: the reason, and nothing claims it was saved.
    const QString nowhere = dir.filePath(QStringLiteral("missing/folder/form.json"));
    footer.setError(QString());
    QVERIFY(!footer.saveJson(nowhere, [] { return Json::object(); }));
    QVERIFY(!footer.error().isEmpty());
    QVERIFY(messages.isEmpty());
    QVERIFY(!QFileInfo::exists(nowhere));
}

void TestFormKit::saveButtonAsksForAFileWhereTheFormSays() { // #21
    QTemporaryDir dir;
    const QString proposed = dir.filePath(QStringLiteral("estimator.json"));
    FormFooter footer(QStringLiteral("Submit"));
    footer.setJsonFiles({QStringLiteral("Load estimator"), QStringLiteral("Save estimator"),
                         QStringLiteral("Estimator JSON (*.json)"), [&] { return dir.path(); },
                         [&] { return proposed; }});
    footer.show();
    QSignalSpy chosen(&footer, &FormFooter::saveChosen);
    QStringList offered;
    QString caption;
    // The dialog is modal: answer it from a timer once it is up.
    QTimer answer;
    answer.setInterval(20);
    connect(&answer, &QTimer::timeout, this, [&] {
        auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
        if (!dialog) return;
        answer.stop();
        caption = dialog->windowTitle();
        offered = dialog->selectedFiles();
        static_cast<QDialog*>(dialog)->accept(); // public there, as the OK button uses it
    });
    answer.start();
    QPushButton* save = buttonLabelled(&footer, QStringLiteral("Save as JSON…"));
    QVERIFY(save);
    save->click();
    QCOMPARE(caption, QStringLiteral("Save estimator"));
    QCOMPARE(offered, QStringList{proposed});
    QCOMPARE(chosen.size(), 1);
    QCOMPARE(chosen.first().at(0).toString(), proposed);
}

void TestFormKit::submitWaitsForItsOwnAnswer() { // #21
    FormFooter footer(QStringLiteral("Submit sweep"));
    QPushButton* submit = footer.submitButton();
    QCOMPARE(submit->objectName(), QStringLiteral("primary"));
    footer.startSubmit([] { return quint64(7); });
    QVERIFY(footer.submitting());
    QVERIFY(!submit->isEnabled());
    QCOMPARE(submit->text(), QStringLiteral("Submitting…"));
    QVERIFY(!footer.finishSubmit(6)); // another form's answer
    QVERIFY(footer.submitting());
    QVERIFY(footer.finishSubmit(7));
    QVERIFY(!footer.submitting());
    QCOMPARE(submit->text(), QStringLiteral("Submit sweep"));
    QVERIFY(!footer.finishSubmit(7)); // answered once only
    // Submitting somewhere else: the old request's answer is ignored.
    footer.startSubmit([] { return quint64(8); });
    footer.forgetSubmit();
    QVERIFY(!footer.submitting());
    QVERIFY(!footer.finishSubmit(8));
}

void TestFormKit::extraActionsStandBeforeLoadSaveAndSubmit() { // #21
    FormFooter footer(QStringLiteral("Submit"));
    footer.addAction(new QPushButton(QStringLiteral("Sweep…")));
    QStringList order;
    for (int i = 0; i < footer.layout()->count(); ++i) {
        QWidget* w = footer.layout()->itemAt(i)->widget();
        if (auto* b = qobject_cast<QPushButton*>(w)) order.append(b->text());
        if (w == footer.errorLabel()) order.append(QStringLiteral("(error)"));
    }
    QCOMPARE(order, (QStringList{QStringLiteral("(error)"), QStringLiteral("Sweep…"),
                                 QStringLiteral("Load JSON…"), QStringLiteral("Save as JSON…"),
                                 QStringLiteral("Submit")}));
}

void TestFormKit::pageStacksSectionsFromTheTop() { // #21
    FormPage page;
    auto* top = new QGroupBox(QStringLiteral("Script"));
    auto* left = new QGroupBox(QStringLiteral("Environment"));
    auto* right = new QGroupBox(QStringLiteral("Distribution"));
    auto* last = new QGroupBox(QStringLiteral("Run"));
    page.addSection(top);
    page.addSections(left, right);
    page.addSection(last);
    page.resize(600, 900);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QCOMPARE(top->mapTo(page.widget(), QPoint(0, 0)), QPoint(16, 12));
    QVERIFY(left->y() > top->y() + top->height());
    QCOMPARE(right->y(), left->y());
    QVERIFY(right->x() > left->x() + left->width());
    QVERIFY(qAbs(left->width() - right->width()) <= 1);
    QVERIFY(last->y() > left->y() + left->height());
    // The stretch below keeps the sections at their natural height, at the top.
    QVERIFY(last->y() + last->height() < page.widget()->height() / 2);
}

void TestFormKit::sectionRowsCarryTheirLabels() { // #21
    FormSection section(QStringLiteral("Run"));
    QLineEdit* experiment =
        section.add(QStringLiteral("Experiment"), makeLineEdit(QStringLiteral("default")));
    auto* pair = section.add(QStringLiteral("Nodes × processes"), new QHBoxLayout);
    auto* form = qobject_cast<QFormLayout*>(section.layout());
    QVERIFY(form);
    QCOMPARE(form->rowCount(), 2);
    auto* label = qobject_cast<QLabel*>(form->labelForField(experiment));
    QVERIFY(label);
    QCOMPARE(label->text(), QStringLiteral("Experiment"));
    QCOMPARE(experiment->placeholderText(), QStringLiteral("default"));
    QCOMPARE(qobject_cast<QLabel*>(form->labelForField(pair))->text(),
             QStringLiteral("Nodes × processes"));
    // Spin boxes start at 0 where the range allows it, else at the bound nearer to 0.
    std::unique_ptr<QSpinBox> nodes(makeSpinBox(1, 4096));
    QCOMPARE(nodes->minimum(), 1);
    QCOMPARE(nodes->maximum(), 4096);
    QCOMPARE(nodes->value(), 1);
    std::unique_ptr<QSpinBox> seed(makeSpinBox(-1, 100));
    QCOMPARE(seed->value(), 0);
    // A choice box shows the labels and gives the values, the first one chosen.
    std::unique_ptr<QComboBox> goal(
        makeChoiceBox({{QStringLiteral("Maximize"), true}, {QStringLiteral("Minimize"), false}}));
    QCOMPARE(goal->count(), 2);
    QCOMPARE(goal->currentText(), QStringLiteral("Maximize"));
    QCOMPARE(goal->currentData(), QVariant(true));
    goal->setCurrentIndex(1);
    QCOMPARE(goal->currentData(), QVariant(false));
}

QTEST_MAIN(TestFormKit)
#include "tst_form_kit.moc"
