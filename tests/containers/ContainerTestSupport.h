#pragma once
// Helpers for the tests that run real containers (podman, the image tests/containers/image.sh
// builds): what the engine says about a run's container.
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QThread>

namespace containers {

inline const QString kImage = QStringLiteral("labbench-test:1");

// Every container (running or not) whose name is exactly `name`, as `podman ps -a` lists them.
inline QStringList containersNamed(const QString& name) {
    QProcess p;
    p.start(QStringLiteral("podman"),
            {QStringLiteral("ps"), QStringLiteral("-a"), QStringLiteral("--filter"),
             QStringLiteral("name=^%1$").arg(name), QStringLiteral("--format"),
             QStringLiteral("{{.Names}} {{.State}}")});
    p.waitForFinished(30000);
    return QString::fromUtf8(p.readAllStandardOutput())
        .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

// Waits up to `ms` for the container `name` to be running.
inline bool waitForRunningContainer(const QString& name, int ms) {
    for (int waited = 0; waited < ms; waited += 200) {
        for (const QString& line : containersNamed(name))
            if (line.contains(QLatin1String(" Up"))) return true; // podman 4.3's State: "Up 2 seconds ago"
        QThread::msleep(200);
    }
    return false;
}

inline bool podmanAnswers() {
    QProcess p;
    p.start(QStringLiteral("podman"), {QStringLiteral("image"), QStringLiteral("exists"), kImage});
    return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace containers
