// The sweep form, offscreen: what a user types is checked by the core's own sweep-spec parser,
// and each refusal lands on the field it names (a bad parameter row, grid over a non-choice, a
// missing metric, a bad policy number, a missing run budget) with Submit held back; a valid
// form gives a spec that SweepSpec::fromJson accepts as written; Save/Load JSON round-trips;
// Submit in a real workspace creates the sweep through core and opens its dashboard.
#include "tests/ui/UiTestSupport.h"
#include "ui/estimator/EstimatorForm.h"
#include "core/live/SweepChildrenModel.h"
#include "core/live/SweepFormSpec.h"
#include "ui/main/MainWindow.h"
#include "ui/sweep/ParameterSpaceTable.h"
#include "core/sweep/Sweep.h"
#include "ui/sweep/SweepDashboard.h"
#include "ui/sweep/SweepForm.h"
#include "ui/sweep/SweepWords.h"
#include "core/util/Error.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

using namespace lb;
using namespace lb::ui;

namespace {

// QCOMPARE cannot print nlohmann values; this says what differed.
#define COMPARE_JSON(a, b)                                                                         \
    QVERIFY2((a) == (b), (std::string(Json(a).dump()) + " != " + Json(b).dump()).c_str())

SweepFormData validData() {
    SweepFormData f;
    f.parameters = {
        {QStringLiteral("--lr"), QStringLiteral("loguniform"), QStringLiteral("-6, -1")},
        {QStringLiteral("--batchsize"), QStringLiteral("choice"), QStringLiteral("128, 256")},
        {QStringLiteral("--act"), QStringLiteral("choice"), QStringLiteral("relu, tanh")}};
    f.method = QStringLiteral("random");
    f.seed = 7;
    f.metric = QStringLiteral("Accuracy");
    f.maximize = true;
    f.policy = QStringLiteral("bandit");
    f.evaluationInterval = 1;
    f.delayEvaluation = 3;
    f.slackFactor = 0.1;
    f.maxTotalRuns = 8;
    f.maxConcurrentRuns = 4;
    f.maxDurationMinutes = 60;
    return f;
}

} // namespace

class TestSweepForm : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void argumentsText();
    void validationErrorsLandOnTheirFields();
    void validFormGivesASpecTheParserAccepts();
    void saveAndLoadJson();
    void submitCreatesTheSweepAndOpensItsDashboard();

private:
    std::unique_ptr<QTemporaryDir> dir_;
    QString project_;
    Estimator estimator() const {
        Estimator e;
        e.sourceDirectory = project_;
        e.entryScript = QStringLiteral("train.py");
        e.scriptParams = {QStringLiteral("--epochs"), QStringLiteral("1")};
        return e;
    }
};

void TestSweepForm::init() {
    dir_ = std::make_unique<QTemporaryDir>();
    project_ = dir_->filePath(QStringLiteral("project"));
    test::writeFile(
        project_ + QStringLiteral("/train.py"),
        "import json, os, sys\n"
        "x = float(sys.argv[sys.argv.index('--x') + 1])\n"
        "with open(os.environ['LABBENCH_METRICS_FILE'], 'a') as f:\n"
        "    f.write(json.dumps({'name': 'loss', 'value': (x - 0.25) ** 2}) + '\\n')\n");
}

void TestSweepForm::cleanup() {
    dir_.reset();
}

void TestSweepForm::argumentsText() {
    COMPARE_JSON(parseArgumentsText(QStringLiteral("128, 256")), Json::parse("[128, 256]"));
    COMPARE_JSON(parseArgumentsText(QStringLiteral("-6, -1")), Json::parse("[-6, -1]"));
    COMPARE_JSON(parseArgumentsText(QStringLiteral("relu, tanh")),
                 Json::parse(R"(["relu", "tanh"])"));
    COMPARE_JSON(parseArgumentsText(QStringLiteral(R"("a,b", 'c')")),
                 Json::parse(R"(["a,b", "c"])"));
    COMPARE_JSON(parseArgumentsText(QStringLiteral("[0.5, true]")), Json::parse("[0.5, true]"));
    COMPARE_JSON(parseArgumentsText(QStringLiteral("  ")), Json::array());
    for (const char* text :
         {R"([128, 256])", R"(["relu", "1", "a,b", "true", " x"])", R"([1e-05, 0.5])"}) {
        const Json j = Json::parse(text);
        COMPARE_JSON(parseArgumentsText(lb::argumentsText(j)), j);
    }
    QCOMPARE(lb::argumentsText(Json::parse(R"(["relu", "tanh"])")), QStringLiteral("relu, tanh"));
}

