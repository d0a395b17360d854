#pragma once
// What the store's ingest tests (tst_system_metrics, tst_run_attempts) build their runs from: a
// run record for a folder, and bytes appended to one of its files the way a script writes them.

#include "core/store/Entities.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

namespace lbtest {

inline lb::RunRecord newRun(const QString& id, const QString& runDir) {
    lb::RunRecord r;
    r.id = id;
    r.experiment = QStringLiteral("exp");
    r.computeTarget = QStringLiteral("local");
    r.runDir = runDir;
    return r;
}

inline void append(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::Append));
    f.write(bytes);
}

} // namespace lbtest
