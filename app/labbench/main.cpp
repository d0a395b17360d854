// labbench: with a subcommand, the headless command line (QtCore only, no display needed);
// without one, the desktop workbench.
#include "CommandLine.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

int main(int argc, char** argv) {
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args.append(QString::fromLocal8Bit(argv[i]));

    lb::cli::CommandLine cli;
    lb::cli::registerAllCommands(cli);

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("labbench"));
    QTextStream out(stdout);
    QTextStream err(stderr);
    // Until the desktop workbench lands (issue 6), no subcommand prints the overview.
    return cli.run(args, out, err);
}
