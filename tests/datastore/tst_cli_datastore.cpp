// `labbench datastore add|list|remove` end to end through the real binary.
#include "tests/support/CliRunner.h"
#include "core/util/Json.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

class CliDatastore : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString ws_;

    CliResult lb(const QStringList& args) { return runLabbench(QStringList{QStringLiteral("--workspace"), ws_} + args); }

private slots:
    void initTestCase() {
        ws_ = tmp_.filePath(QStringLiteral("ws"));
        QCOMPARE(runLabbench({QStringLiteral("workspace"), QStringLiteral("init"), ws_}).exitCode, 0);
    }

    void addListRemove() {
        const QString mnist = QStringLiteral(LABBENCH_MNIST_DIR);
        CliResult add = lb({"datastore", "add", "mnist", mnist});
        QCOMPARE(add.exitCode, 0);
        QVERIFY2(add.out.contains("datastore://mnist/"), add.out.constData());
        CliResult list = lb({"datastore", "list", "--json"});
        QCOMPARE(list.exitCode, 0);
        const lb::Json j = lb::Json::parse(list.out.toStdString());
        QCOMPARE(j.size(), size_t(1));
        QCOMPARE(j[0]["name"].get<std::string>(), std::string("mnist"));
        QCOMPARE(QString::fromStdString(j[0]["path"].get<std::string>()), QFileInfo(mnist).canonicalFilePath());
        QCOMPARE(j[0]["kind"].get<std::string>(), std::string("local"));
        QCOMPARE(j[0]["uri"].get<std::string>(), std::string("datastore://mnist/"));
        QVERIFY(j[0]["exists"].get<bool>());
        QVERIFY(lb({"datastore", "list"}).out.contains("mnist"));

        CliResult again = lb({"datastore", "add", "mnist", mnist});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains("already exists"), again.err.constData());
        CliResult missing = lb({"datastore", "add", "other", tmp_.filePath(QStringLiteral("absent"))});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("does not exist"));
        CliResult badName = lb({"datastore", "add", "a/b", mnist});
        QCOMPARE(badName.exitCode, 2);
        QCOMPARE(lb({"datastore", "add", "only-name"}).exitCode, 2);

        CliResult removed = lb({"datastore", "remove", "mnist"});
        QCOMPARE(removed.exitCode, 0);
        QVERIFY(QFileInfo(mnist).isDir()); // the data is untouched
        QCOMPARE(lb::Json::parse(lb({"datastore", "list", "--json"}).out.toStdString()).size(), size_t(0));
        CliResult unknown = lb({"datastore", "remove", "mnist"});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY(unknown.err.contains("no datastore 'mnist'"));
    }
};

QTEST_GUILESS_MAIN(CliDatastore)
#include "tst_cli_datastore.moc"
