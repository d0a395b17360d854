// The workbench's side of endpoints (issue 18, item 5), against real parts: labbench-train
// trains a small MNIST model that the registry holds; the Models page's Deploy… dialog refuses a
// taken port with the core's sentence, then deploys it through the core into a real
// labbench-serve on 127.0.0.1; the browser lists it under Endpoints; the Endpoints page shows
// it Healthy with its scoring URI, charts fed from its /metrics and its log; a digit drawn on
// the canvas with mouse events is sent and answered with 10 probabilities that sum to one,
// drawn as bars; a malformed body shows the server's 400 sentence; Stop changes the pill and
// Start brings it back; Remove deletes it. The state hook reports the page. A picture of the
// page is kept in test-artifacts. Then the same model through an Azure-style score.py, deployed
// from the dialog with key authentication, a pip environment and time limits: the page shows
// the key masked, the test panel's answer for real MNIST images matches the trainer's own C++
// inference, and without the key the panel shows the server's 401 sentence (pictures:
// deploy_dialog_score.png, endpoints_page_key.png).
#include "core/live/EndpointListModel.h"
#include "core/live/EndpointRates.h"
#include "core/live/ScoreBodies.h"
#include "core/live/WorkspaceModel.h"
#include "core/models/ModelRegistry.h"
#include "core/serve/EndpointControl.h"
#include "core/serve/EndpointFolder.h"
#include "core/serve/EndpointKey.h"
#include "core/store/EndpointLimits.h"
#include "core/train/Backend.h"
#include "core/train/Idx.h"
#include "core/train/ModelFile.h"
#include "core/train/Predictor.h"
#include "tests/ui/UiTestSupport.h"
#include "ui/charts/MetricChart.h"
#include "ui/common/AppStyle.h"
#include "ui/endpoints/DeployDialog.h"
#include "ui/endpoints/DigitCanvas.h"
#include "ui/endpoints/EndpointCharts.h"
#include "ui/endpoints/EndpointPanel.h"
#include "ui/endpoints/EndpointsPage.h"
#include "ui/endpoints/ProbabilityBars.h"
#include "ui/endpoints/TestPanel.h"
#include "ui/main/MainWindow.h"
#include "ui/models/ModelActions.h"
#include "ui/models/ModelsPage.h"
#include "ui/run/LogView.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTcpServer>
#include <QTest>
#include <cmath>
#include <numeric>

using namespace lb;
using namespace lb::ui;

namespace {

// Azure's documented shape, unchanged: the model's files under AZUREML_MODEL_DIR, run() reads
// json.loads(raw_data)["data"]. numpy's forward pass over labbench-train's model.npz.
const char* kScorePy = R"(import json
import os

import numpy as np

model = None


def init():
    global model
    model = dict(np.load(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.npz")))


def run(raw_data):
    x = np.array(json.loads(raw_data)["data"], dtype=np.float32)
    scale, offset = model["normalization"]
    x = x * 255.0 * scale + offset
    layers = len(model["layers"]) - 1
    for l in range(1, layers + 1):
        x = x @ model["W%d" % l] + model["b%d" % l]
        if l < layers:
            x = np.maximum(x, 0)
    return {"classes": x.argmax(axis=1).tolist()}
)";

int totalPoints(const MetricChart* chart) {
    const QList<int> counts = chart->seriesPointCounts();
    return std::accumulate(counts.begin(), counts.end(), 0);
}

} // namespace

class TestEndpointsPage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void ratesComeFromTwoScrapes();
    void bodiesAndAnswers();
    void listModelPassesTheTester();
    void deployDrawSendStopAndRemove();
    void scorePyWithAKeyFromTheDialogAnswersThePanel();

private:
    QTemporaryDir tmp_;
    QString root_;
};

