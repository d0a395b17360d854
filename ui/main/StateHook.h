#pragma once
// A test hook, off unless its environment variables are set, so an end-to-end test can check
// what the real window shows without scraping pixels:
//   LABBENCH_UI_STATE_FILE=path   every 300 ms, a JSON of the tabs, the metric points charted
//                                 and the log lines shown (written atomically)
//   LABBENCH_UI_SCREENSHOT=path   one PNG of the window once a run shows a metric point and a
//                                 log line
//   LABBENCH_UI_SCREENSHOT_MIN_POINTS=N  wait for N charted points before that shot
//   LABBENCH_UI_SHOTS_DIR=dir     after that shot, one PNG per dashboard section and form
//   LABBENCH_UI_QUIT_AFTER_SCREENSHOT=1  closes the window once the screenshot is saved
//   LABBENCH_UI_AUTOSUBMIT=1      presses Submit (the real button) on each estimator form once
//                                 it is valid and its arguments were read

#include <QObject>
#include <QSet>
#include <QTimer>

namespace lb::ui {

class MainWindow;

class StateHook : public QObject {
    Q_OBJECT
public:
    // Null when no hook variable is set.
    static StateHook* fromEnvironment(MainWindow* window);

private:
    explicit StateHook(MainWindow* window);
    void tick();
    MainWindow* window_;
    QString stateFile_;
    QString screenshot_;
    bool autosubmit_ = false;
    bool shot_ = false;
    int minPoints_ = 1;
    QString shotsDir_;
    int tour_ = -1; // next step of the screenshot tour, -1 before it starts
    bool tourStep();
    QSet<QObject*> submitted_;
    QTimer timer_;
};

} // namespace lb::ui