void TestSweepForm::validationErrorsLandOnTheirFields() {
    SweepForm form(dir_->filePath(QStringLiteral("nowhere-yet")));
    form.setEstimator(estimator());
    form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form));

    // No parameters: the parser's own sentence, on the table.
    SweepFormData f = validData();
    f.parameters.clear();
    form.setFormData(f);
    QVERIFY(!form.check().ok());
    QVERIFY2(form.check().parameters.contains(QStringLiteral("parameters is required")),
             qPrintable(form.check().parameters));
    QVERIFY(!form.submitButton()->isEnabled());
    QVERIFY(form.parameterTable()->table()->property("invalid").toBool());

    // Bad rows are marked one by one, each with its reason.
    f = validData();
    f.parameters.append(
        {QStringLiteral("--drop"), QStringLiteral("uniform"), QStringLiteral("0.9, 0.1")});
    f.parameters.append(
        {QStringLiteral("--layers"), QStringLiteral("randint"), QStringLiteral("0")});
    f.parameters.append({QString(), QStringLiteral("choice"), QStringLiteral("1")});
    f.parameters.append(
        {QStringLiteral("--lr"), QStringLiteral("uniform"), QStringLiteral("0, 1")});
    form.setFormData(f);
    const QMap<int, QString>& rows = form.check().rows;
    QCOMPARE(rows.keys(), (QList<int>{3, 4, 5, 6}));
    QVERIFY2(rows[3].contains(QStringLiteral("parameters.--drop")) &&
                 rows[3].contains(QStringLiteral("low below high")),
             qPrintable(rows[3]));
    QVERIFY2(rows[4].contains(QStringLiteral("upper bound")), qPrintable(rows[4]));
    QVERIFY(rows[5].contains(QStringLiteral("needs a parameter name")));
    QVERIFY(rows[6].contains(QStringLiteral("twice")));
    QTableWidget* table = form.parameterTable()->table();
    // The cells say it in the form's words (#23 item 9), on the cell at fault (#23 item 6).
    QCOMPARE(table->item(3, 2)->toolTip(), sweepFormWords(rows[3]));
    QVERIFY2(sweepFormWords(rows[3]).startsWith(QStringLiteral("--drop: uniform needs low below "
                                                               "high")),
             qPrintable(sweepFormWords(rows[3])));
    QVERIFY(table->item(3, 2)->background().style() != Qt::NoBrush);
    QCOMPARE(table->item(3, 0)->background().style(), Qt::NoBrush);
    QCOMPARE(table->item(0, 2)->background().style(), Qt::NoBrush);
    QVERIFY(table->item(5, 0)->background().style() != Qt::NoBrush); // no name: the name cell
    QVERIFY(table->item(6, 0)->background().style() != Qt::NoBrush); // twice: the name cell
    QVERIFY(!form.submitButton()->isEnabled());
    QCOMPARE(form.validationError(), sweepFormWords(rows[3]));

    // Grid takes choices only.
    f = validData();
    f.method = QStringLiteral("grid");
    form.setFormData(f);
    QVERIFY2(form.check().parameters.contains(
                 QStringLiteral("grid sampling takes choice parameters only")),
             qPrintable(form.check().parameters));

    // The primary metric needs a name.
    f = validData();
    f.metric.clear();
    form.setFormData(f);
    QVERIFY2(form.check().metric.contains(QStringLiteral("primary_metric")),
             qPrintable(form.check().metric));
    QVERIFY(form.findChildren<QWidget*>().size() > 0);

    // A negative slack, and truncation without a sensible percentage: the policy's fields.
    f = validData();
    f.slackFactor = -0.5;
    form.setFormData(f);
    QVERIFY2(
        form.check().policy.contains(QStringLiteral("slack_factor must be a number of at least 0")),
        qPrintable(form.check().policy));
    f = validData();
    f.policy = QStringLiteral("truncation_selection");
    f.truncationPercentage = 0;
    form.setFormData(f);
    QVERIFY2(form.check().policy.contains(QStringLiteral("truncation_percentage")),
             qPrintable(form.check().policy));
    f.evaluationInterval = 0;
    f.truncationPercentage = 20;
    form.setFormData(f);
    QVERIFY2(form.check().policy.contains(QStringLiteral("evaluation_interval")),
             qPrintable(form.check().policy));

    // Random sampling needs a budget.
    f = validData();
    f.maxTotalRuns = 0;
    form.setFormData(f);
    QVERIFY2(form.check().limits.contains(QStringLiteral("max_total_runs is required")),
             qPrintable(form.check().limits));
    QVERIFY(!form.submitButton()->isEnabled());

    // All fixed: the spec parses; Submit still waits for a workspace that exists.
    form.setFormData(validData());
    QVERIFY2(form.check().ok(), qPrintable(form.check().first()));
    QVERIFY(form.validationError().isEmpty() ||
            form.validationError().contains(QStringLiteral("workspace")));

    // An invalid estimator holds Submit back too, with the estimator's reason.
    Estimator bad = estimator();
    bad.entryScript = QStringLiteral("missing.py");
    form.setEstimator(bad);
    QVERIFY(
        QTest::qWaitFor([&] { return !form.estimatorForm()->validationError().isEmpty(); }, 3000));
    form.validateNow();
    QVERIFY2(form.validationError().startsWith(QStringLiteral("Estimator:")),
             qPrintable(form.validationError()));
    QVERIFY(!form.submitButton()->isEnabled());
}

