#include "ui/main/StartupProbe.h"

#include "core/util/AtomicFile.h"
#include "core/util/Json.h"
#include "ui/main/WorkbenchShell.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEvent>
#include <QTimer>
#include <QWidget>

#include <time.h>

namespace lb::ui {

void StartupProbe::installIfRequested(QWidget* window, QWidget* treeViewport,
                                      const WorkbenchShell* shell) {
    if (!qEnvironmentVariableIsEmpty("LABBENCH_UI_STARTUP_FILE"))
        new StartupProbe(window, treeViewport, shell);
}

StartupProbe::StartupProbe(QWidget* window, QWidget* treeViewport, const WorkbenchShell* shell)
    : QObject(window)
    , treeViewport_(treeViewport)
    , shell_(shell)
    , path_(qEnvironmentVariable("LABBENCH_UI_STARTUP_FILE")) {
    window->installEventFilter(this);
    treeViewport->installEventFilter(this);
}

namespace {
// CPU time of the whole process so far (all threads), in ms.
double processCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
} // namespace

bool StartupProbe::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() != QEvent::Paint)
        return false;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!firstPaint_) {
        firstPaint_ = now;
        firstPaintCpu_ = processCpuMs();
    }
    if (treePaint_ || watched != treeViewport_)
        return false;
    if (const WorkspaceSnapshotPtr snapshot = shell_->snapshot()) {
        treePaint_ = now;
        treePaintCpu_ = processCpuMs();
        for (const auto& e : snapshot->experiments)
            runs_ += static_cast<int>(e.runs.size());
        QTimer::singleShot(0, this, &StartupProbe::write);
    }
    return false;
}

void StartupProbe::write() {
    Json j;
    j["first_paint_ms"] = firstPaint_;
    j["tree_paint_ms"] = treePaint_;
    j["runs"] = runs_;
    j["first_paint_cpu_ms"] = firstPaintCpu_;
    j["tree_paint_cpu_ms"] = treePaintCpu_;
    writeFileAtomically(path_, QByteArray::fromStdString(j.dump()));
    if (qEnvironmentVariableIntValue("LABBENCH_UI_QUIT_AFTER_STARTUP") == 1)
        QCoreApplication::quit();
}

} // namespace lb::ui