void TestEndpointsPage::initTestCase() {
    QVERIFY(tmp_.isValid());
    applyAppStyle(*qApp); // the window's own look, for the picture (pills, titles)
    root_ = tmp_.filePath(QStringLiteral("ws"));
    Workspace ws = Workspace::create(root_, QStringLiteral("serving"));
    // A completed run whose outputs/model.npz is a real model that labbench-train trained on
    // the shipped MNIST (one epoch, a small hidden layer: a few seconds on one core).
    const RunRecord run = test::addRun(ws, QStringLiteral("mnist"), RunStatus::Completed);
    QProcess train;
    train.setProcessChannelMode(QProcess::MergedChannels);
    train.start(QStringLiteral(LABBENCH_BIN_DIR "/labbench-train"),
                {QStringLiteral("--data"), QStringLiteral(LABBENCH_MNIST_DIR),
                 QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--hidden"),
                 QStringLiteral("32"), QStringLiteral("--threads"), QStringLiteral("1"),
                 QStringLiteral("--output_dir"), run.runDir + QStringLiteral("/snapshot/outputs")});
    QVERIFY2(train.waitForFinished(240000), train.readAll().constData());
    QVERIFY2(train.exitCode() == 0, train.readAll().constData());
    ModelRegistration r;
    r.runId = run.id;
    r.name = QStringLiteral("mnist");
    r.path = QStringLiteral("outputs/model.npz");
    QCOMPARE(ModelRegistry(ws).registerModel(r).version, 1);
}

void TestEndpointsPage::cleanupTestCase() {
    // No server may outlive the test, whatever failed above.
    try {
        Workspace ws = Workspace::open(root_);
        for (const EndpointRecord& e : ws.store().endpoints().list())
            removeEndpoint(ws, e.name);
        QVERIFY(ws.store().endpoints().list().isEmpty());
    } catch (const std::exception& e) {
        QFAIL(e.what());
    }
}

void TestEndpointsPage::ratesComeFromTwoScrapes() {
    // What labbench-serve's ServeMetrics writes, two scrapes 2 s apart: 10 then 30 /score
    // requests (4 of them 400s), the /metrics scrapes themselves on their own route.
    const QByteArray before =
        "# TYPE labbench_requests_total counter\n"
        "labbench_requests_total{route=\"/metrics\",code=\"200\"} 7\n"
        "labbench_requests_total{route=\"/score\",code=\"200\"} 10\n"
        "labbench_request_duration_seconds_bucket{route=\"/score\",le=\"0.001\"} 5\n"
        "labbench_request_duration_seconds_bucket{route=\"/score\",le=\"0.01\"} 10\n"
        "labbench_request_duration_seconds_bucket{route=\"/score\",le=\"+Inf\"} 10\n"
        "labbench_request_duration_seconds_sum{route=\"/score\"} 0.03\n"
        "labbench_request_duration_seconds_count{route=\"/score\"} 10\n";
    const QByteArray after =
        "labbench_requests_total{route=\"/metrics\",code=\"200\"} 9\n"
        "labbench_requests_total{route=\"/score\",code=\"200\"} 26\n"
        "labbench_requests_total{route=\"/score\",code=\"400\"} 4\n"
        "labbench_request_duration_seconds_bucket{route=\"/score\",le=\"0.001\"} 5\n"
        "labbench_request_duration_seconds_bucket{route=\"/score\",le=\"0.01\"} 30\n"
        "labbench_request_duration_seconds_bucket{route=\"/score\",le=\"+Inf\"} 30\n"
        "labbench_request_duration_seconds_sum{route=\"/score\"} 0.13\n"
        "labbench_request_duration_seconds_count{route=\"/score\"} 30\n";
    const ScoreCounters a = parseScoreCounters(before);
    const ScoreCounters b = parseScoreCounters(after);
    QCOMPARE(a.requests, 10.0); // /metrics is not traffic
    QCOMPARE(b.requests, 30.0);
    QCOMPARE(b.errors, 4.0);
    QCOMPARE(b.buckets.size(), std::size_t(3));
    const ScoreRates r = ratesBetween(a, b, 2.0);
    QCOMPARE(r.requestsPerSecond, 10.0);
    QCOMPARE(r.errorsPerSecond, 2.0);
    QVERIFY(r.hasLatency);
    QVERIFY(std::abs(r.meanMs - 5.0) < 1e-9); // 0.1 s over 20 requests
    // All 20 new answers fell in (1 ms, 10 ms]: p50 halfway, p99 near the top.
    QVERIFY(std::abs(r.p50Ms - 5.5) < 1e-9);
    QVERIFY(std::abs(r.p99Ms - 9.91) < 1e-9);
    // A server that restarted counts from zero: its totals are this interval's.
    const ScoreRates restarted = ratesBetween(b, a, 1.0);
    QCOMPARE(restarted.requestsPerSecond, 10.0);
    // No request in between: a rate of zero and no latency point.
    const ScoreRates quiet = ratesBetween(b, b, 1.0);
    QCOMPARE(quiet.requestsPerSecond, 0.0);
    QVERIFY(!quiet.hasLatency);
    QCOMPARE(parseScoreCounters("").requests, 0.0);
}

