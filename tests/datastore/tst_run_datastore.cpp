// Issue 4, datastores end to end: `datastore://mnist/` given as a script argument reaches the
// script as the MNIST folder itself, and the script lists the files through it; an unknown
// datastore or a path with '..' is refused at submit with a clear reason.
#include "tests/support/RunAround.h"

#include <QTemporaryDir>
#include <QTest>

using namespace around;

class RunDatastore : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString ws_, src_;

private slots:
    void initTestCase() {
        ws_ = tmp_.filePath(QStringLiteral("ws"));
        QCOMPARE(runLabbench({QStringLiteral("workspace"), QStringLiteral("init"), ws_}).exitCode, 0);
        QCOMPARE(lbIn(ws_, {QStringLiteral("datastore"), QStringLiteral("add"), QStringLiteral("mnist"),
                            QStringLiteral(LABBENCH_MNIST_DIR)}).exitCode, 0);
        src_ = writeScript(tmp_.filePath(QStringLiteral("src")), QStringLiteral("list_data.py"),
                           "import argparse, os\n"
                           "p = argparse.ArgumentParser()\n"
                           "p.add_argument('--data-folder', required=True)\n"
                           "a = p.parse_args()\n"
                           "print('data folder:', a.data_folder)\n"
                           "for name in sorted(os.listdir(a.data_folder)):\n"
                           "    print('file:', name)\n");
    }

    void scriptListsMnistThroughTheDatastore() {
        const CliResult r = lbIn(ws_, {QStringLiteral("submit"), QStringLiteral("--source"), src_, QStringLiteral("--entry"),
                                       QStringLiteral("list_data.py"), QStringLiteral("--wait"), QStringLiteral("--"),
                                       QStringLiteral("--data-folder"), QStringLiteral("datastore://mnist/")});
        QVERIFY2(r.exitCode == 0, r.out.constData());
        const QByteArray folder = QFileInfo(QStringLiteral(LABBENCH_MNIST_DIR)).canonicalFilePath().toUtf8();
        QVERIFY2(r.out.contains("data folder: " + folder + "\n"), r.out.constData()); // the folder itself
        QVERIFY(r.out.contains("file: train-images-idx3-ubyte.gz"));
        QVERIFY(r.out.contains("file: t10k-labels-idx1-ubyte.gz"));
    }

    void unknownDatastoreAndEscapesAreRefusedAtSubmit() {
        const QStringList before = QDir(ws_ + QStringLiteral("/runs")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const auto& [arg, message] : QList<QPair<QString, QString>>{
                 {QStringLiteral("datastore://nosuch/"), QStringLiteral("no datastore 'nosuch'")},
                 {QStringLiteral("--data-folder=datastore://mnist/../../etc"), QStringLiteral("'..'")}}) {
            const CliResult r = lbIn(ws_, {QStringLiteral("submit"), QStringLiteral("--source"), src_, QStringLiteral("--entry"),
                                           QStringLiteral("list_data.py"), QStringLiteral("--wait"), QStringLiteral("--"),
                                           QStringLiteral("--data-folder"), arg});
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.out.isEmpty(), r.out.constData()); // no run id: nothing was submitted
            QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
            QCOMPARE(r.err.count('\n'), 1);
        }
        QCOMPARE(QDir(ws_ + QStringLiteral("/runs")).entryList(QDir::Dirs | QDir::NoDotAndDotDot), before);
    }
};

QTEST_GUILESS_MAIN(RunDatastore)
#include "tst_run_datastore.moc"
