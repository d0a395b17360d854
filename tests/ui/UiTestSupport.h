#pragma once
// Helpers for the workbench tests: a real workspace in a temporary folder with runs and metrics
// recorded through the store's own repositories (no mocks).

#include "core/live/RunsTableModel.h"
#include "core/store/Store.h"
#include "core/workspace/Workspace.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

namespace lb::test {

// The run ids a runs table shows, top to bottom.
inline QStringList shownRunIds(const RunsTableModel& model) {
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids << model.runId(row);
    return ids;
}

inline RunRecord addRun(Workspace& w, const QString& experiment, RunStatus status,
                        const QString& estimatorJson = QStringLiteral("{}")) {
    static int counter = 0;
    RunRecord r;
    r.id = QStringLiteral("%1_run_%2").arg(experiment).arg(++counter, 4, 10, QLatin1Char('0'));
    r.experiment = experiment;
    r.computeTarget = QStringLiteral("local");
    r.created = QDateTime::currentDateTimeUtc();
    r.runDir = w.runsDir() + QLatin1Char('/') + r.id;
    r.estimatorJson = estimatorJson;
    QDir().mkpath(r.runDir + QStringLiteral("/snapshot/outputs"));
    w.store().experiments().ensure(experiment);
    r = w.store().runs().create(r);
    const QList<RunStatus> path = {RunStatus::Preparing, RunStatus::Running};
    for (RunStatus s : path) {
        if (status == RunStatus::Queued)
            break;
        w.store().runs().transition(r.id, s);
        if (s == status)
            break;
    }
    if (isTerminal(status)) {
        if (status == RunStatus::Completed)
            w.store().runs().transition(r.id, RunStatus::Finalizing);
        w.store().runs().transition(r.id, status);
    }
    return *w.store().runs().find(r.id);
}

inline void writeFile(const QString& path, const QByteArray& data) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    f.write(data);
}

inline void appendFile(const QString& path, const QByteArray& data) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Append))
        qFatal("cannot append to %s", qPrintable(path));
    f.write(data);
}

} // namespace lb::test