void TestEndpointsPage::bodiesAndAnswers() {
    const QJsonDocument example = QJsonDocument::fromJson(exampleScoreBody(true));
    QCOMPARE(example["data"][0].toArray().size(), 784);
    QVector<float> pixels(784, 0.0f);
    pixels[300] = 0.5f;
    pixels[301] = 1.0f;
    const QJsonArray row = QJsonDocument::fromJson(pixelsScoreBody(pixels))["data"][0].toArray();
    QCOMPARE(row.size(), 784);
    QCOMPARE(row[300].toDouble(), 0.5);
    QCOMPARE(row[301].toDouble(), 1.0);
    const auto p = firstProbabilities("{\"classes\": [1], \"probabilities\": [[0.25, 0.75]]}");
    QVERIFY(p && *p == (QVector<double>{0.25, 0.75}));
    QVERIFY(!firstProbabilities("{\"classes\": [1]}"));
    QCOMPARE(errorSentence("{\"error\": \"The body is not valid JSON.\"}"),
             QStringLiteral("The body is not valid JSON."));
    QCOMPARE(prettyJson("not json"), QStringLiteral("not json"));
}

void TestEndpointsPage::listModelPassesTheTester() {
    EndpointListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto record = [](const QString& name, EndpointState state) {
        EndpointRecord e;
        e.name = name;
        e.state = state;
        e.port = 8000;
        e.models = {QStringLiteral("mnist:1")};
        return e;
    };
    EndpointListing listing;
    listing.endpoints = {record(QStringLiteral("b"), EndpointState::Healthy),
                         record(QStringLiteral("a"), EndpointState::Stopped)};
    listing.keys.insert(QStringLiteral("b"), QStringLiteral("k"));
    model.setListing(listing);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, EndpointListModel::NameColumn).data().toString(), QStringLiteral("a"));
    QCOMPARE(model.index(1, EndpointListModel::StateColumn).data().toString(),
             QStringLiteral("Healthy"));
    QCOMPARE(model.index(1, EndpointListModel::UrlColumn).data().toString(),
             QStringLiteral("http://127.0.0.1:8000/score"));
    QCOMPARE(model.keyOf(QStringLiteral("b")), QStringLiteral("k"));
    QCOMPARE(model.keyOf(QStringLiteral("a")), QString());
    // The same endpoints in a new state: cells refresh, no reset (the selection stays).
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    listing.endpoints[0].state = EndpointState::Unhealthy;
    model.setListing(listing);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(model.index(1, EndpointListModel::StateColumn)
                 .data(EndpointListModel::StateRole)
                 .toString(),
             QStringLiteral("Unhealthy"));
    listing.endpoints.removeFirst();
    model.setListing(listing);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowOf(QStringLiteral("b")), -1);
}

