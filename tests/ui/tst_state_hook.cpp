// The window's public surface that the end-to-end hook reads, offscreen and in process (#21):
// with LABBENCH_UI_STATE_FILE set, the real window reports its tabs, counts, forms and a run
// dashboard's charted points and log lines, found by object name ("workbenchTabs",
// "runDashboard", "metricChart", "driverLog"), without the hook knowing the dashboard's class.
// And pictures of every dashboard section, the estimator form and the start page, kept in
// test-artifacts/pages for review (the hook's former LABBENCH_UI_SHOTS_DIR tour).
#include "core/estimator/Estimator.h"
#include "tests/ui/UiTestSupport.h"
#include "ui/main/MainWindow.h"

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTabWidget>
#include <QTest>

using namespace lb;
using namespace lb::ui;

namespace {

// Charted points over every chart of `page`, through the charts' properties.
int pointsDrawn(const QWidget* page) {
    int points = 0;
    for (const QWidget* chart : page->findChildren<QWidget*>(QStringLiteral("metricChart")))
        for (int n : chart->property("seriesPointCounts").value<QList<int>>())
            points += n;
    return points;
}

int logLines(const QWidget* page) {
    const auto* log = page->findChild<QWidget*>(QStringLiteral("driverLog"));
    return log ? log->property("lineCount").toInt() : 0;
}

} // namespace

class TestStateHook : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void stateFileReportsWhatTheWindowShows();
    void everyPageRendersForReview();

private:
    // Opens the workspace, the run's dashboard and a form, and waits until the dashboard shows
    // both metrics and the log.
    bool openAll(MainWindow& w);
    std::unique_ptr<QTemporaryDir> dir_;
    std::unique_ptr<Workspace> ws_;
    RunRecord run_;
    Estimator estimator_;
};

void TestStateHook::init() {
    dir_ = std::make_unique<QTemporaryDir>();
    ws_ = std::make_unique<Workspace>(
        Workspace::create(dir_->filePath(QStringLiteral("ws")), QStringLiteral("hooked")));
    const QString project = dir_->filePath(QStringLiteral("project"));
    test::writeFile(project + QStringLiteral("/train.py"), "print('hi')\n");
    estimator_.sourceDirectory = project;
    estimator_.entryScript = QStringLiteral("train.py");
    estimator_.scriptParams = {QStringLiteral("--epochs"), QStringLiteral("3")};
    run_ = test::addRun(*ws_, QStringLiteral("mnist"), RunStatus::Completed,
                        QString::fromStdString(estimator_.toJson().dump()));
    std::vector<MetricPoint> points;
    for (int i = 0; i < 40; ++i) {
        points.push_back({QStringLiteral("loss"), 2.0 / (i + 1), i, 1000.0 + i});
        points.push_back({QStringLiteral("accuracy"), 1 - 1.0 / (i + 2), i, 1000.0 + i});
    }
    ws_->store().metrics().append(run_.id, points);
    test::writeFile(run_.runDir + QStringLiteral("/driver.log"),
                    "epoch 0 loss 2.0\nepoch 1 loss 1.0\ndone\n");
    test::writeFile(run_.runDir + QStringLiteral("/snapshot/outputs/model.txt"), "weights\n");
}

void TestStateHook::cleanup() {
    qunsetenv("LABBENCH_UI_STATE_FILE");
    ws_.reset();
    dir_.reset();
}

bool TestStateHook::openAll(MainWindow& w) {
    w.openWorkspace(ws_->root());
    if (!QTest::qWaitFor([&] { return w.snapshot() != nullptr; }, 5000)) return false;
    w.openEstimatorForm(estimator_, false);
    w.showRun(run_.id);
    QWidget* dashboard = w.tabs()->currentWidget(); // the hook's view: no dashboard class here
    w.resize(1280, 800);
    w.show();
    if (dashboard->objectName() != QLatin1String("runDashboard") ||
        !QTest::qWaitForWindowExposed(&w))
        return false;
    return QTest::qWaitFor([&] { return pointsDrawn(dashboard) > 0 && logLines(dashboard) == 3; },
                           10000);
}

