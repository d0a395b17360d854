// Workspaces: create, open, and discovery in Azure ML's from_config() order.
#include "core/util/Error.h"
#include "core/workspace/WorkspaceDiscovery.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace lb;

namespace {
void writeFile(const QString& path, const QByteArray& data) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}
} // namespace

class WorkspaceTest : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

private slots:
    void init() { qputenv("LABBENCH_WORKSPACE", ""); }

    void createWritesConfigStoreAndLocalTarget() {
        const QString dir = tmp_.filePath(QStringLiteral("created"));
        Workspace ws = Workspace::create(dir, QStringLiteral("demo"));
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/config.json")));
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/labbench.db")));
        QVERIFY(QFileInfo(dir + QStringLiteral("/runs")).isDir());
        QCOMPARE(ws.config().name, QStringLiteral("demo"));
        const auto local = ws.store().computeTargets().find(QStringLiteral("local"));
        QVERIFY(local);
        QCOMPARE(local->kind, QStringLiteral("local"));

        Workspace reopened = Workspace::open(dir);
        QCOMPARE(reopened.config().id, ws.config().id);
        QCOMPARE(reopened.store().computeTargets().list().size(), 1);
    }

    void createRefusesAnExistingWorkspaceAndBadNames() {
        const QString dir = tmp_.filePath(QStringLiteral("twice"));
        Workspace::create(dir, QStringLiteral("one"));
        QVERIFY_THROWS_EXCEPTION(Error, Workspace::create(dir, QStringLiteral("two")));
        QCOMPARE(Workspace::open(dir).config().name, QStringLiteral("one")); // untouched
        QVERIFY_THROWS_EXCEPTION(Error, Workspace::create(tmp_.filePath(QStringLiteral("x")), QStringLiteral("a/b")));
    }

    void openMissingOrNonWorkspaceFolderSaysHowToFix() {
        try {
            Workspace::open(tmp_.filePath(QStringLiteral("absent")));
            QFAIL("must throw");
        } catch (const Error& e) {
            QVERIFY(e.message().contains(QStringLiteral("does not exist")));
            QVERIFY(e.message().contains(QStringLiteral("labbench workspace init")));
        }
        const QString empty = tmp_.filePath(QStringLiteral("empty"));
        QDir().mkpath(empty);
        try {
            Workspace::open(empty);
            QFAIL("must throw");
        } catch (const Error& e) {
            QVERIFY(e.message().contains(QStringLiteral("not a Labbench workspace")));
        }
    }

    void corruptConfigKeepsTheStoreIntact() {
        const QString dir = tmp_.filePath(QStringLiteral("corrupt"));
        {
            Workspace ws = Workspace::create(dir, QStringLiteral("c"));
            ws.store().experiments().ensure(QStringLiteral("keep-me"));
        }
        QFile f(dir + QStringLiteral("/config.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray good = f.readAll();
        f.close();
        writeFile(dir + QStringLiteral("/config.json"), good.left(good.size() / 2));
        QVERIFY_THROWS_EXCEPTION(Error, Workspace::open(dir));
        writeFile(dir + QStringLiteral("/config.json"), good);
        QVERIFY(Workspace::open(dir).store().experiments().find(QStringLiteral("keep-me")));
    }

    void discoveryPrefersExplicitThenEnvironmentThenParents() {
        const QString a = tmp_.filePath(QStringLiteral("disc/a"));
        const QString b = tmp_.filePath(QStringLiteral("disc/b"));
        Workspace::create(a, QStringLiteral("a"));
        Workspace::create(b, QStringLiteral("b"));
        const QString deep = a + QStringLiteral("/project/src/deeper");
        QDir().mkpath(deep);

        QCOMPARE(discoverWorkspace(std::nullopt, deep).config().name, QStringLiteral("a")); // parent
        qputenv("LABBENCH_WORKSPACE", b.toLocal8Bit());
        QCOMPARE(discoverWorkspace(std::nullopt, deep).config().name, QStringLiteral("b")); // env
        QCOMPARE(discoverWorkspace(a, deep).config().name, QStringLiteral("a"));            // explicit
    }

    void hiddenLabbenchFolderIsFound() {
        const QString project = tmp_.filePath(QStringLiteral("proj"));
        Workspace::create(project + QStringLiteral("/.labbench"), QStringLiteral("hidden"));
        QDir().mkpath(project + QStringLiteral("/sub"));
        QCOMPARE(discoverWorkspace(std::nullopt, project + QStringLiteral("/sub")).config().name, QStringLiteral("hidden"));
        QCOMPARE(Workspace::open(project).config().name, QStringLiteral("hidden"));
    }

    void foreignConfigJsonIsPassedOverButBrokenOwnIsReported() {
        const QString outer = tmp_.filePath(QStringLiteral("foreign"));
        Workspace::create(outer, QStringLiteral("outer"));
        const QString inner = outer + QStringLiteral("/webapp");
        writeFile(inner + QStringLiteral("/config.json"), R"({"port": 8080})");
        QCOMPARE(discoverWorkspace(std::nullopt, inner).config().name, QStringLiteral("outer"));

        // A workspace (store beside it) with a broken config.json is reported, not skipped.
        writeFile(outer + QStringLiteral("/config.json"), "{ \"name\": ");
        try {
            discoverWorkspace(std::nullopt, inner);
            QFAIL("must throw");
        } catch (const Error& e) {
            QVERIFY2(e.message().contains(outer + QStringLiteral("/config.json:1:")), qPrintable(e.message()));
        }
    }

    void defaultWorkspaceIsCreatedOnFirstUse() {
        const QString xdg = tmp_.filePath(QStringLiteral("xdg"));
        qputenv("XDG_DATA_HOME", xdg.toLocal8Bit());
        const QString nowhere = tmp_.filePath(QStringLiteral("nowhere"));
        QDir().mkpath(nowhere);
        QCOMPARE(findWorkspaceRoot(nowhere), QString());
        Workspace first = discoverWorkspace(std::nullopt, nowhere);
        QCOMPARE(first.root(), xdg + QStringLiteral("/labbench/default"));
        QCOMPARE(first.config().name, QStringLiteral("default"));
        Workspace second = discoverWorkspace(std::nullopt, nowhere);
        QCOMPARE(second.config().id, first.config().id); // created once, then reused
    }
};

QTEST_GUILESS_MAIN(WorkspaceTest)
#include "tst_workspace.moc"