void TestSweepForm::validFormGivesASpecTheParserAccepts() {
    SweepForm form{QString()};
    form.setEstimator(estimator());
    form.setFormData(validData());
    QVERIFY2(form.check().ok(), qPrintable(form.check().first()));
    const Json j = form.specJson();
    // The core parser, on its own, accepts the JSON the form stands for.
    const sweep::SweepSpec spec =
        sweep::SweepSpec::fromJson(j, QStringLiteral("form.json"), project_);
    QCOMPARE(spec.methodName(), QStringLiteral("random"));
    QCOMPARE(spec.seed, std::uint64_t(7));
    QCOMPARE(spec.parameters.size(), 3);
    QCOMPARE(spec.parameters[0].name, QStringLiteral("--lr"));
    QCOMPARE(spec.parameters[0].kind, sweep::ParameterKind::LogUniform);
    QCOMPARE(spec.parameters[0].a, -6.0);
    COMPARE_JSON(spec.parameters[1].choices, Json::parse("[128, 256]"));
    COMPARE_JSON(spec.parameters[2].choices, Json::parse(R"(["relu", "tanh"])"));
    QCOMPARE(spec.primaryMetric, QStringLiteral("Accuracy"));
    QVERIFY(spec.maximize);
    QCOMPARE(spec.policy.kind, sweep::TerminationPolicy::Kind::Bandit);
    QCOMPARE(*spec.policy.slackFactor, 0.1);
    QCOMPARE(spec.policy.delayEvaluation, 3);
    QCOMPARE(spec.maxTotalRuns, 8);
    QCOMPARE(spec.maxConcurrentRuns, 4);
    QCOMPARE(*spec.maxDurationMinutes, 60.0);
    QCOMPARE(spec.estimator.entryScript, QStringLiteral("train.py"));
    QCOMPARE(spec.estimator.scriptParams,
             (QStringList{QStringLiteral("--epochs"), QStringLiteral("1")}));
    // And the check's own spec is the same one.
    QCOMPARE(form.check().spec->toJson().dump(), spec.toJson().dump());
    // A grid over choices with no budget: the parser fills it in (2 × 2 combinations).
    SweepFormData grid = validData();
    grid.method = QStringLiteral("grid");
    grid.parameters.removeFirst();
    grid.maxTotalRuns = 0;
    grid.policy = QStringLiteral("none");
    form.setFormData(grid);
    QVERIFY2(form.check().ok(), qPrintable(form.check().first()));
    QCOMPARE(form.check().spec->maxTotalRuns, 4);
}

