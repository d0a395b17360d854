// The labbench command line end to end, through real processes: workspace init/show,
// experiments list, help, version, exit codes and error messages.
#include "tests/support/CliRunner.h"
#include "core/util/Json.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

class CliWorkspace : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

    static lb::Json parse(const QByteArray& out) {
        return lb::Json::parse(out.toStdString()); // throws (fails the test) on invalid JSON
    }

private slots:
    void initThenShowJsonPrintsValidJson() {
        const QString ws = tmp_.filePath(QStringLiteral("ws"));
        CliResult init = runLabbench({QStringLiteral("workspace"), QStringLiteral("init"), ws, QStringLiteral("--name"), QStringLiteral("demo")});
        QCOMPARE(init.exitCode, 0);
        QVERIFY(init.out.contains("demo"));
        CliResult show = runLabbench({QStringLiteral("--workspace"), ws, QStringLiteral("workspace"), QStringLiteral("show"), QStringLiteral("--json")});
        QCOMPARE(show.exitCode, 0);
        const lb::Json j = parse(show.out);
        QCOMPARE(QString::fromStdString(j["name"].get<std::string>()), QStringLiteral("demo"));
        QCOMPARE(QString::fromStdString(j["path"].get<std::string>()), ws);
        QCOMPARE(j["default_compute_target"].get<std::string>(), std::string("local"));
        QVERIFY(j["id"].is_string());
        QCOMPARE(j["compute_targets"].get<int>(), 1);
    }

    void discoversWorkspaceFromTheCurrentFolderAndEnvironment() {
        const QString ws = tmp_.filePath(QStringLiteral("found"));
        QCOMPARE(runLabbench({QStringLiteral("workspace"), QStringLiteral("init"), ws}).exitCode, 0);
        QDir().mkpath(ws + QStringLiteral("/code/src"));
        CliResult show = runLabbench({QStringLiteral("workspace"), QStringLiteral("show"), QStringLiteral("--json")}, ws + QStringLiteral("/code/src"));
        QCOMPARE(show.exitCode, 0);
        QCOMPARE(parse(show.out)["name"].get<std::string>(), std::string("found"));

        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LABBENCH_WORKSPACE"), ws);
        show = runLabbench({QStringLiteral("workspace"), QStringLiteral("show"), QStringLiteral("--json")}, tmp_.path(), env);
        QCOMPARE(show.exitCode, 0);
        QCOMPARE(parse(show.out)["name"].get<std::string>(), std::string("found"));
    }

    void syntaxErrorInConfigFailsEveryCommandWithFileLineColumn() {
        const QString ws = tmp_.filePath(QStringLiteral("broken"));
        QCOMPARE(runLabbench({QStringLiteral("workspace"), QStringLiteral("init"), ws}).exitCode, 0);
        QFile f(ws + QStringLiteral("/config.json"));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("{\n  \"name\": \"broken\"\n  \"id\": \"x\"\n}\n"); // missing comma on line 2
        f.close();
        for (const QStringList& command : {QStringList{QStringLiteral("workspace"), QStringLiteral("show")},
                                           QStringList{QStringLiteral("workspace"), QStringLiteral("show"), QStringLiteral("--json")},
                                           QStringList{QStringLiteral("experiments"), QStringLiteral("list")}}) {
            CliResult r = runLabbench(QStringList{QStringLiteral("--workspace"), ws} + command);
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains((ws + QStringLiteral("/config.json:3:3:")).toUtf8()), r.err.constData());
            QCOMPARE(r.err.count('\n'), 1); // one sentence, no stack trace
            QVERIFY(r.out.isEmpty());
        }
    }

    void missingWorkspaceSaysSo() {
        CliResult r = runLabbench({QStringLiteral("--workspace"), tmp_.filePath(QStringLiteral("absent")), QStringLiteral("workspace"), QStringLiteral("show")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("does not exist"), r.err.constData());
        QVERIFY(r.err.contains("labbench workspace init"));
    }


    void experimentsListJsonIsAList() {
        const QString ws = tmp_.filePath(QStringLiteral("exp"));
        QCOMPARE(runLabbench({QStringLiteral("workspace"), QStringLiteral("init"), ws}).exitCode, 0);
        CliResult r = runLabbench({QStringLiteral("--workspace"), ws, QStringLiteral("experiments"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(parse(r.out).is_array());
        r = runLabbench({QStringLiteral("--workspace"), ws, QStringLiteral("experiments"), QStringLiteral("list")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("No experiments yet"));
    }

    void usageErrorsExitTwo() {
        CliResult r = runLabbench({QStringLiteral("frobnicate")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("neither a labbench command"), r.err.constData());
        r = runLabbench({QStringLiteral("workspace"), QStringLiteral("show"), QStringLiteral("--nope")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--nope"));
        r = runLabbench({QStringLiteral("workspace"), QStringLiteral("init")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("DIR"));
    }

    void versionAndHelpOnEveryCommand() {
        CliResult v = runLabbench({QStringLiteral("--version")});
        QCOMPARE(v.exitCode, 0);
        QVERIFY(v.out.startsWith("labbench "));
        CliResult overview = runLabbench({QStringLiteral("--help")});
        QCOMPARE(overview.exitCode, 0);
        // Every command listed in the overview answers --help with its own usage.
        int commands = 0;
        const QList<QByteArray> lines = overview.out.split('\n');
        bool inCommands = false;
        for (const QByteArray& line : lines) {
            if (line.startsWith("Commands:")) {
                inCommands = true;
                continue;
            }
            if (inCommands && line.trimmed().isEmpty())
                break;
            if (!inCommands)
                continue;
            const QStringList words = QString::fromUtf8(line.left(26)).split(QLatin1Char(' '), Qt::SkipEmptyParts);
            CliResult help = runLabbench(words + QStringList{QStringLiteral("--help")});
            QCOMPARE(help.exitCode, 0);
            QVERIFY2(help.out.startsWith(("Usage: labbench " + words.join(QLatin1Char(' '))).toUtf8()), help.out.constData());
            ++commands;
        }
        QVERIFY(commands >= 3);
    }
};

QTEST_GUILESS_MAIN(CliWorkspace)
#include "tst_cli_workspace.moc"
