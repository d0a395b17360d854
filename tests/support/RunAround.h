#pragma once
// Helpers for the issue-4 tests that submit real runs through the labbench binary: a workspace,
// a source folder with a script, and the run's JSON.
#include "tests/support/CliRunner.h"
#include "core/util/Json.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace around {

inline CliResult lbIn(const QString& ws, const QStringList& args, int timeoutMs = 300000) {
    return runLabbench(QStringList{QStringLiteral("--workspace"), ws} + args, {},
                       QProcessEnvironment::systemEnvironment(), timeoutMs);
}

inline QString firstLine(const CliResult& r) { return QString::fromUtf8(r.out).section(QLatin1Char('\n'), 0, 0).trimmed(); }

inline QString writeScript(const QString& dir, const QString& name, const QByteArray& code) {
    QDir().mkpath(dir);
    QFile f(dir + QLatin1Char('/') + name);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    f.write(code);
    return dir;
}

inline lb::Json showRun(const QString& ws, const QString& id) {
    const CliResult r = lbIn(ws, {QStringLiteral("runs"), QStringLiteral("show"), id, QStringLiteral("--json")});
    return lb::Json::parse(r.out.toStdString());
}

// Seconds between entering `from` and the next state in the run's history; -1 when absent.
inline double secondsIn(const lb::Json& run, const std::string& from) {
    const auto& h = run["history"];
    for (size_t i = 0; i + 1 < h.size(); ++i)
        if (h[i]["status"].get<std::string>() == from) {
            const auto a = QDateTime::fromString(QString::fromStdString(h[i]["time"].get<std::string>()), Qt::ISODateWithMs);
            const auto b = QDateTime::fromString(QString::fromStdString(h[i + 1]["time"].get<std::string>()), Qt::ISODateWithMs);
            return a.msecsTo(b) / 1000.0;
        }
    return -1;
}

} // namespace around
