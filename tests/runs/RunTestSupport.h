#pragma once
// Running the real labbench binary from the run tests: a workspace of its own, scripts written
// into source folders, results as (exit code, stdout, stderr).

#include "core/util/Json.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTest>
#include <QThread>

namespace lbtest {

struct CliResult {
    int code = -1;
    QByteArray out, err;
    QString firstLine() const { return QString::fromUtf8(out).section(QLatin1Char('\n'), 0, 0).trimmed(); }
    lb::Json json() const { return lb::Json::parse(out.toStdString()); }
};

inline QString labbenchBinary() { return QStringLiteral(LABBENCH_BIN_DIR "/labbench"); }

inline void writeFile(const QString& path, const QByteArray& content, bool executable = false) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    f.write(content);
    f.close();
    if (executable)
        f.setPermissions(f.permissions() | QFileDevice::ExeOwner | QFileDevice::ExeUser);
}

inline QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Runs `labbench --workspace WS ARGS…` to completion.
inline CliResult runCli(const QString& workspace, const QStringList& args, int timeoutMs = 60000,
                        const QString& cwd = {}) {
    QProcess p;
    p.setProgram(labbenchBinary());
    p.setArguments(QStringList{QStringLiteral("--workspace"), workspace} + args);
    if (!cwd.isEmpty())
        p.setWorkingDirectory(cwd);
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

// Runs `labbench --workspace WS ARGS… TAIL` through sh, where TAIL is shell text appended to the
// command line (e.g. -- "$(printf '\377')"): arguments that are not valid text cannot be given
// through QProcess, but a user's shell passes them on as bytes (#25).
inline CliResult runCliThroughShell(const QString& workspace, const QStringList& args, const QString& tail,
                                    int timeoutMs = 60000) {
    QProcess p;
    p.setProgram(QStringLiteral("sh"));
    p.setArguments(QStringList{QStringLiteral("-c"), QStringLiteral("exec \"$0\" \"$@\" ") + tail, labbenchBinary(),
                               QStringLiteral("--workspace"), workspace} +
                   args);
    p.start();
    CliResult r;
    if (!p.waitForStarted(10000) || !p.waitForFinished(timeoutMs))
        return r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// Polls `pred` every 10 ms for at most `timeoutMs`.
template <typename Pred> bool waitFor(Pred pred, int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        if (pred())
            return true;
        QThread::msleep(10);
    }
    return pred();
}

} // namespace lbtest
