#include "main/StateHook.h"

#include "charts/MetricChart.h"
#include "charts/MetricChartsPanel.h"
#include "estimator/EstimatorForm.h"
#include "live/LogModel.h"
#include "live/RunDetail.h"
#include "main/MainWindow.h"
#include "run/LogView.h"
#include "run/RunDashboard.h"
#include "util/AtomicFile.h"
#include "util/Json.h"

#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>

namespace lb::ui {

StateHook* StateHook::fromEnvironment(MainWindow* window) {
    if (qEnvironmentVariableIsEmpty("LABBENCH_UI_STATE_FILE") &&
        qEnvironmentVariableIsEmpty("LABBENCH_UI_SCREENSHOT") &&
        qEnvironmentVariableIsEmpty("LABBENCH_UI_AUTOSUBMIT"))
        return nullptr;
    return new StateHook(window);
}

StateHook::StateHook(MainWindow* window) : QObject(window), window_(window) {
    stateFile_ = qEnvironmentVariable("LABBENCH_UI_STATE_FILE");
    screenshot_ = qEnvironmentVariable("LABBENCH_UI_SCREENSHOT");
    autosubmit_ = qEnvironmentVariableIntValue("LABBENCH_UI_AUTOSUBMIT") == 1;
    timer_.setInterval(300);
    connect(&timer_, &QTimer::timeout, this, &StateHook::tick);
    timer_.start();
}

void StateHook::tick() {
    Json state = Json::object();
    state["workspace"] = toStd(window_->workspaceDir());
    state["counts"] = toStd(window_->countsText());
    state["status_message"] = toStd(window_->statusBar()->currentMessage());
    Json tabs = Json::array();
    Json forms = Json::array();
    Json dashboards = Json::array();
    bool showsPointAndLine = false;
    QTabWidget* t = window_->tabs();
    for (int i = 0; i < t->count(); ++i) {
        tabs.push_back(toStd(t->tabText(i)));
        if (auto* form = qobject_cast<EstimatorForm*>(t->widget(i))) {
            Json f;
            f["title"] = toStd(form->title());
            f["error"] = toStd(form->validationError());
            f["arguments_read"] = form->argumentsRead();
            f["can_submit"] = form->canSubmit();
            Json params = Json::array();
            for (const QString& w : form->estimator().scriptParams)
                params.push_back(toStd(w));
            f["script_params"] = params;
            forms.push_back(f);
            if (autosubmit_ && form->argumentsRead() && form->canSubmit() &&
                !submitted_.contains(form)) {
                submitted_.insert(form);
                form->submitButton()->click();
            }
        } else if (auto* d = qobject_cast<RunDashboard*>(t->widget(i))) {
            Json j;
            j["run"] = toStd(d->runId());
            j["status"] = d->detail() ? toStd(toString(d->detail()->run.status)) : "";
            Json metrics = Json::array();
            int points = 0;
            for (const MetricChart* c : d->charts()->charts()) {
                Json m;
                m["name"] = toStd(c->metric());
                int n = 0;
                for (int k : c->seriesPointCounts())
                    n += k;
                m["points_drawn"] = n;
                points += n;
                const QList<QPointF> last = c->lastPoints();
                if (!last.isEmpty())
                    m["last"] = Json::array({last.front().x(), last.front().y()});
                metrics.push_back(m);
            }
            j["metrics"] = metrics;
            Json lines = Json::array();
            const QStringList tail = d->log()->tailLines(20);
            for (const QString& l : tail)
                lines.push_back(toStd(l));
            j["log_lines"] = d->log()->model()->rowCount();
            j["log_tail"] = lines;
            dashboards.push_back(j);
            if (points > 0 && !tail.isEmpty()) {
                // Shot on the next tick, once the dashboard has been painted in front.
                if (t->currentWidget() == d)
                    showsPointAndLine = true;
                else
                    t->setCurrentWidget(d);
            }
        }
    }
    state["tabs"] = tabs;
    state["forms"] = forms;
    state["dashboards"] = dashboards;
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
    if (quitNow)
        QTimer::singleShot(500, window_, &QWidget::close); // after the state file has the shot
}

} // namespace lb::ui
