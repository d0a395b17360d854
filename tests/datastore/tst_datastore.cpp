// Datastores in the store and the resolution of datastore:// script arguments: the folder itself
// (never a copy), unknown names, '..' and symbolic links that leave the datastore refused.
#include "core/datastore/Datastores.h"
#include "core/store/Store.h"
#include "core/util/Error.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class DatastoreResolution : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::unique_ptr<lb::Store> store_;
    QString data_;

    template <typename E = lb::Error>
    QString failure(const QStringList& args) {
        try {
            lb::resolveDatastoreArgs(args, *store_);
        } catch (const E& e) {
            return e.message();
        }
        return QStringLiteral("<no error>");
    }

private slots:
    void initTestCase() {
        store_ = std::make_unique<lb::Store>(tmp_.filePath(QStringLiteral("labbench.db")));
        data_ = tmp_.filePath(QStringLiteral("data"));
        QDir().mkpath(data_ + QStringLiteral("/train"));
        QFile f(data_ + QStringLiteral("/train/a.txt"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("a");
        f.close();
        const auto d = lb::addDatastore(*store_, QStringLiteral("ds1"), data_ + QStringLiteral("/./"));
        QCOMPARE(d.path, QFileInfo(data_).canonicalFilePath());
    }

    void addListRemove() {
        QVERIFY_THROWS_EXCEPTION(lb::Error, lb::addDatastore(*store_, QStringLiteral("ds1"), data_)); // taken
        QVERIFY_THROWS_EXCEPTION(lb::UsageError, lb::addDatastore(*store_, QStringLiteral("../x"), data_));
        QVERIFY_THROWS_EXCEPTION(lb::UsageError, lb::addDatastore(*store_, QStringLiteral("a/b"), data_));
        QVERIFY_THROWS_EXCEPTION(lb::Error, lb::addDatastore(*store_, QStringLiteral("nodir"), tmp_.filePath(QStringLiteral("absent"))));
        lb::addDatastore(*store_, QStringLiteral("zz-temp"), data_);
        QCOMPARE(store_->datastores().list().size(), 2);
        QCOMPARE(store_->datastores().list().first().name, QStringLiteral("ds1"));
        lb::removeDatastore(*store_, QStringLiteral("zz-temp"));
        QVERIFY_THROWS_EXCEPTION(lb::NotFoundError, lb::removeDatastore(*store_, QStringLiteral("zz-temp")));
        QCOMPARE(store_->datastores().list().size(), 1);
    }

    void argumentsResolveToTheFolderItself() {
        const QString root = QFileInfo(data_).canonicalFilePath();
        const QStringList in{QStringLiteral("--data-folder"), QStringLiteral("datastore://ds1/"),
                             QStringLiteral("--train=datastore://ds1/train/a.txt"), QStringLiteral("datastore://ds1"),
                             QStringLiteral("datastore://ds1/not/yet/there"), QStringLiteral("--lr"),
                             QStringLiteral("0.1"), QStringLiteral("x=datastore:/ds1"), QStringLiteral("$(id)")};
        const QStringList out = lb::resolveDatastoreArgs(in, *store_);
        QCOMPARE(out, (QStringList{QStringLiteral("--data-folder"), root, QStringLiteral("--train=") + root + QStringLiteral("/train/a.txt"),
                                   root, root + QStringLiteral("/not/yet/there"), QStringLiteral("--lr"), QStringLiteral("0.1"),
                                   QStringLiteral("x=datastore:/ds1"), QStringLiteral("$(id)")}));
    }

    void unknownNamesAndEscapesAreRefused() {
        QString m = failure<lb::NotFoundError>({QStringLiteral("datastore://nope/x")});
        QVERIFY2(m.contains(QLatin1String("no datastore 'nope'")) && m.contains(QLatin1String("labbench datastore add")), qPrintable(m));
        m = failure({QStringLiteral("datastore://ds1/../secret")});
        QVERIFY2(m.contains(QLatin1String("'..'")), qPrintable(m));
        m = failure({QStringLiteral("--data=datastore://ds1/train/../../x")});
        QVERIFY2(m.contains(QLatin1String("'..'")), qPrintable(m));
        m = failure({QStringLiteral("datastore:///x")});
        QVERIFY2(m.contains(QLatin1String("names no datastore")), qPrintable(m));

        // A symbolic link inside the datastore that leads out of it.
        const QString outside = tmp_.filePath(QStringLiteral("outside"));
        QDir().mkpath(outside);
        QVERIFY(QFile::link(outside, data_ + QStringLiteral("/escape")));
        m = failure({QStringLiteral("datastore://ds1/escape/file")});
        QVERIFY2(m.contains(QLatin1String("leads outside")), qPrintable(m));
        m = failure({QStringLiteral("datastore://ds1/escape")});
        QVERIFY2(m.contains(QLatin1String("leads outside")), qPrintable(m));
        // A link that stays inside is fine.
        QVERIFY(QFile::link(data_ + QStringLiteral("/train"), data_ + QStringLiteral("/inner")));
        QCOMPARE(lb::resolveDatastoreArgs({QStringLiteral("datastore://ds1/inner/a.txt")}, *store_).first(),
                 QFileInfo(data_).canonicalFilePath() + QStringLiteral("/inner/a.txt"));

        // A datastore whose folder disappeared.
        const QString gone = tmp_.filePath(QStringLiteral("gone"));
        QDir().mkpath(gone);
        lb::addDatastore(*store_, QStringLiteral("gone"), gone);
        QDir(gone).removeRecursively();
        m = failure({QStringLiteral("datastore://gone/")});
        QVERIFY2(m.contains(QLatin1String("no longer exists")), qPrintable(m));
    }

    void aScriptListsMnistThroughTheResolvedPath() {
        const QString mnist = QStringLiteral(LABBENCH_MNIST_DIR);
        QVERIFY2(QFileInfo(mnist).isDir(), qPrintable(mnist));
        lb::addDatastore(*store_, QStringLiteral("mnist"), mnist);
        const QStringList args = lb::resolveDatastoreArgs({QStringLiteral("--data-folder"), QStringLiteral("datastore://mnist/")}, *store_);
        QCOMPARE(args[1], QFileInfo(mnist).canonicalFilePath()); // the folder itself, not a copy
        QProcess p;
        p.start(QStringLiteral("python3"),
                QStringList{QStringLiteral("-c"),
                            QStringLiteral("import argparse, os\n"
                                           "p = argparse.ArgumentParser(); p.add_argument('--data-folder')\n"
                                           "a = p.parse_args()\n"
                                           "print('\\n'.join(sorted(os.listdir(a.data_folder))))")} +
                    args);
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const QString listed = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(listed.contains(QLatin1String("train-images-idx3-ubyte")), qPrintable(listed));
    }
};

QTEST_GUILESS_MAIN(DatastoreResolution)
#include "tst_datastore.moc"
