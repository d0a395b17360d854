#pragma once
// Start-up measurement for the benchmark, off unless LABBENCH_UI_STARTUP_FILE is set: writes
// the wall-clock times (ms since the epoch) of the window's first paint and of the first paint
// after the workspace tree was filled, then quits when LABBENCH_UI_QUIT_AFTER_STARTUP=1.

#include <QObject>

namespace lb::ui {

class MainWindow;

class StartupProbe : public QObject {
    Q_OBJECT
public:
    static void installIfRequested(MainWindow* window);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    explicit StartupProbe(MainWindow* window);
    void write();
    MainWindow* window_;
    QString path_;
    qint64 firstPaint_ = 0;
    qint64 treePaint_ = 0;
    int runs_ = 0;
    double firstPaintCpu_ = 0;
    double treePaintCpu_ = 0;
};

} // namespace lb::ui
