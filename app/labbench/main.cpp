// labbench: with a subcommand, the headless command line (QtCore only, no display needed);
// without one, the desktop workbench: `labbench [--workspace DIR] [SCRIPT.py | FOLDER |
// ESTIMATOR.json]…` opens the window, and each path opens an estimator form as a drop would.
#include "app/cli/CommandLine.h"
#include "ui/common/AppStyle.h"
#include "ui/common/WheelGuard.h"
#include "core/live/RecentWorkspaces.h"
#include "ui/main/MainWindow.h"
#include "core/util/ByteStrings.h"
#include "core/workspace/WorkspaceDiscovery.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QTextStream>

#include <cstdio>

namespace {

// The workspace the window starts on: --workspace, $LABBENCH_WORKSPACE, a workspace around the
// current folder, the last one opened, else the default workspace (created on first use).
QString startWorkspace(const QString& explicitDir, bool* createDefault) {
    *createDefault = false;
    if (!explicitDir.isEmpty())
        return explicitDir;
    const QString env = qEnvironmentVariable("LABBENCH_WORKSPACE");
    if (!env.isEmpty())
        return env;
    const QString around = lb::findWorkspaceRoot(QDir::currentPath());
    if (!around.isEmpty())
        return around;
    for (const QString& recent : lb::RecentWorkspaces::list()) {
        if (QFileInfo::exists(recent + QStringLiteral("/config.json")))
            return recent;
    }
    *createDefault = true;
    return lb::defaultWorkspaceDir();
}

bool looksLikePath(const QString& arg) {
    return arg.contains(QLatin1Char('/')) || arg.contains(QLatin1Char('.'));
}

// Says in the window (a message box that does not block, and the status bar) which of the
// paths the window was started with do not exist, and returns the others.
QStringList reportMissing(lb::ui::MainWindow& window, const QStringList& paths) {
    QStringList found, missing;
    for (const QString& p : paths)
        (QFileInfo::exists(p) ? found : missing).append(p);
    if (missing.isEmpty())
        return found;
    QStringList shown;
    for (const QString& p : missing)
        shown.append(QDir::toNativeSeparators(p));
    const QString text =
        QCoreApplication::translate("main", "Labbench cannot open %1: there is no such file or "
                                            "folder. Check the name, or drop a training script "
                                            "onto the window.")
            .arg(shown.join(QStringLiteral(", ")));
    window.showStatusMessage(text, 0);
    auto* box = new QMessageBox(QMessageBox::Warning,
                                QCoreApplication::translate("main", "File not found"), text,
                                QMessageBox::Ok, &window);
    box->setObjectName(QStringLiteral("openError"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // window-modal, not a nested event loop: the window and its tests keep going
    return found;
}

int runWorkbench(int argc, char** argv) {
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("labbench"));
    QCoreApplication::setOrganizationName(QStringLiteral("labbench"));
    lb::ui::applyAppStyle(app);
    lb::ui::WheelGuard::install(app); // no form or dialog changes a setting under a passing wheel
    // Qt has taken its own options (-platform, …) out of arguments() by now.
    const QStringList args = app.arguments().mid(1);
    QString workspace;
    QStringList paths;
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--workspace") && i + 1 < args.size()) {
            workspace = args[++i];
        } else if (args[i].startsWith(QLatin1String("--workspace="))) {
            workspace = args[i].mid(12);
        } else if (args[i] == QLatin1String("--")) {
            paths += args.mid(i + 1);
            break;
        } else {
            paths.append(QFileInfo(args[i]).absoluteFilePath());
        }
    }
    lb::ui::MainWindow window;
    bool createDefault = false;
    const QString dir = startWorkspace(workspace, &createDefault);
    window.openWorkspace(dir, createDefault ? QStringLiteral("default") : QString());
    window.show();
    paths = reportMissing(window, paths);
    if (!paths.isEmpty())
        window.openPaths(paths);
    return app.exec();
}

} // namespace

int main(int argc, char** argv) {
    // Arguments are bytes: decoded so that encodeBytes() gives every one of them back (a script
    // argument or a file name that is not UTF-8 reaches the script unchanged, #25).
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args.append(lb::decodeBytes(argv[i]));

    lb::cli::CommandLine cli;
    lb::cli::registerAllCommands(cli);
    if (!cli.namesCommand(args)) {
        // A word that is neither a command nor a file to open is a typo of a command: say so
        // instead of opening a window (scripts calling `labbench frobnicate` must not hang).
        for (qsizetype i = 0; i < args.size(); ++i) {
            if (args[i] == QLatin1String("--workspace")) {
                ++i;
                continue;
            }
            if (args[i] == QLatin1String("--"))
                break;
            // A name with a dot or a slash is a file the user meant to open ("nope.py"): the
            // window opens and says it is missing, since from a launcher or a file manager a
            // line on stderr is never seen (#23 item 8). A bare word is a mistyped command.
            if (!args[i].startsWith(QLatin1Char('-')) && !QFileInfo::exists(args[i]) &&
                !looksLikePath(args[i])) {
                std::fprintf(stderr,
                             "labbench: '%s' is neither a labbench command nor a file to open; run "
                             "'labbench --help' for the commands.\n",
                             qPrintable(lb::displayText(args[i])));
                return 2;
            }
        }
        return runWorkbench(argc, argv);
    }

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("labbench"));
    QTextStream out(stdout);
    QTextStream err(stderr);
    return cli.run(args, out, err);
}
