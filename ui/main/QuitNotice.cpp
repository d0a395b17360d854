#include "ui/main/QuitNotice.h"

#include <QDir>
#include <QMessageBox>
#include <QPushButton>

namespace lb::ui {

bool confirmQuitWithActiveRuns(QWidget* parent, int running, int queued,
                               const QString& workspaceDir) {
    if (running + queued <= 0)
        return true;
    const QString where = QDir::toNativeSeparators(workspaceDir);
    QMessageBox box(QMessageBox::Information, QObject::tr("Runs keep going"),
                    running + queued == 1
                        ? QObject::tr("1 run still active (%1 running, %2 queued).")
                              .arg(running)
                              .arg(queued)
                        : QObject::tr("%1 runs still active (%2 running, %3 queued).")
                              .arg(running + queued)
                              .arg(running)
                              .arg(queued),
                    QMessageBox::NoButton, parent);
    box.setObjectName(QStringLiteral("quitNotice"));
    box.setInformativeText(
        QObject::tr("They keep running after Labbench closes: each run has a supervisor of its "
                    "own, and queued runs start when there is room.\n\nTo find them again, open "
                    "this workspace (%1): they are under Experiments in the browser and in Runs "
                    "→ Runs table. From a terminal: labbench --workspace %1 runs list")
            .arg(where));
    QPushButton* quit = box.addButton(QObject::tr("Quit"), QMessageBox::AcceptRole);
    box.addButton(QObject::tr("Keep the window open"), QMessageBox::RejectRole);
    box.setDefaultButton(quit);
    box.exec();
    return box.clickedButton() == quit;
}

} // namespace lb::ui
