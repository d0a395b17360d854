#pragma once
// The sweep tests' helpers: the real labbench binary in a workspace of its own, files written
// into source folders, polling with a deadline.

#include "core/util/Json.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QThread>

namespace sweeptest {

struct CliResult {
    int code = -1;
    QByteArray out, err;
    QString firstLine() const { return QString::fromUtf8(out).section(QLatin1Char('\n'), 0, 0).trimmed(); }
    lb::Json json() const { return lb::Json::parse(out.toStdString(), nullptr, false); }
};

inline void writeFile(const QString& path, const QByteArray& content) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    f.write(content);
}

// Runs `labbench --workspace WS ARGS…` to completion.
inline CliResult runCli(const QString& workspace, const QStringList& args, int timeoutMs = 60000) {
    QProcess p;
    p.setProgram(QStringLiteral(LABBENCH_BIN_DIR "/labbench"));
    p.setArguments(QStringList{QStringLiteral("--workspace"), workspace} + args);
    p.start();
    CliResult r;
    if (!p.waitForStarted(10000))
        return r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out: " + p.readAllStandardError();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

template <typename Pred> bool waitFor(Pred pred, int timeoutMs, int pollMs = 50) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        if (pred())
            return true;
        QThread::msleep(static_cast<unsigned long>(pollMs));
    }
    return pred();
}

// The most intervals [begin, end) open at one time.
inline int maxOverlap(const QList<QPair<qint64, qint64>>& intervals) {
    QList<QPair<qint64, int>> edges;
    for (const auto& i : intervals) {
        edges.append({i.first, +1});
        edges.append({i.second, -1});
    }
    std::sort(edges.begin(), edges.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : a.second < b.second; // ends before starts
    });
    int open = 0, most = 0;
    for (const auto& e : edges)
        most = std::max(most, open += e.second);
    return most;
}

} // namespace sweeptest
