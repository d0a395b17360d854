#pragma once
// Start-up measurement for the benchmark, off unless LABBENCH_UI_STARTUP_FILE is set: writes
// the wall-clock times (ms since the epoch) of the window's first paint and of the first paint
// after the workspace tree was filled, then quits when LABBENCH_UI_QUIT_AFTER_STARTUP=1.

#include <QObject>

namespace lb::ui {

class WorkbenchShell;

class StartupProbe : public QObject {
    Q_OBJECT
public:
    // `treeViewport` is the workspace browser's; `shell` says when the workspace has loaded.
    static void installIfRequested(QWidget* window, QWidget* treeViewport,
                                   const WorkbenchShell* shell);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    StartupProbe(QWidget* window, QWidget* treeViewport, const WorkbenchShell* shell);
    void write();
    QWidget* treeViewport_;
    const WorkbenchShell* shell_;
    QString path_;
    qint64 firstPaint_ = 0;
    qint64 treePaint_ = 0;
    int runs_ = 0;
    double firstPaintCpu_ = 0;
    double treePaintCpu_ = 0;
};

} // namespace lb::ui
