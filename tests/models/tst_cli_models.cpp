// The model registry end to end through the real labbench binary: versions count up per name,
// files are copied (the model survives its run), downloads are byte for byte, and paths that
// leave the run's folder or the download folder are refused. Runs are recorded through the
// store directly, with a real folder, as submit would leave them.
#include "tests/support/CliRunner.h"
#include "core/store/Store.h"
#include "core/util/Json.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

class CliModels : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString ws_;

    CliResult lb(const QStringList& args) { return runLabbench(QStringList{QStringLiteral("--workspace"), ws_} + args); }
    static lb::Json json(const CliResult& r) { return lb::Json::parse(r.out.toStdString()); }

    // A run as submit leaves it, in `status`; returns its snapshot folder.
    QString makeRun(const QString& id, lb::RunStatus status) {
        lb::Store store(ws_ + QStringLiteral("/labbench.db"));
        lb::RunRecord run;
        run.id = id;
        run.experiment = QStringLiteral("models");
        run.computeTarget = QStringLiteral("local");
        run.runDir = ws_ + QStringLiteral("/runs/") + id;
        store.runs().create(run);
        for (lb::RunStatus s : {lb::RunStatus::Preparing, lb::RunStatus::Running, lb::RunStatus::Finalizing, lb::RunStatus::Completed}) {
            if (static_cast<int>(s) > static_cast<int>(status))
                break;
            store.runs().transition(id, s);
        }
        const QString snapshot = run.runDir + QStringLiteral("/snapshot");
        QDir().mkpath(snapshot + QStringLiteral("/outputs"));
        return snapshot;
    }

    static QByteArray randomBytes(int n) {
        QByteArray b(n, '\0');
        for (auto& c : b)
            c = static_cast<char>(QRandomGenerator::global()->bounded(256));
        return b;
    }
    static bool write(const QString& path, const QByteArray& bytes) {
        QDir().mkpath(QFileInfo(path).path());
        QFile f(path);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
    }
    static qint64 blocksOf(const QString& path) {
        struct stat st {};
        return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? qint64(st.st_blocks) : -1;
    }
    static QByteArray read(const QString& path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
    }