void TestEndpointsPage::deployDrawSendStopAndRemove() {
    const QString stateFile = tmp_.filePath(QStringLiteral("state.json"));
    qputenv("LABBENCH_UI_STATE_FILE", stateFile.toLocal8Bit());
    MainWindow w;
    qunsetenv("LABBENCH_UI_STATE_FILE");
    w.resize(1400, 900);
    w.openWorkspace(root_);
    QVERIFY(QTest::qWaitFor([&] { return w.snapshot() != nullptr; }, 10000));
    ModelsPage* models = w.modelActions()->openModelsPage(QStringLiteral("mnist"), 1);
    QVERIFY(models);
    QVERIFY(QTest::qWaitFor([&] { return models->selectedModel() == QLatin1String("mnist:1"); },
                            10000));
    QVERIFY(models->deployButton()->isEnabled());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));

    // Deploy… opens the dialog on the version; it suggests a name and native scoring.
    QTest::mouseClick(models->deployButton(), Qt::LeftButton);
    auto* dialog = models->findChild<DeployDialog*>();
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(dialog->nameEdit()->text(), QStringLiteral("mnist-1"));
    QCOMPARE(dialog->kind(), DeployDialog::Kind::Native);
    QVERIFY(dialog->deployButton()->isEnabled());
    // A name the core refuses holds Deploy back with its rule.
    dialog->nameEdit()->setText(QStringLiteral("no spaces allowed"));
    QVERIFY(!dialog->deployButton()->isEnabled());
    QVERIFY(!dialog->problem().isEmpty());
    dialog->nameEdit()->setText(QStringLiteral("digits"));
    QVERIFY(dialog->deployButton()->isEnabled());

    // A port something else listens on: the core's sentence in the dialog, nothing recorded.
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    dialog->portBox()->setValue(squatter.serverPort());
    QTest::mouseClick(dialog->deployButton(), Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] { return !dialog->busy(); }, 30000));
    QVERIFY2(dialog->problem().contains(QLatin1String("already in use")),
             qPrintable(dialog->problem()));
    QVERIFY(dialog->isVisible());
    {
        Workspace ws = Workspace::open(root_);
        QVERIFY(!ws.store().endpoints().find(QStringLiteral("digits")));
    }
    squatter.close();

    // Any free port: the real deploy, through the core, until Healthy.
    dialog->portBox()->setValue(0);
    QSignalSpy deployed(dialog, &DeployDialog::deployed);
    const QPointer<DeployDialog> open(dialog); // deleted once it closes
    QTest::mouseClick(dialog->deployButton(), Qt::LeftButton);
    const bool healthy = deployed.wait(120000) || !deployed.isEmpty();
    QVERIFY2(healthy, qPrintable(open ? open->problem() : QStringLiteral("(dialog closed)")));
    QVERIFY(QTest::qWaitFor([&] { return open.isNull(); }, 5000));
    const auto endpoint = deployed.first().first().value<EndpointRecord>();
    QCOMPARE(toString(endpoint.state), QStringLiteral("Healthy"));
    QCOMPARE(endpoint.kind, QStringLiteral("native"));
    QCOMPARE(endpoint.models, QStringList{QStringLiteral("mnist:1")});
    QCOMPARE(endpoint.host, QStringLiteral("127.0.0.1"));
    QVERIFY(endpoint.port > 0);

    // The window brings the Endpoints page up on it.
    auto* page = qobject_cast<EndpointsPage*>(w.tabs()->currentWidget());
    QVERIFY(page);
    EndpointPanel* panel = page->panel();
    QVERIFY(
        QTest::qWaitFor([&] { return panel->endpointName() == QLatin1String("digits"); }, 10000));
    QVERIFY(QTest::qWaitFor([&] { return panel->statePill()->text() == QLatin1String("Healthy"); },
                            10000));
    const QString uri = QStringLiteral("http://127.0.0.1:%1/score").arg(endpoint.port);
    QCOMPARE(panel->urlEdit()->text(), uri);
    QTest::mouseClick(panel->copyButton(), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), uri);
    QVERIFY(panel->stopButton()->isEnabled());
    // The browser lists it under Endpoints, with its state (found again on each look: a new
    // node resets the tree, which drops the indexes held before).
    WorkspaceModel* tree = w.workspaceModel();
    auto endpointsCategory = [tree] {
        for (int r = 0; r < tree->rowCount(); ++r)
            if (tree->index(r, 0).data(WorkspaceModel::KeyRole) == QStringLiteral("endpoints"))
                return tree->index(r, 0);
        return QModelIndex();
    };
    QVERIFY(QTest::qWaitFor(
        [&] {
            const QModelIndex category = endpointsCategory();
            return tree->rowCount(category) == 1 &&
                   tree->index(0, 0, category).data(WorkspaceModel::KeyRole).toString() ==
                       QLatin1String("digits") &&
                   tree->index(0, WorkspaceModel::StatusColumn, category).data().toString() ==
                       QLatin1String("Healthy");
        },
        10000));

    // The endpoint says its rows are 784 pixels: the canvas and bars are offered.
    TestPanel* test = panel->testPanel();
    QVERIFY(QTest::qWaitFor([&] { return test->imageInput(); }, 10000));
    panel->tabs()->setCurrentWidget(test);
    panel->charts()->setPollInterval(250);
    QVERIFY(QTest::qWaitFor([&] { return panel->charts()->scrapes() >= 1; }, 10000));

    // A stroke down the middle of the canvas, as the mouse draws a "1".
    DigitCanvas* canvas = test->canvas();
    QVERIFY(canvas->isVisible() && canvas->isBlank());
    const int cx = canvas->width() / 2;
    const int top = canvas->height() / 5, bottom = canvas->height() * 4 / 5;
    QTest::mousePress(canvas, Qt::LeftButton, {}, QPoint(cx, top));
    for (int y = top; y <= bottom; y += 6)
        QTest::mouseMove(canvas, QPoint(cx + (y - top) / 20, y));
    QTest::mouseRelease(canvas, Qt::LeftButton, {}, QPoint(cx + (bottom - top) / 20, bottom));
    QVERIFY(!canvas->isBlank());
    // The drawing became the body: 784 pixels in [0, 1], a stroke's worth of them inked.
    const QJsonArray drawn =
        QJsonDocument::fromJson(test->bodyEdit()->toPlainText().toUtf8())["data"][0].toArray();
    QCOMPARE(drawn.size(), 784);
    int inked = 0;
    for (const QJsonValue& v : drawn) {
        QVERIFY(v.toDouble() >= 0 && v.toDouble() <= 1);
        inked += v.toDouble() > 0.5;
    }
    QVERIFY2(inked >= 20 && inked <= 300, qPrintable(QString::number(inked)));

    QSignalSpy answered(test, &TestPanel::answered);
    QTest::mouseClick(test->sendButton(), Qt::LeftButton);
    QVERIFY(answered.wait(30000));
    QCOMPARE(test->lastStatus(), 200);
    const QVector<double> bars = test->bars()->probabilities();
    QCOMPARE(bars.size(), 10);
    double sum = 0;
    for (double p : bars) {
        QVERIFY(p >= 0 && p <= 1);
        sum += p;
    }
    QVERIFY2(std::abs(sum - 1.0) < 1e-3, qPrintable(QString::number(sum)));
    // The bars show the server's answer: its class is the highest bar.
    const QJsonDocument answer =
        QJsonDocument::fromJson(test->answerView()->toPlainText().toUtf8());
    QCOMPARE(answer["classes"][0].toInt(-1), test->bars()->predicted());
    QVERIFY(test->statusLabel()->text().startsWith(QStringLiteral("200 · ")));
    QVERIFY(test->statusLabel()->text().contains(QLatin1String(" ms")));

    // The charts drew the traffic from /metrics: a rate, and a latency once the request was
    // answered between two scrapes (one each 250 ms here, to keep the test short).
    QVERIFY(QTest::qWaitFor(
        [&] {
            return totalPoints(panel->charts()->rateChart()) > 0 &&
                   totalPoints(panel->charts()->latencyChart()) > 0;
        },
        15000));
    // A picture of the page with the test panel and its answer, for review (once the rate
    // chart has a few scrapes to draw a line through).
    QVERIFY(QTest::qWaitFor([&] { return totalPoints(panel->charts()->rateChart()) >= 8; }, 15000));
    QTest::qWait(100);
    const QString artifacts = QStringLiteral(LABBENCH_BIN_DIR "/../test-artifacts");
    QDir().mkpath(artifacts);
    QVERIFY(w.grab().save(artifacts + QStringLiteral("/endpoints_page.png"), "PNG"));

    // A malformed body: the server's 400 sentence in the panel, no bars.
    test->bodyEdit()->setPlainText(QStringLiteral("{\"data\": [[0.1, 0.2"));
    QTest::mouseClick(test->sendButton(), Qt::LeftButton);
    QVERIFY(answered.wait(30000));
    QCOMPARE(test->lastStatus(), 400);
    QVERIFY2(test->lastError().contains(QLatin1String("not valid JSON")),
             qPrintable(test->lastError()));
    QVERIFY(test->statusLabel()->text().contains(test->lastError()));
    QVERIFY(test->bars()->probabilities().isEmpty());

    // The server's log streams into the Log tab.
    QVERIFY(panel->log());
    QVERIFY(QTest::qWaitFor([&] { return panel->log()->lineCount() > 0; }, 10000));

    // The state hook reports the page as the window shows it.
    QJsonObject reported;
    QVERIFY(QTest::qWaitFor(
        [&] {
            QFile f(stateFile);
            if (!f.open(QIODevice::ReadOnly)) return false;
            const QJsonArray pages =
                QJsonDocument::fromJson(f.readAll())["endpoints_pages"].toArray();
            reported = pages.isEmpty() ? QJsonObject() : pages[0].toObject();
            return reported["test_status"].toInt() == 400;
        },
        5000));
    QCOMPARE(reported["selected"].toString(), QStringLiteral("digits"));
    QCOMPARE(reported["state"].toString(), QStringLiteral("Healthy"));
    QCOMPARE(reported["endpoints"].toArray().first().toString(), QStringLiteral("digits: Healthy"));

    // Stop: the server goes, the pill says so, and so does the store.
    QTest::mouseClick(panel->stopButton(), Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] { return panel->statePill()->text() == QLatin1String("Stopped"); },
                            30000));
    QVERIFY(!panel->stopButton()->isEnabled());
    QCOMPARE(panel->restartButton()->text(), QStringLiteral("Start"));
    {
        Workspace ws = Workspace::open(root_);
        QCOMPARE(toString(ws.store().endpoints().find(QStringLiteral("digits"))->state),
                 QStringLiteral("Stopped"));
        QVERIFY(!endpointServerRunning(root_, QStringLiteral("digits")));
    }
    // Start brings it back on the same port.
    QTest::mouseClick(panel->restartButton(), Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] { return panel->statePill()->text() == QLatin1String("Healthy"); },
                            90000));
    QVERIFY(endpointServerRunning(root_, QStringLiteral("digits")));

    // Remove (confirmed here by the test): gone from the store, its folder and the page.
    const QString folder = EndpointFolder(root_, QStringLiteral("digits")).dir;
    QVERIFY(QDir(folder).exists());
    panel->remove(false);
    QVERIFY(QTest::qWaitFor([&] { return page->model()->rowCount() == 0; }, 30000));
    QVERIFY(!QDir(folder).exists());
    QVERIFY(!endpointServerRunning(root_, QStringLiteral("digits")));
}