void TestSweepForm::saveAndLoadJson() {
    SweepForm form{QString()};
    form.setEstimator(estimator());
    form.setFormData(validData());
    const QString path = dir_->filePath(QStringLiteral("sweep.json"));
    form.saveJson(path);
    // The file is a spec the CLI takes.
    const sweep::SweepSpec spec = sweep::SweepSpec::load(path);
    QCOMPARE(spec.parameters.size(), 3);

    SweepForm again{QString()};
    again.loadJson(path);
    const SweepFormData a = form.formData(), b = again.formData();
    QCOMPARE(b.parameters.size(), a.parameters.size());
    for (qsizetype i = 0; i < a.parameters.size(); ++i) {
        QCOMPARE(b.parameters[i].name, a.parameters[i].name);
        QCOMPARE(b.parameters[i].expression, a.parameters[i].expression);
        COMPARE_JSON(parseArgumentsText(b.parameters[i].arguments),
                     parseArgumentsText(a.parameters[i].arguments));
    }
    QCOMPARE(b.method, a.method);
    QCOMPARE(b.seed, a.seed);
    QCOMPARE(b.metric, a.metric);
    QCOMPARE(b.policy, a.policy);
    QCOMPARE(b.slackFactor, a.slackFactor);
    QCOMPARE(b.delayEvaluation, a.delayEvaluation);
    QCOMPARE(b.maxTotalRuns, a.maxTotalRuns);
    QCOMPARE(b.maxConcurrentRuns, a.maxConcurrentRuns);
    QCOMPARE(b.maxDurationMinutes, a.maxDurationMinutes);
    QCOMPARE(again.estimatorForm()->estimator().sourceDirectory, project_);
    QCOMPARE(again.estimatorForm()->estimator().entryScript, QStringLiteral("train.py"));
    QCOMPARE(again.specJson().dump(), form.specJson().dump());

    // Not a sweep spec: the reason is shown, nothing changes.
    const QString estimatorOnly = dir_->filePath(QStringLiteral("estimator.json"));
    test::writeFile(estimatorOnly, R"({"source_directory": ".", "entry_script": "train.py"})");
    again.loadJson(estimatorOnly);
    QCOMPARE(again.formData().parameters.size(), 3);
    QVERIFY(again.findChild<QLabel*>(QStringLiteral("errorBanner")) != nullptr);
}

void TestSweepForm::submitCreatesTheSweepAndOpensItsDashboard() {
    const QString root = dir_->filePath(QStringLiteral("ws"));
    Workspace::create(root, QStringLiteral("forms"));
    MainWindow w;
    w.openWorkspace(root);
    QVERIFY(QTest::qWaitFor([&] { return w.snapshot() != nullptr; }, 5000));
    SweepForm* form = w.openSweepForm(estimator());
    SweepFormData f;
    f.parameters = {{QStringLiteral("--x"), QStringLiteral("choice"), QStringLiteral("0, 0.25")}};
    f.method = QStringLiteral("grid");
    f.metric = QStringLiteral("loss");
    f.maximize = false;
    form->setFormData(f);
    QVERIFY(QTest::qWaitFor([&] { return form->submitButton()->isEnabled(); }, 5000));
    QSignalSpy submitted(form, &SweepForm::submitted);
    form->submitButton()->click();
    QVERIFY(QTest::qWaitFor([&] { return submitted.size() == 1; }, 20000));
    const QString id = submitted.at(0).at(0).toString();
    auto* d = qobject_cast<SweepDashboard*>(w.tabs()->currentWidget());
    QVERIFY(d);
    QCOMPARE(d->sweepId(), id);
    QVERIFY(QTest::qWaitFor(
        [&] { return d->summary() && d->summary()->parent.status == RunStatus::Completed; },
        60000));
    QCOMPARE(d->children()->rowCount(), 2);
    QVERIFY(QTest::qWaitFor([&] { return !d->summary()->bestId.isEmpty(); }, 5000));
    // x = 0.25 gives loss 0: the best (minimize), first in the table.
    QCOMPARE(d->sortedChildren()->index(0, 2).data().toString(), QStringLiteral("0.25"));
    QVERIFY(d->sortedChildren()->index(0, 0).data(SweepChildrenModel::IsBestRole).toBool());
}

QTEST_MAIN(TestSweepForm)
#include "tst_sweep_form.moc"