private slots:
    void initTestCase() {
        ws_ = tmp_.filePath(QStringLiteral("ws"));
        QCOMPARE(runLabbench({QStringLiteral("workspace"), QStringLiteral("init"), ws_}).exitCode, 0);
    }

    void twoRegistrationsGiveVersionsOneAndTwoAndDownloadIsByteForByte() {
        const QString snap = makeRun(QStringLiteral("run-a"), lb::RunStatus::Completed);
        const QByteArray first = randomBytes(100000), second = randomBytes(5000);
        QVERIFY(write(snap + QStringLiteral("/outputs/model.npz"), first));
        CliResult r1 = lb({"models", "register", "--run", "run-a", "--name", "mnist", "--path", "outputs/model.npz",
                           "--tag", "framework=numpy", "--property", "accuracy=0.97", "--description", "first try", "--json"});
        QCOMPARE(r1.exitCode, 0);
        QCOMPARE(json(r1)["version"].get<int>(), 1);
        QVERIFY(write(snap + QStringLiteral("/outputs/model.npz"), second));
        CliResult r2 = lb({"models", "register", "--run", "run-a", "--name", "mnist", "--path", "outputs/model.npz"});
        QCOMPARE(r2.exitCode, 0);
        QVERIFY2(r2.out.contains("mnist:2"), r2.out.constData());

        CliResult show = lb({"models", "show", "mnist:1", "--json"});
        QCOMPARE(show.exitCode, 0);
        const lb::Json m = json(show);
        QCOMPARE(m["name"].get<std::string>(), std::string("mnist"));
        QCOMPARE(m["version"].get<int>(), 1);
        QCOMPARE(m["run_id"].get<std::string>(), std::string("run-a"));
        QCOMPARE(m["source_path"].get<std::string>(), std::string("outputs/model.npz"));
        QCOMPARE(m["size"].get<qint64>(), qint64(first.size()));
        QCOMPARE(m["tags"]["framework"].get<std::string>(), std::string("numpy"));
        QCOMPARE(m["properties"]["accuracy"].get<std::string>(), std::string("0.97"));
        QCOMPARE(m["description"].get<std::string>(), std::string("first try"));
        QVERIFY(!m["created"].get<std::string>().empty());
        const QString stored = QString::fromStdString(m["path"].get<std::string>());
        QCOMPARE(stored, ws_ + QStringLiteral("/models/mnist/1/model.npz"));
        // The latest without a version.
        QCOMPARE(json(lb({"models", "show", "mnist", "--json"}))["version"].get<int>(), 2);

        // Deleting the run keeps the model; download gives the first file back byte for byte.
        QVERIFY(QDir(ws_ + QStringLiteral("/runs/run-a")).removeRecursively());
        const QString out1 = tmp_.filePath(QStringLiteral("dl1")), out2 = tmp_.filePath(QStringLiteral("dl2"));
        CliResult d1 = lb({"models", "download", "mnist:1", "--to", out1});
        QCOMPARE(d1.exitCode, 0);
        QCOMPARE(read(out1 + QStringLiteral("/model.npz")), first);
        QCOMPARE(lb({"models", "download", "mnist", "--to", out2}).exitCode, 0);
        QCOMPARE(read(out2 + QStringLiteral("/model.npz")), second);
        QCOMPARE(QDir(out1).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).size(), 1);
        // Downloading over an existing file is refused, and the file is left alone.
        CliResult again = lb({"models", "download", "mnist:2", "--to", out1});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains("already exists"), again.err.constData());
        QCOMPARE(read(out1 + QStringLiteral("/model.npz")), first);

        CliResult listed = lb({"models", "list", "--json"});
        QCOMPARE(listed.exitCode, 0);
        QCOMPARE(json(listed).size(), size_t(2));
        CliResult table = lb({"models", "list"});
        QVERIFY(table.out.contains("mnist"));
        QVERIFY(table.out.contains("framework=numpy"));
    }

    void aSparseModelKeepsItsHolesInTheRegistryAndOnDownload() { // #25
        const QString snap = makeRun(QStringLiteral("run-sparse"), lb::RunStatus::Completed);
        const QString file = snap + QStringLiteral("/outputs/sparse.ckpt");
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("head");
            QVERIFY(f.resize(qint64(1) << 30)); // 1 GiB, all but 4 bytes of it a hole
        }
        CliResult r = lb({"models", "register", "--run", "run-sparse", "--name", "sparse", "--path",
                          "outputs/sparse.ckpt", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString stored = QString::fromStdString(json(r)["path"].get<std::string>());
        const QString out = tmp_.filePath(QStringLiteral("dl-sparse"));
        QCOMPARE(lb({"models", "download", "sparse:1", "--to", out}).exitCode, 0);
        for (const QString& copy : {stored, out + QStringLiteral("/sparse.ckpt")}) {
            QCOMPARE(QFileInfo(copy).size(), qint64(1) << 30);
            QFile f(copy);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.read(4), QByteArray("head"));
            // A full copy takes 2,097,152 blocks of 512 bytes.
            QVERIFY2(blocksOf(copy) <= blocksOf(file) + 64, qPrintable(copy + QStringLiteral(" lost its holes")));
        }
        QCOMPARE(lb({"models", "remove", "sparse:1"}).exitCode, 0); // the later tests count the models
    }

    void foldersAreCopiedWhole() {
        const QString snap = makeRun(QStringLiteral("run-dir"), lb::RunStatus::Completed);
        const QByteArray a = randomBytes(3000), b = randomBytes(70);
        QVERIFY(write(snap + QStringLiteral("/outputs/saved/weights.bin"), a));
        QVERIFY(write(snap + QStringLiteral("/outputs/saved/sub/config.json"), b));
        QVERIFY(QFile::link(QStringLiteral("weights.bin"), snap + QStringLiteral("/outputs/saved/alias.bin"))); // inside: copied
        CliResult r = lb({"models", "register", "--run", "run-dir", "--name", "saved-model", "--path", "outputs/saved/", "--json"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(json(r)["size"].get<qint64>(), qint64(2 * a.size() + b.size()));
        const QString to = tmp_.filePath(QStringLiteral("dl-dir"));
        QCOMPARE(lb({"models", "download", "saved-model:1", "--to", to}).exitCode, 0);
        QCOMPARE(read(to + QStringLiteral("/saved/weights.bin")), a);
        QCOMPARE(read(to + QStringLiteral("/saved/sub/config.json")), b);
        QCOMPARE(read(to + QStringLiteral("/saved/alias.bin")), a);
        QVERIFY(!QFileInfo(to + QStringLiteral("/saved/alias.bin")).isSymLink());
    }

    void pathsThatLeaveTheRunAreRefused() {
        const QString snap = makeRun(QStringLiteral("run-esc"), lb::RunStatus::Completed);
        const QString secret = tmp_.filePath(QStringLiteral("secret.txt"));
        QVERIFY(write(secret, "secret"));
        QVERIFY(QFile::link(secret, snap + QStringLiteral("/outputs/link.txt")));
        QVERIFY(write(snap + QStringLiteral("/outputs/folder/ok.bin"), "ok"));
        QVERIFY(QFile::link(secret, snap + QStringLiteral("/outputs/folder/escape.txt")));
        const QList<QPair<QString, QByteArray>> cases{
            {QStringLiteral("../../../secret.txt"), "contains '..'"},
            {QStringLiteral("outputs/../../run-a/snapshot/x"), "contains '..'"},
            {secret, "absolute"},
            {QStringLiteral("outputs/link.txt"), "outside the run's folder"},
            {QStringLiteral("outputs/folder"), "symbolic link that leads outside"},
            {QStringLiteral("outputs/missing.npz"), "has no file or folder"},
        };
        for (const auto& [path, message] : cases) {
            CliResult r = lb({"models", "register", "--run", "run-esc", "--name", "escape", "--path", path});
            QVERIFY2(r.exitCode == 1, qPrintable(path));
            QVERIFY2(r.err.contains(message), qPrintable(path + QStringLiteral(": ") + QString::fromUtf8(r.err)));
            QCOMPARE(r.err.count('\n'), 1);
        }
        QCOMPARE(lb({"models", "show", "escape"}).exitCode, 1);
        // Nothing was left behind: no version folder, no staging folder.
        QVERIFY(!QFileInfo::exists(ws_ + QStringLiteral("/models/escape")));
        for (const QString& e : QDir(ws_ + QStringLiteral("/models")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
            QVERIFY2(!e.startsWith(QLatin1String(".staging")), qPrintable(e));
        CliResult badName = lb({"models", "register", "--run", "run-esc", "--name", "../evil", "--path", "outputs/folder/ok.bin"});
        QCOMPARE(badName.exitCode, 2);
        QVERIFY(badName.err.contains("not a valid model name"));
    }

    void runsThatAreNotCompletedNeedForce() {
        const QString snap = makeRun(QStringLiteral("run-live"), lb::RunStatus::Running);
        QVERIFY(write(snap + QStringLiteral("/outputs/model.npz"), "partial"));
        CliResult refused = lb({"models", "register", "--run", "run-live", "--name", "live", "--path", "outputs/model.npz"});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("is Running, not Completed") && refused.err.contains("--force"), refused.err.constData());
        CliResult forced = lb({"models", "register", "--run", "run-live", "--name", "live", "--path", "outputs/model.npz", "--force"});
        QCOMPARE(forced.exitCode, 0);
        CliResult unknown = lb({"models", "register", "--run", "no-such-run", "--name", "live", "--path", "outputs/model.npz"});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY(unknown.err.contains("no run 'no-such-run'"));
    }

    void tagAndRemove() {
        const QString snap = makeRun(QStringLiteral("run-tag"), lb::RunStatus::Completed);
        QVERIFY(write(snap + QStringLiteral("/outputs/m.bin"), "m"));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(lb({"models", "register", "--run", "run-tag", "--name", "tagged", "--path", "outputs/m.bin"}).exitCode, 0);
        CliResult tagged = lb({"models", "tag", "tagged:2", "stage=production", "owner=me"});
        QCOMPARE(tagged.exitCode, 0);
        const lb::Json m = json(lb({"models", "show", "tagged:2", "--json"}));
        QCOMPARE(m["tags"]["stage"].get<std::string>(), std::string("production"));
        QCOMPARE(m["tags"]["owner"].get<std::string>(), std::string("me"));
        QCOMPARE(lb({"models", "tag", "tagged", "a=b"}).exitCode, 2);   // needs a version
        QCOMPARE(lb({"models", "tag", "tagged:2", "novalue"}).exitCode, 2);
        QCOMPARE(lb({"models", "tag", "tagged:9", "a=b"}).exitCode, 1);

        QCOMPARE(lb({"models", "remove", "tagged"}).exitCode, 2); // needs a version
        CliResult removed = lb({"models", "remove", "tagged:1"});
        QCOMPARE(removed.exitCode, 0);
        QVERIFY(!QFileInfo::exists(ws_ + QStringLiteral("/models/tagged/1")));
        QVERIFY(QFileInfo::exists(ws_ + QStringLiteral("/models/tagged/2/m.bin")));
        CliResult gone = lb({"models", "show", "tagged:1"});
        QCOMPARE(gone.exitCode, 1);
        QVERIFY(gone.err.contains("no model tagged:1"));
        QCOMPARE(json(lb({"models", "list", "--json"})).size(), size_t(2 + 1 + 1 + 2)); // mnist×2, saved, live, tagged×2
    }

    void concurrentRegistrationsGetDistinctVersions() {
        const QString snap = makeRun(QStringLiteral("run-race"), lb::RunStatus::Completed);
        QVERIFY(write(snap + QStringLiteral("/outputs/r.bin"), randomBytes(200000)));
        QList<QProcess*> procs;
        for (int i = 0; i < 4; ++i) {
            auto* p = new QProcess(this);
            p->start(QStringLiteral(LABBENCH_BIN_DIR "/labbench"),
                     {"--workspace", ws_, "models", "register", "--run", "run-race", "--name", "race", "--path", "outputs/r.bin", "--json"});
            procs.append(p);
        }
        QSet<int> versions;
        for (QProcess* p : procs) {
            QVERIFY(p->waitForFinished(60000));
            QCOMPARE(p->exitCode(), 0);
            versions.insert(lb::Json::parse(p->readAllStandardOutput().toStdString())["version"].get<int>());
        }
        QCOMPARE(versions, (QSet<int>{1, 2, 3, 4}));
        for (int v = 1; v <= 4; ++v)
            QCOMPARE(QFileInfo(ws_ + QStringLiteral("/models/race/%1/r.bin").arg(v)).size(), qint64(200000));
    }
};

QTEST_GUILESS_MAIN(CliModels)
#include "tst_cli_models.moc"
