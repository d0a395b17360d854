// Issue 4, environments end to end: a script that imports a package named with --pip runs with
// it; a second run with the same packages reuses the environment (Preparing well under a
// second); an impossible package fails the run in Preparing with pip's own message in its log.
#include "tests/support/RunAround.h"

#include <QTemporaryDir>
#include <QTest>

using namespace around;

class RunPip : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString ws_, src_;

private slots:
    void initTestCase() {
        ws_ = tmp_.filePath(QStringLiteral("ws"));
        QCOMPARE(runLabbench({QStringLiteral("workspace"), QStringLiteral("init"), ws_}).exitCode, 0);
        src_ = writeScript(tmp_.filePath(QStringLiteral("src")), QStringLiteral("uses_tomli.py"),
                           "import sys, tomli\n"
                           "print('tomli from', tomli.__file__)\n"
                           "print('parsed', tomli.loads('a = 1')['a'])\n");
        QVERIFY(!src_.isEmpty());
    }

    void packageIsInstalledThenReused() {
        const QStringList submit{QStringLiteral("submit"), QStringLiteral("--source"), src_, QStringLiteral("--entry"),
                                 QStringLiteral("uses_tomli.py"), QStringLiteral("--python"), QStringLiteral("python3"),
                                 QStringLiteral("--pip"), QStringLiteral("tomli"), QStringLiteral("--wait")};
        const CliResult first = lbIn(ws_, submit);
        QVERIFY2(first.exitCode == 0, first.out.constData());
        QVERIFY2(first.out.contains("parsed 1"), first.out.constData());
        QVERIFY(first.out.contains((ws_ + QStringLiteral("/environments/builds/")).toUtf8()));
        const lb::Json run1 = showRun(ws_, firstLine(first));
        QCOMPARE(run1["status"].get<std::string>(), std::string("Completed"));
        const CliResult log1 = lbIn(ws_, {QStringLiteral("logs"), firstLine(first)});
        QVERIFY2(log1.out.contains("Successfully installed tomli"), log1.out.constData());

        const CliResult second = lbIn(ws_, submit);
        QCOMPARE(second.exitCode, 0);
        QVERIFY(second.out.contains("parsed 1"));
        const lb::Json run2 = showRun(ws_, firstLine(second));
        const double preparing1 = secondsIn(run1, "Preparing"), preparing2 = secondsIn(run2, "Preparing");
        qInfo("Preparing: first run %.3f s (venv + pip), second run %.3f s (reused)", preparing1, preparing2);
        QVERIFY(preparing2 >= 0);
        QVERIFY2(preparing2 < 0.5, qPrintable(QString::number(preparing2)));
        const CliResult log2 = lbIn(ws_, {QStringLiteral("logs"), firstLine(second)});
        QVERIFY(log2.out.contains("using the cached environment"));
        QVERIFY(!log2.out.contains("Successfully installed"));
    }

    void impossiblePackageFailsInPreparingWithPipsMessage() {
        const CliResult r = lbIn(ws_, {QStringLiteral("submit"), QStringLiteral("--source"), src_, QStringLiteral("--entry"),
                                       QStringLiteral("uses_tomli.py"), QStringLiteral("--pip"),
                                       QStringLiteral("labbench-no-such-package-zzz9"), QStringLiteral("--wait")});
        QVERIFY(r.exitCode != 0);
        const lb::Json run = showRun(ws_, firstLine(r));
        QCOMPARE(run["status"].get<std::string>(), std::string("Failed"));
        const QString reason = QString::fromStdString(run["reason"].get<std::string>());
        QVERIFY2(reason.contains(QLatin1String("No matching distribution found for labbench-no-such-package-zzz9")), qPrintable(reason));
        // It never ran: Preparing went straight to Failed.
        const auto& h = run["history"];
        QCOMPARE(h[h.size() - 2]["status"].get<std::string>(), std::string("Preparing"));
        const CliResult log = lbIn(ws_, {QStringLiteral("logs"), firstLine(r)});
        QVERIFY2(log.out.contains("ERROR: No matching distribution found"), log.out.constData());
    }
};

QTEST_GUILESS_MAIN(RunPip)
#include "tst_run_pip.moc"
