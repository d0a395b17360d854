#pragma once
// A test hook, off unless its environment variables are set, so an end-to-end test can check
// what the real window shows without scraping pixels:
//   LABBENCH_UI_STATE_FILE=path   every 300 ms, a JSON of the tabs, the metric points charted,
//                                 the log lines shown and the Endpoints page's states and test
//                                 answer (written atomically)
//   LABBENCH_UI_SCREENSHOT=path   one PNG of the window once a run shows a metric point and a
//                                 log line
//   LABBENCH_UI_SCREENSHOT_MIN_POINTS=N  wait for N charted points before that shot
//   LABBENCH_UI_QUIT_AFTER_SCREENSHOT=1  closes the window once the screenshot is saved
//   LABBENCH_UI_AUTOSUBMIT=1      presses Submit (the real button) on each estimator form once
//                                 it is valid and its arguments were read
// It reads the window through its public surface: widgets found by object name
// ("workbenchTabs", "workspaceCounts", "runDashboard", "estimatorForm", "metricChart",
// "driverLog", "endpointsPage", "endpointPanel", "endpointTestPanel", "probabilityBars") and
// their Qt properties; it includes no panel's header.
// (Pictures of each dashboard section, the form and the start page: tests/ui/tst_page_pictures.)

#include <QObject>
#include <QSet>
#include <QTimer>

class QMainWindow;
class QWidget;

namespace lb::ui {

class StateHook : public QObject {
    Q_OBJECT
public:
    // Installs a hook on `window` when a hook variable is set.
    static void installIfRequested(QMainWindow* window);

private:
    explicit StateHook(QMainWindow* window);
    void tick();
    void autosubmit(QWidget* form);

    QMainWindow* window_;
    QString stateFile_;
    QString screenshot_;
    bool autosubmit_ = false;
    bool shot_ = false;
    int minPoints_ = 1;
    QSet<QObject*> submitted_;
    QTimer timer_;
};

} // namespace lb::ui
