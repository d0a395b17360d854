#include "ui/main/StateHook.h"

#include "ui/charts/MetricChart.h"
#include "ui/charts/MetricChartsPanel.h"
#include "ui/estimator/EstimatorForm.h"
#include "core/live/LogModel.h"
#include "core/live/RunDetail.h"
#include "ui/main/MainWindow.h"
#include "ui/run/LogView.h"
#include "ui/run/RunDashboard.h"
#include "core/util/AtomicFile.h"
#include "core/util/Json.h"

#include <QDir>
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
    minPoints_ = std::max(1, qEnvironmentVariableIntValue("LABBENCH_UI_SCREENSHOT_MIN_POINTS"));
    shotsDir_ = qEnvironmentVariable("LABBENCH_UI_SHOTS_DIR");
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
            if (points >= minPoints_ && !tail.isEmpty()) {
                // Shot on the next tick, once the dashboard has been painted in front.
                if (t->currentWidget() == d)
                    showsPointAndLine = true;
                else if (!shot_)
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
        tour_ = shotsDir_.isEmpty() ? -1 : 0;
        quitNow = shot_ && tour_ < 0 &&
                  qEnvironmentVariableIntValue("LABBENCH_UI_QUIT_AFTER_SCREENSHOT") == 1;
    } else if (tour_ >= 0 && !tourStep()) {
        tour_ = -1;
        quitNow = qEnvironmentVariableIntValue("LABBENCH_UI_QUIT_AFTER_SCREENSHOT") == 1;
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

// One step of the screenshot tour: show a section, and on the next step save it. False at the end.
bool StateHook::tourStep() {
    QTabWidget* t = window_->tabs();
    RunDashboard* d = nullptr;
    int formIndex = -1;
    for (int i = 0; i < t->count(); ++i) {
        if (auto* dash = qobject_cast<RunDashboard*>(t->widget(i)))
            d = d ? d : dash;
        else if (qobject_cast<EstimatorForm*>(t->widget(i)) && formIndex < 0)
            formIndex = i;
    }
    const int sections = d ? d->sections()->count() : 0;
    const int step = tour_++;
    const int shot = step - 1; // step k shows view k and saves view k-1
    auto save = [&](const QString& name) {
        window_->grab().save(QDir(shotsDir_).filePath(name + QStringLiteral(".png")), "PNG");
    };
    if (shot >= 0 && shot < sections)
        save(QStringLiteral("dashboard-") + d->sections()->tabText(shot).toLower());
    else if (shot == sections && formIndex >= 0)
        save(QStringLiteral("estimator-form"));
    else if (shot == sections + 1)
        save(QStringLiteral("start"));
    if (step < sections) {
        t->setCurrentWidget(d);
        d->sections()->setCurrentIndex(step);
        return true;
    }
    if (step == sections && formIndex >= 0) {
        t->setCurrentIndex(formIndex);
        return true;
    }
    if (step == sections + 1) {
        t->setCurrentIndex(0);
        return true;
    }
    return step < sections + 2;
}

} // namespace lb::ui
