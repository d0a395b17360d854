// `labbench env list|remove` end to end through the real binary, on environments a separate
// process built in the workspace's cache.
#include "tests/support/CliRunner.h"
#include "core/util/Json.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

class CliEnv : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString ws_;

    CliResult lb(const QStringList& args) { return runLabbench(QStringList{QStringLiteral("--workspace"), ws_} + args); }

    QString prepare(const QStringList& packages) {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral(ENV_PREPARE_HELPER),
                QStringList{ws_ + QStringLiteral("/environments"), QStringLiteral("python3")} + packages);
        if (!p.waitForFinished(300000) || p.exitCode() != 0)
            return {};
        return QString::fromUtf8(p.readAll());
    }

private slots:
    void initTestCase() {
        ws_ = tmp_.filePath(QStringLiteral("ws"));
        QCOMPARE(runLabbench({QStringLiteral("workspace"), QStringLiteral("init"), ws_}).exitCode, 0);
    }

    void listShowsWhatWasBuiltAndRemoveDeletesIt() {
        CliResult empty = lb({QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(empty.exitCode, 0);
        QCOMPARE(lb::Json::parse(empty.out.toStdString()).size(), size_t(0));

        QVERIFY(!prepare({QStringLiteral("tomli")}).isEmpty());
        CliResult listed = lb({QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(listed.exitCode, 0);
        const lb::Json envs = lb::Json::parse(listed.out.toStdString());
        QCOMPARE(envs.size(), size_t(1));
        const QString hash = QString::fromStdString(envs[0]["hash"].get<std::string>());
        const QString path = QString::fromStdString(envs[0]["path"].get<std::string>());
        QCOMPARE(envs[0]["kind"].get<std::string>(), std::string("venv"));
        QCOMPARE(envs[0]["pip_packages"][0].get<std::string>(), std::string("tomli"));
        QVERIFY(envs[0]["size"].get<qint64>() > 0);
        QVERIFY(QFileInfo(path + QStringLiteral("/bin/python")).exists());

        CliResult table = lb({QStringLiteral("env"), QStringLiteral("list")});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains(hash.toUtf8()));
        QVERIFY(table.out.contains("tomli"));

        CliResult bad = lb({QStringLiteral("env"), QStringLiteral("remove")});
        QCOMPARE(bad.exitCode, 2);
        CliResult unknown = lb({QStringLiteral("env"), QStringLiteral("remove"), QStringLiteral("0123456789abcdef")});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains("no cached environment"), unknown.err.constData());

        CliResult removed = lb({QStringLiteral("env"), QStringLiteral("remove"), hash.left(8)});
        QCOMPARE(removed.exitCode, 0);
        QVERIFY(removed.out.contains(hash.toUtf8()));
        QVERIFY(!QFileInfo::exists(path));
        QCOMPARE(lb::Json::parse(lb({QStringLiteral("env"), QStringLiteral("list"), QStringLiteral("--json")}).out.toStdString()).size(),
                 size_t(0));
    }

    void removeAllEmptiesTheCache() {
        QVERIFY(!prepare({QStringLiteral("tomli"), QStringLiteral("tomli>=1")}).isEmpty());
        CliResult all = lb({QStringLiteral("env"), QStringLiteral("remove"), QStringLiteral("--all")});
        QCOMPARE(all.exitCode, 0);
        QVERIFY2(all.out.contains("Removed 1 environment."), all.out.constData());
        QVERIFY(QDir(ws_ + QStringLiteral("/environments/builds")).entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty());
    }
};

QTEST_GUILESS_MAIN(CliEnv)
#include "tst_cli_env.moc"
