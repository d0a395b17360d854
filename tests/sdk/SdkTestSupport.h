#pragma once
// Running the SDK driver scripts of tests/sdk/drivers as a user runs them (issue 24): in a project
// folder, with /usr/bin/python3, after eval "$(labbench sdk env)", never inside a Labbench run.

#include "tests/runs/RunTestSupport.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

namespace lbtest {

inline QString driversDir() { return QStringLiteral(LABBENCH_SOURCE_DIR "/tests/sdk/drivers"); }

// Copies tests/sdk/drivers/NAME (a file or a folder) into `project`.
inline void copyDriverFile(const QString& name, const QString& project) {
    const QString from = driversDir() + QLatin1Char('/') + name;
    if (QFileInfo(from).isDir()) {
        for (const QString& f : QDir(from).entryList(QDir::Files))
            writeFile(project + QLatin1Char('/') + name + QLatin1Char('/') + f, readFile(from + QLatin1Char('/') + f));
    } else {
        writeFile(project + QLatin1Char('/') + name, readFile(from));
    }
}

// A project folder as a notebook user has it: `dir`/project with a fresh workspace in
// project/.labbench, the named driver files, and the data file the drivers read. Returns an
// empty string on success, else what failed (for QVERIFY2).
struct SdkProject {
    QString project, workspace;
};
inline QString makeSdkProject(const QTemporaryDir& dir, const QStringList& driverFiles, SdkProject& out) {
    if (!dir.isValid())
        return QStringLiteral("no temporary folder");
    out.project = QFileInfo(dir.filePath(QStringLiteral("project"))).absoluteFilePath();
    const QString ws = out.project + QStringLiteral("/.labbench");
    const CliResult init = runCli(ws, {QStringLiteral("workspace"), QStringLiteral("init"), ws});
    if (init.code != 0)
        return QString::fromUtf8(init.err);
    out.workspace = QFileInfo(ws).canonicalFilePath();
    for (const QString& name : driverFiles)
        copyDriverFile(name, out.project);
    writeFile(out.project + QStringLiteral("/data/values.txt"), "3 5 7 9\n");
    return {};
}

struct DriverResult {
    int code = -1;
    QByteArray out, err;
    // The payload of the first line "TAG payload" (empty when there is none).
    QByteArray tagged(const QByteArray& tag) const {
        for (const QByteArray& line : out.split('\n'))
            if (line.startsWith(tag + ' '))
                return line.mid(tag.size() + 1);
        return {};
    }
    lb::Json taggedJson(const QByteArray& tag) const {
        return lb::Json::parse(tagged(tag).toStdString(), nullptr, false);
    }
    QByteArray all() const { return out + "\n--- stderr ---\n" + err; }
};

// sh -c 'eval "$(labbench sdk env)" && exec /usr/bin/python3 SCRIPT' in `project`, with an
// environment that names no workspace and has no PYTHONPATH, as a fresh shell has.
inline DriverResult runDriver(const QString& project, const QString& script, int timeoutMs = 180000,
                              const QProcessEnvironment& extra = {}) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("PYTHONPATH"));
    env.remove(QStringLiteral("LABBENCH_WORKSPACE"));
    env.remove(QStringLiteral("LABBENCH_METRICS_FILE"));
    env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"));
    for (const QString& key : extra.keys())
        env.insert(key, extra.value(key));
    QProcess p;
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(project);
    p.start(QStringLiteral("/bin/sh"),
            {QStringLiteral("-c"), QStringLiteral("eval \"$(\"$0\" sdk env)\" && exec /usr/bin/python3 \"$1\""),
             labbenchBinary(), script});
    DriverResult r;
    if (!p.waitForStarted(10000))
        return r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out: " + p.readAllStandardError();
        r.out = p.readAllStandardOutput();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

inline std::string str(const lb::Json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

} // namespace lbtest
