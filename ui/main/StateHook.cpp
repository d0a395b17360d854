#include "ui/main/StateHook.h"

#include "core/util/AtomicFile.h"
#include "core/util/Json.h"

#include <QCoreApplication>
#include <QLabel>
#include <QMessageBox>
#include <QMainWindow>
#include <QPointF>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>

namespace lb::ui {

namespace {

// One estimator form, through the properties it publishes for observers like this one.
Json formState(const QWidget& form) {
    Json f;
    f["title"] = toStd(form.property("title").toString());
    f["error"] = toStd(form.property("validationError").toString());
    f["arguments_read"] = form.property("argumentsRead").toBool();
    f["can_submit"] = form.property("canSubmit").toBool();
    Json params = Json::array();
    for (const QString& word : form.property("scriptParams").toStringList())
        params.push_back(toStd(word));
    f["script_params"] = params;
    return f;
}

// One dashboard: its run, status, the points each chart draws and the log's tail. `points` is
// the total drawn, `tail` the last lines shown.
Json dashboardState(const QWidget& dashboard, int* points, QStringList* tail) {
    Json j;
    j["run"] = toStd(dashboard.property("runId").toString());
    j["status"] = toStd(dashboard.property("status").toString());
    Json metrics = Json::array();
    *points = 0;
    for (const QWidget* chart : dashboard.findChildren<QWidget*>(QStringLiteral("metricChart"))) {
        Json m;
        m["name"] = toStd(chart->property("metric").toString());
        int n = 0;
        for (int k : chart->property("seriesPointCounts").value<QList<int>>())
            n += k;
        m["points_drawn"] = n;
        *points += n;
        const auto last = chart->property("lastPoints").value<QList<QPointF>>();
        if (!last.isEmpty())
            m["last"] = Json::array({last.front().x(), last.front().y()});
        metrics.push_back(m);
    }
    j["metrics"] = metrics;
    tail->clear();
    int lines = 0;
    if (auto* log = dashboard.findChild<QWidget*>(QStringLiteral("driverLog"))) {
        QMetaObject::invokeMethod(log, "tailLines", Q_RETURN_ARG(QStringList, *tail),
                                  Q_ARG(int, 20));
        lines = log->property("lineCount").toInt();
    }
    Json shown = Json::array();
    for (const QString& l : *tail)
        shown.push_back(toStd(l));
    j["log_lines"] = lines;
    j["log_tail"] = shown;
    return j;
}

// The Endpoints page: each endpoint's state, the one shown, and the test panel's last answer.
Json endpointsState(const QWidget& page) {
    Json j;
    Json states = Json::array();
    for (const QString& s : page.property("endpointStates").toStringList())
        states.push_back(toStd(s));
    j["endpoints"] = states;
    j["selected"] = toStd(page.property("selectedEndpoint").toString());
    if (const auto* panel = page.findChild<QWidget*>(QStringLiteral("endpointPanel")))
        j["state"] = toStd(panel->property("state").toString());
    if (const auto* test = page.findChild<QWidget*>(QStringLiteral("endpointTestPanel"))) {
        j["test_status"] = test->property("lastStatus").toInt();
        j["test_error"] = toStd(test->property("lastError").toString());
    }
    if (const auto* bars = page.findChild<QWidget*>(QStringLiteral("probabilityBars"))) {
        Json p = Json::array();
        for (double v : bars->property("probabilities").value<QVector<double>>())
            p.push_back(v);
        j["probabilities"] = p;
    }
    return j;
}

} // namespace

void StateHook::installIfRequested(QMainWindow* window) {
    if (qEnvironmentVariableIsEmpty("LABBENCH_UI_STATE_FILE") &&
        qEnvironmentVariableIsEmpty("LABBENCH_UI_SCREENSHOT") &&
        qEnvironmentVariableIsEmpty("LABBENCH_UI_AUTOSUBMIT"))
        return;
    new StateHook(window);
}

StateHook::StateHook(QMainWindow* window) : QObject(window), window_(window) {
    stateFile_ = qEnvironmentVariable("LABBENCH_UI_STATE_FILE");
    screenshot_ = qEnvironmentVariable("LABBENCH_UI_SCREENSHOT");
    autosubmit_ = qEnvironmentVariableIntValue("LABBENCH_UI_AUTOSUBMIT") == 1;
    minPoints_ = std::max(1, qEnvironmentVariableIntValue("LABBENCH_UI_SCREENSHOT_MIN_POINTS"));
    timer_.setInterval(300);
    connect(&timer_, &QTimer::timeout, this, &StateHook::tick);
    timer_.start();
}

void StateHook::tick() {
    auto* tabs = window_->findChild<QTabWidget*>(QStringLiteral("workbenchTabs"));
    auto* counts = window_->findChild<QLabel*>(QStringLiteral("workspaceCounts"));
    if (!tabs || !counts)
        return; // not a workbench window: nothing to report
    Json state = Json::object();
    state["workspace"] = toStd(window_->property("workspaceDir").toString());
    state["counts"] = toStd(counts->text());
    state["status_message"] = toStd(window_->statusBar()->currentMessage());
    // Message boxes on screen (an error the window opened with, #23 item 8).
    Json boxes = Json::array();
    for (const QMessageBox* box : window_->findChildren<QMessageBox*>())
        if (box->isVisible())
            boxes.push_back(toStd(box->text()));
    state["message_boxes"] = boxes;
    Json tabTexts = Json::array();
    Json forms = Json::array();
    Json dashboards = Json::array();
    Json endpoints = Json::array();
    bool showsPointAndLine = false;
    for (int i = 0; i < tabs->count(); ++i) {
        QWidget* page = tabs->widget(i);
        tabTexts.push_back(toStd(tabs->tabText(i)));
        if (page->objectName() == QLatin1String("estimatorForm")) {
            forms.push_back(formState(*page));
            autosubmit(page);
        } else if (page->objectName() == QLatin1String("endpointsPage")) {
            endpoints.push_back(endpointsState(*page));
        } else if (page->objectName() == QLatin1String("runDashboard")) {
            int points = 0;
            QStringList tail;
            dashboards.push_back(dashboardState(*page, &points, &tail));
            if (points >= minPoints_ && !tail.isEmpty()) {
                // Shot on the next tick, once the dashboard has been painted in front.
                if (tabs->currentWidget() == page)
                    showsPointAndLine = true;
                else if (!shot_)
                    tabs->setCurrentWidget(page);
            }
        }
    }
    state["tabs"] = tabTexts;
    state["forms"] = forms;
    state["dashboards"] = dashboards;
    state["endpoints_pages"] = endpoints;
    bool quitNow = false;
    if (!screenshot_.isEmpty() && showsPointAndLine && !shot_) {
        shot_ = window_->grab().save(screenshot_, "PNG");
        quitNow = shot_ && qEnvironmentVariableIntValue("LABBENCH_UI_QUIT_AFTER_SCREENSHOT") == 1;
    }
    state["screenshot"] = shot_ ? toStd(screenshot_) : "";
    if (!stateFile_.isEmpty()) {
        try {
            writeFileAtomically(stateFile_, QByteArray::fromStdString(state.dump(2)));
        } catch (const std::exception&) {
            // A test hook must never take the window down.
        }
    }
    // After the state file has the shot. The event loop ends rather than the window closing
    // (exit(), not quit(), which in Qt 6 closes the windows first): the hook is no user, and the
    // quit notice about active runs is for users.
    if (quitNow)
        QTimer::singleShot(500, qApp, [] { QCoreApplication::exit(0); });
}

// Presses the form's real Submit button (its one "primary" button), once, when it is valid and
// its arguments were read.
void StateHook::autosubmit(QWidget* form) {
    if (!autosubmit_ || submitted_.contains(form) || !form->property("argumentsRead").toBool() ||
        !form->property("canSubmit").toBool())
        return;
    auto* submit = form->findChild<QPushButton*>(QStringLiteral("primary"));
    if (!submit)
        return;
    submitted_.insert(form);
    submit->click();
}

} // namespace lb::ui