void TestStateHook::stateFileReportsWhatTheWindowShows() { // #21
    const QString stateFile = dir_->filePath(QStringLiteral("state.json"));
    qputenv("LABBENCH_UI_STATE_FILE", stateFile.toLocal8Bit());
    MainWindow w;
    QVERIFY(openAll(w));
    QJsonObject state;
    auto reportsDashboard = [&] {
        QFile f(stateFile);
        if (!f.open(QIODevice::ReadOnly)) return false;
        state = QJsonDocument::fromJson(f.readAll()).object();
        const QJsonArray dashboards = state.value(QStringLiteral("dashboards")).toArray();
        return dashboards.size() == 1 &&
               dashboards[0].toObject().value(QStringLiteral("log_lines")).toInt() == 3 &&
               dashboards[0].toObject().value(QStringLiteral("metrics")).toArray().size() == 2;
    };
    QVERIFY2(QTest::qWaitFor(reportsDashboard, 5000), qPrintable(QJsonDocument(state).toJson()));

    QCOMPARE(state.value(QStringLiteral("workspace")).toString(), QDir(ws_->root()).absolutePath());
    QCOMPARE(state.value(QStringLiteral("counts")).toString(), w.countsText());
    const QJsonArray tabs = state.value(QStringLiteral("tabs")).toArray();
    QCOMPARE(tabs.size(), 3); // start, form, dashboard
    QCOMPARE(tabs[1].toString(), QStringLiteral("train.py"));
    const QJsonObject form = state.value(QStringLiteral("forms")).toArray().at(0).toObject();
    QCOMPARE(form.value(QStringLiteral("script_params")).toArray(),
             (QJsonArray{QStringLiteral("--epochs"), QStringLiteral("3")}));
    const QJsonObject dashboard = state.value(QStringLiteral("dashboards")).toArray()[0].toObject();
    QCOMPARE(dashboard.value(QStringLiteral("run")).toString(), run_.id);
    QCOMPARE(dashboard.value(QStringLiteral("status")).toString(), QStringLiteral("Completed"));
    QStringList names;
    for (const QJsonValue& m : dashboard.value(QStringLiteral("metrics")).toArray()) {
        const QJsonObject metric = m.toObject();
        names.append(metric.value(QStringLiteral("name")).toString());
        QVERIFY(metric.value(QStringLiteral("points_drawn")).toInt() > 0);
        QCOMPARE(metric.value(QStringLiteral("last")).toArray().at(0).toDouble(), 39.0);
    }
    names.sort();
    QCOMPARE(names, (QStringList{QStringLiteral("accuracy"), QStringLiteral("loss")}));
    QCOMPARE(dashboard.value(QStringLiteral("log_tail")).toArray(),
             (QJsonArray{QStringLiteral("epoch 0 loss 2.0"), QStringLiteral("epoch 1 loss 1.0"),
                         QStringLiteral("done")}));
    QCOMPARE(state.value(QStringLiteral("screenshot")).toString(), QString()); // none asked for
}

void TestStateHook::everyPageRendersForReview() { // #21
    MainWindow w;
    QVERIFY(openAll(w));
    auto* tabs = w.findChild<QTabWidget*>(QStringLiteral("workbenchTabs"));
    QVERIFY(tabs);
    QWidget* dashboard = nullptr;
    QWidget* form = nullptr;
    for (int i = 0; i < tabs->count(); ++i) {
        if (tabs->widget(i)->objectName() == QLatin1String("runDashboard"))
            dashboard = tabs->widget(i);
        else if (tabs->widget(i) != tabs->widget(0))
            form = tabs->widget(i);
    }
    QVERIFY(dashboard && form);
    auto* sections = dashboard->findChild<QTabWidget*>(QStringLiteral("dashboardSections"));
    QVERIFY(sections);

    const QString dir = QStringLiteral(LABBENCH_BIN_DIR "/../test-artifacts/pages");
    QDir().mkpath(dir);
    QHash<QString, QImage> pictures;
    auto keep = [&](const QString& name) {
        QTest::qWait(150); // a paint or two after switching
        const QImage picture = w.grab().toImage();
        pictures.insert(name, picture);
        return !picture.isNull() &&
               picture.save(dir + QLatin1Char('/') + name + QStringLiteral(".png"), "PNG");
    };
    tabs->setCurrentWidget(dashboard);
    QStringList sectionNames;
    for (int i = 0; i < sections->count(); ++i) {
        sections->setCurrentIndex(i);
        sectionNames.append(sections->tabText(i));
        QVERIFY(keep(QStringLiteral("dashboard-") + sections->tabText(i).toLower()));
    }
    for (const char* expected : {"Metrics", "Log", "Estimator", "Outputs"})
        QVERIFY2(sectionNames.contains(QLatin1String(expected)), expected);
    tabs->setCurrentWidget(form);
    QVERIFY(keep(QStringLiteral("estimator-form")));
    tabs->setCurrentIndex(0);
    QVERIFY(keep(QStringLiteral("start")));

    // Each picture shows its own page: no two are the same.
    const QStringList keys = pictures.keys();
    for (int a = 0; a < keys.size(); ++a)
        for (int b = a + 1; b < keys.size(); ++b)
            QVERIFY2(pictures[keys[a]] != pictures[keys[b]],
                     qPrintable(keys[a] + QStringLiteral(" = ") + keys[b]));
    qInfo("pictures: %s", qPrintable(QDir::cleanPath(dir)));
}

QTEST_MAIN(TestStateHook)
#include "tst_state_hook.moc"