void TestEndpointsPage::scorePyWithAKeyFromTheDialogAnswersThePanel() {
    const QString source = tmp_.filePath(QStringLiteral("scorer"));
    test::writeFile(source + QStringLiteral("/score.py"), kScorePy);
    // The oracle: eight MNIST test images and the trainer's own C++ inference of the same model.
    constexpr int kRows = 8;
    const auto images = lb::train::readIdxImages(LABBENCH_MNIST_DIR "/t10k-images-idx3-ubyte.gz");
    QString modelPath;
    {
        Workspace ws = Workspace::open(root_);
        modelPath = ModelRegistry(ws).get(ModelRef::parse(QStringLiteral("mnist:1"), true)).path;
    }
    lb::train::Predictor predictor(lb::train::loadModel(modelPath.toStdString()),
                                   lb::train::makeBackend(lb::train::BackendKind::Cpu, {}));
    QJsonArray rows;
    std::vector<float> x;
    for (int r = 0; r < kRows; ++r) {
        QJsonArray row; // pixels scaled to [0, 1], as a client sends them
        for (int p = 0; p < 784; ++p) {
            const float pixel = images.pixels[std::size_t(r) * 784 + std::size_t(p)] / 255.0f;
            row.append(double(pixel));
            x.push_back(predictor.normalise01(pixel)); // x is (kRows, 784)
        }
        rows.append(row);
    }
    const lb::train::Predictions expected = predictor.predict(x.data(), kRows);
    QJsonArray expectedClasses;
    for (int r = 0; r < kRows; ++r)
        expectedClasses.append(expected.best[std::size_t(r)]);

    MainWindow w;
    w.resize(1400, 900);
    w.openWorkspace(root_);
    QVERIFY(QTest::qWaitFor([&] { return w.snapshot() != nullptr; }, 10000));
    ModelsPage* models = w.modelActions()->openModelsPage(QStringLiteral("mnist"), 1);
    QVERIFY(models);
    QVERIFY(QTest::qWaitFor([&] { return models->selectedModel() == QLatin1String("mnist:1"); },
                            10000));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTest::mouseClick(models->deployButton(), Qt::LeftButton);
    auto* dialog = models->findChild<DeployDialog*>();
    QVERIFY(dialog && dialog->isVisible());

    // score.py: its fields come alive, the native batching delay does not apply.
    dialog->kindBox()->setCurrentIndex(1);
    QCOMPARE(dialog->kind(), DeployDialog::Kind::Score);
    QVERIFY(dialog->pipEdit()->isEnabled() && dialog->runTimeoutBox()->isEnabled());
    QVERIFY(!dialog->batchDelayBox()->isEnabled());
    dialog->nameEdit()->setText(QStringLiteral("digits-py"));
    QVERIFY(!dialog->deployButton()->isEnabled()); // no source folder yet
    QVERIFY2(dialog->problem().contains(QLatin1String("Choose the folder")),
             qPrintable(dialog->problem()));
    dialog->sourceEdit()->setText(source);
    QVERIFY(dialog->deployButton()->isEnabled());

    // Key authentication: the user's choice on this machine, forced off it (as the core does).
    QCheckBox* auth = dialog->authBox();
    QVERIFY(!auth->isChecked() && auth->isEnabled());
    dialog->hostEdit()->setText(QStringLiteral("0.0.0.0"));
    QVERIFY(auth->isChecked() && !auth->isEnabled());
    dialog->hostEdit()->setText(QStringLiteral("127.0.0.1"));
    QVERIFY(!auth->isChecked() && auth->isEnabled());
    QTest::mouseClick(auth, Qt::LeftButton);
    QVERIFY(auth->isChecked());

    // pip requirements get the core's check while typed: an option is refused, with the field.
    dialog->pipEdit()->setText(QStringLiteral("numpy --index-url=http://example.com/simple"));
    QVERIFY(!dialog->deployButton()->isEnabled());
    QVERIFY2(dialog->problem().contains(QLatin1String("looks like an option")),
             qPrintable(dialog->problem()));
    // numpy is the system Python's already: the environment builds without the network.
    dialog->pipEdit()->setText(QStringLiteral("numpy"));
    QVERIFY2(dialog->deployButton()->isEnabled(), qPrintable(dialog->problem()));
    dialog->workersBox()->setValue(2);
    dialog->requestTimeoutBox()->setValue(7);
    dialog->runTimeoutBox()->setValue(20);
    const QString artifacts = QStringLiteral(LABBENCH_BIN_DIR "/../test-artifacts");
    QDir().mkpath(artifacts);
    QVERIFY(dialog->grab().save(artifacts + QStringLiteral("/deploy_dialog_score.png"), "PNG"));

    QSignalSpy deployed(dialog, &DeployDialog::deployed);
    const QPointer<DeployDialog> open(dialog);
    QTest::mouseClick(dialog->deployButton(), Qt::LeftButton);
    const bool healthy = deployed.wait(240000) || !deployed.isEmpty();
    QVERIFY2(healthy, qPrintable(open ? open->problem() : QStringLiteral("(dialog closed)")));
    const auto endpoint = deployed.first().first().value<EndpointRecord>();
    QCOMPARE(toString(endpoint.state), QStringLiteral("Healthy"));
    QCOMPARE(endpoint.kind, QStringLiteral("score"));
    QVERIFY(endpoint.auth);
    QCOMPARE(endpoint.workers, 2);
    QCOMPARE(endpoint.pipPackages, QStringList{QStringLiteral("numpy")});
    const EndpointFolder folder(root_, QStringLiteral("digits-py"));
    const EndpointLimits limits = readEndpointLimits(folder.limitsPath());
    QCOMPARE(limits.requestTimeoutS, 7);
    QCOMPARE(limits.runTimeoutS, 20);
    const QString key = readEndpointKey(folder.keyPath());
    QCOMPARE(key.size(), 64);

    // The page shows the key masked, and shows and copies it on request.
    auto* page = qobject_cast<EndpointsPage*>(w.tabs()->currentWidget());
    QVERIFY(page);
    EndpointPanel* panel = page->panel();
    QVERIFY(QTest::qWaitFor(
        [&] {
            return panel->endpointName() == QLatin1String("digits-py") &&
                   panel->statePill()->text() == QLatin1String("Healthy");
        },
        10000));
    const auto* facts = panel->findChild<QLabel*>(QStringLiteral("endpointFacts"));
    QVERIFY(facts);
    QVERIFY2(facts->text().contains(QLatin1String("request limit 7 s, run() limit 20 s")) &&
                 facts->text().contains(QLatin1String("2 worker(s)")),
             qPrintable(facts->text()));
    QVERIFY(panel->keyRow()->isVisible());
    QCOMPARE(panel->keyEdit()->text(), key);
    QCOMPARE(panel->keyEdit()->echoMode(), QLineEdit::Password);
    QVERIFY(!panel->keyEdit()->displayText().contains(key));
    QTest::mouseClick(panel->showKeyButton(), Qt::LeftButton);
    QCOMPARE(panel->keyEdit()->echoMode(), QLineEdit::Normal);
    QTest::mouseClick(panel->copyKeyButton(), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), key);

    // The test panel sends the key: numpy's answer for the eight images is the trainer's.
    TestPanel* test = panel->testPanel();
    panel->tabs()->setCurrentWidget(test);
    QVERIFY(!test->imageInput()); // a score.py says nothing of its inputs' shape
    QVERIFY(test->sendKeyBox()->isVisible() && test->sendKeyBox()->isChecked());
    test->bodyEdit()->setPlainText(
        QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("data"), rows}}).toJson()));
    QSignalSpy answered(test, &TestPanel::answered);
    QTest::mouseClick(test->sendButton(), Qt::LeftButton);
    QVERIFY(answered.wait(60000));
    QVERIFY2(test->lastStatus() == 200, qPrintable(test->answerView()->toPlainText()));
    const QJsonDocument answer =
        QJsonDocument::fromJson(test->answerView()->toPlainText().toUtf8());
    QCOMPARE(answer["classes"].toArray(), expectedClasses);

    // Without the key: the server's 401 sentence, in the panel.
    QTest::mouseClick(test->sendKeyBox(), Qt::LeftButton);
    QVERIFY(!test->sendKeyBox()->isChecked());
    QTest::mouseClick(test->sendButton(), Qt::LeftButton);
    QVERIFY(answered.wait(30000));
    QVERIFY2(test->lastStatus() == 401, qPrintable(test->statusLabel()->text()));
    QVERIFY2(test->lastError().contains(QLatin1String("needs its key")),
             qPrintable(test->lastError()));
    QVERIFY(test->statusLabel()->text().contains(test->lastError()));
    // A picture of the page with the key row (masked again) and the 401, for review.
    QTest::mouseClick(panel->showKeyButton(), Qt::LeftButton);
    QCOMPARE(panel->keyEdit()->echoMode(), QLineEdit::Password);
    QVERIFY(w.grab().save(artifacts + QStringLiteral("/endpoints_page_key.png"), "PNG"));

    panel->remove(false);
    QVERIFY(QTest::qWaitFor([&] { return page->model()->rowCount() == 0; }, 30000));
    QVERIFY(!endpointServerRunning(root_, QStringLiteral("digits-py")));
}

QTEST_MAIN(TestEndpointsPage)
#include "tst_endpoints_page.moc"
