// Snapshot of a source folder: gitignore semantics, negation, nesting, links, the size limit.

#include "core/runs/IgnoreRules.h"
#include "core/runs/Snapshot.h"
#include "core/util/Error.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>
#include <unistd.h>

using namespace lb;

namespace {

void write(const QString& path, const QByteArray& content = "x") {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    f.write(content);
}

// Every path below `dir`, relative, sorted; folders end with '/', links with '@'.
QStringList tree(const QString& dir) {
    QStringList out;
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        QString rel = QDir(dir).relativeFilePath(info.filePath());
        if (info.isSymLink())
            rel += u'@';
        else if (info.isDir())
            rel += u'/';
        out.append(rel);
    }
    out.sort();
    return out;
}

} // namespace

class TestSnapshot : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    int counter = 0;

    // A fresh source folder holding `files` (relative paths) and the given ignore file text.
    QString source(const QStringList& files, const QByteArray& ignore = {},
                   const QString& ignoreName = QStringLiteral(".labbenchignore")) {
        const QString dir = tmp.filePath(QStringLiteral("src%1").arg(++counter));
        QDir().mkpath(dir);
        for (const QString& f : files) {
            if (f.endsWith(u'/'))
                QDir().mkpath(dir + u'/' + f);
            else
                write(dir + u'/' + f);
        }
        if (!ignore.isNull()) write(dir + u'/' + ignoreName, ignore);
        return dir;
    }

    QString destination() { return tmp.filePath(QStringLiteral("dst%1").arg(++counter)); }

    QStringList snapshotTree(const QString& src) {
        const QString dst = destination();
        takeSnapshot(src, dst);
        return tree(dst);
    }

private slots:
    void initTestCase() { QVERIFY(tmp.isValid()); }

    void globs_data() {
        QTest::addColumn<QString>("glob");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("matches");
        QTest::newRow("star") << "*.py"
                              << "a.py" << true;
        QTest::newRow("star-no-slash") << "*.py"
                                       << "d/a.py" << false;
        QTest::newRow("question") << "a?c"
                                  << "abc" << true;
        QTest::newRow("question-no-slash") << "a?c"
                                           << "a/c" << false;
        QTest::newRow("class") << "[ab]x"
                               << "bx" << true;
        QTest::newRow("range") << "f[0-9]"
                               << "f7" << true;
        QTest::newRow("range-miss") << "f[0-9]"
                                    << "fa" << false;
        QTest::newRow("negated-class") << "f[!0-9]"
                                       << "fa" << true;
        QTest::newRow("caret-class") << "f[^0-9]"
                                     << "f1" << false;
        QTest::newRow("posix-class") << "[[:digit:]]x"
                                     << "5x" << true;
        QTest::newRow("bracket-first") << "[]a]"
                                       << "]" << true;
        QTest::newRow("unclosed") << "a[b"
                                  << "a[b" << true;
        QTest::newRow("escape") << "\\*x"
                                << "*x" << true;
        QTest::newRow("escape-miss") << "\\*x"
                                     << "ax" << false;
        QTest::newRow("leading-starstar-0") << "**/foo"
                                            << "foo" << true;
        QTest::newRow("leading-starstar-2") << "**/foo"
                                            << "a/b/foo" << true;
        QTest::newRow("trailing-starstar") << "a/**"
                                           << "a/b/c" << true;
        QTest::newRow("trailing-starstar-self") << "a/**"
                                                << "a" << false;
        QTest::newRow("middle-starstar-0") << "a/**/b"
                                           << "a/b" << true;
        QTest::newRow("middle-starstar-3") << "a/**/b"
                                           << "a/x/y/z/b" << true;
        QTest::newRow("middle-starstar-miss") << "a/**/b"
                                              << "a/x/c" << false;
        QTest::newRow("starstar-in-name") << "a**b"
                                          << "axxb" << true;
        QTest::newRow("starstar-in-name-no-slash") << "a**b"
                                                   << "a/b" << false;
        QTest::newRow("star-empty") << "a*"
                                    << "a" << true;
        QTest::newRow("case") << "A.py"
                              << "a.py" << false;
    }

    void globs() {
        QFETCH(QString, glob);
        QFETCH(QString, path);
        QFETCH(bool, matches);
        QCOMPARE(globMatches(glob, path), matches);
    }

    void parsesLinesLikeGit() {
        const auto p = parseIgnoreFile("# comment\n\n\\#hash\n!keep.txt\n\\!bang\nbuild/\n"
                                       "/top\nsub/x\ntrail   \nesc\\ \r\n/\n");
        QCOMPARE(p.size(), 8);
        QCOMPARE(p[0].glob, QStringLiteral("\\#hash"));
        QVERIFY(p[1].negated);
        QCOMPARE(p[1].glob, QStringLiteral("keep.txt"));
        QCOMPARE(p[2].glob, QStringLiteral("\\!bang"));
        QVERIFY(!p[2].negated);
        QVERIFY(p[3].directoryOnly && !p[3].anchored);
        QCOMPARE(p[3].glob, QStringLiteral("build"));
        QVERIFY(p[4].anchored);
        QCOMPARE(p[4].glob, QStringLiteral("top"));
        QVERIFY(p[5].anchored);
        QCOMPARE(p[6].glob, QStringLiteral("trail"));
        QCOMPARE(p[7].glob, QStringLiteral("esc\\ "));
        QCOMPARE(p[7].line, 10);
        QVERIFY(globMatches(p[0].glob, u"#hash"));
        QVERIFY(globMatches(p[7].glob, u"esc "));
    }

    void ignoresByNameAtAnyDepth() {
        const QString src =
            source({"a.py", "x.log", "d/y.log", "d/e/z.log", "d/keep.py"}, "*.log\n");
        QCOMPARE(snapshotTree(src),
                 (QStringList{".labbenchignore", "a.py", "d/", "d/e/", "d/keep.py"}));
    }

    void leadingSlashAnchors() {
        const QString src = source({"data.bin", "d/data.bin", "d/top/x"}, "/data.bin\n/d/top\n");
        QCOMPARE(snapshotTree(src), (QStringList{".labbenchignore", "d/", "d/data.bin"}));
    }

    void middleSlashAnchors() {
        const QString src = source({"a/b.txt", "x/a/b.txt"}, "a/b.txt\n");
        QCOMPARE(snapshotTree(src),
                 (QStringList{".labbenchignore", "a/", "x/", "x/a/", "x/a/b.txt"}));
    }

    void trailingSlashMatchesFoldersOnly() {
        const QString src = source({"out/x", "d/out/y", "file/z", "d/out2"}, "out/\nout2/\n");
        write(src + QStringLiteral("/out2"), "a file named out2 stays");
        QCOMPARE(snapshotTree(src),
                 (QStringList{".labbenchignore", "d/", "d/out2", "file/", "file/z", "out2"}));
    }

    void doubleStarPatterns() {
        const QString src =
            source({"logs/a/b/c.txt", "keep/c.txt", "m/x/y/ckpt/w", "m/ckpt/v", "deep/a/b/n.tmp"},
                   "logs/**\nm/**/ckpt\n**/*.tmp\n");
        QCOMPARE(snapshotTree(src),
                 (QStringList{".labbenchignore", "deep/", "deep/a/", "deep/a/b/", "keep/",
                              "keep/c.txt", "logs/", "m/", "m/x/", "m/x/y/"}));
    }

    void negationReincludesAndLastMatchWins() {
        const QString src = source({"a.csv", "b.csv", "keep.csv", "data/x.csv"},
                                   "*.csv\n!keep.csv\n!b.csv\nb.csv\n");
        QCOMPARE(snapshotTree(src), (QStringList{".labbenchignore", "data/", "keep.csv"}));
    }

    void negationCannotReenterAnIgnoredFolder() {
        // As in git: once a folder is excluded, nothing below it comes back.
        const QString src = source({"cache/a", "cache/important"}, "cache/\n!cache/important\n");
        QCOMPARE(snapshotTree(src), (QStringList{".labbenchignore"}));
        // ...but ignoring the contents (not the folder) lets a negation work.
        const QString src2 = source({"cache/a", "cache/important"}, "cache/*\n!cache/important\n");
        QCOMPARE(snapshotTree(src2), (QStringList{".labbenchignore", "cache/", "cache/important"}));
    }

    void nestedIgnoreFilesOverrideAndAreRelative() {
        const QString src =
            source({"a.txt", "sub/a.txt", "sub/b.txt", "sub/deep/b.txt", "b.txt"}, "*.txt\n");
        write(src + QStringLiteral("/sub/.labbenchignore"), "!a.txt\n/b.txt\n");
        // sub/.labbenchignore re-includes a.txt below sub; "/b.txt" is anchored to sub/.
        QCOMPARE(snapshotTree(src), (QStringList{".labbenchignore", "sub/", "sub/.labbenchignore",
                                                 "sub/a.txt", "sub/deep/"}));
    }

    void commentsBlankLinesAndEscapes() {
        const QString src = source({"#notes", "x", "!important", "sp "}, "# a comment\n\n\\#notes\n"
                                                                         "\\!important\nsp\\ \n");
        QCOMPARE(snapshotTree(src), (QStringList{".labbenchignore", "x"}));
    }

    void amlignoreIsHonouredAndLabbenchignoreWins() {
        const QString src = source({"a.bin", "b.bin", "c.txt"}, "*.bin\nc.txt\n", ".amlignore");
        write(src + QStringLiteral("/.labbenchignore"), "!b.bin\n");
        QCOMPARE(snapshotTree(src), (QStringList{".amlignore", ".labbenchignore", "b.bin"}));
    }

    void gitAndPycacheAlwaysSkipped() {
        const QString src = source(
            {".git/HEAD", "__pycache__/m.pyc", "pkg/__pycache__/n.pyc", "pkg/m.py", ".gitignore"},
            "!.git\n!__pycache__\n");
        QCOMPARE(snapshotTree(src),
                 (QStringList{".gitignore", ".labbenchignore", "pkg/", "pkg/m.py"}));
    }

    void keepsContentModeAndTime() {
        const QString src = source({});
        write(src + QStringLiteral("/run.sh"), "#!/bin/sh\necho hi\n");
        QFile::setPermissions(src + QStringLiteral("/run.sh"),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QByteArray big(3 * 1024 * 1024 + 17, 'q');
        big[12345] = 'z';
        write(src + QStringLiteral("/big.bin"), big);
        const QString dst = destination();
        const SnapshotResult r = takeSnapshot(src, dst);
        QCOMPARE(r.files, 2);
        QCOMPARE(r.bytes, big.size() + 18); // run.sh is 18 bytes
        QFile copy(dst + QStringLiteral("/big.bin"));
        QVERIFY(copy.open(QIODevice::ReadOnly));
        QCOMPARE(copy.readAll(), big);
        QVERIFY(QFileInfo(dst + QStringLiteral("/run.sh")).isExecutable());
        QCOMPARE(QFileInfo(dst + QStringLiteral("/run.sh")).lastModified(),
                 QFileInfo(src + QStringLiteral("/run.sh")).lastModified());
        // A plain copy, not a hard link: the script may change its files.
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(dst + QStringLiteral("/big.bin")).constData(), &st), 0);
        QCOMPARE(st.st_nlink, nlink_t(1));
    }

    void linksInsideKeptOutsideSkipped() {
        const QString src = source({"data/real.txt", "sub/x"});
        write(tmp.filePath(QStringLiteral("secret.txt")), "secret");
        QVERIFY(
            QFile::link(src + QStringLiteral("/data/real.txt"), src + QStringLiteral("/sub/abs")));
        QVERIFY(::symlink("../data",
                          QFile::encodeName(src + QStringLiteral("/sub/rel")).constData()) == 0);
        QVERIFY(
            QFile::link(tmp.filePath(QStringLiteral("secret.txt")), src + QStringLiteral("/out")));
        QVERIFY(::symlink("nowhere",
                          QFile::encodeName(src + QStringLiteral("/dangling")).constData()) == 0);
        const QString dst = destination();
        const SnapshotResult r = takeSnapshot(src, dst);
        QCOMPARE(r.links, 2);
        QCOMPARE(r.skippedLinks, (QStringList{"dangling", "out"}));
        QCOMPARE(tree(dst),
                 (QStringList{"data/", "data/real.txt", "sub/", "sub/abs@", "sub/rel@", "sub/x"}));
        // Links point into the snapshot, never back into the source.
        QCOMPARE(QFileInfo(dst + QStringLiteral("/sub/abs")).symLinkTarget(),
                 QFileInfo(dst + QStringLiteral("/data/real.txt")).canonicalFilePath());
        QCOMPARE(QFile::symLinkTarget(dst + QStringLiteral("/sub/rel")),
                 QFileInfo(dst + QStringLiteral("/data")).canonicalFilePath());
    }

    void leavesOutDestinationAndWorkspaces() {
        const QString src = source({"train.py", ".labbench/config.json", ".labbench/labbench.db",
                                    ".labbench/runs/r1/x", "notws/config.json"});
        const QString dst = src + QStringLiteral("/snapshots/one");
        takeSnapshot(src, dst);
        QCOMPARE(tree(dst), (QStringList{"notws/", "notws/config.json", "train.py"}));
        // Taken again into a second folder there, the first snapshot is not copied either.
        const QString again = src + QStringLiteral("/snapshots/two");
        takeSnapshot(src, again, SnapshotOptions{0, {src + QStringLiteral("/snapshots/one")}});
        QCOMPARE(tree(again),
                 (QStringList{"notws/", "notws/config.json", "snapshots/", "train.py"}));
        // An excluded folder given by the caller.
        const QString dst2 = destination();
        SnapshotOptions o;
        o.excludedFolders = {src + QStringLiteral("/notws"), src + QStringLiteral("/snapshots")};
        takeSnapshot(src, dst2, o);
        QCOMPARE(tree(dst2), (QStringList{"train.py"}));
    }

    void sizeLimitCheckedBeforeCopying() {
        const QString src = source({"small.py"});
        write(src + QStringLiteral("/data/huge.bin"), QByteArray(600 * 1024, 'a'));
        write(src + QStringLiteral("/model.ckpt"), QByteArray(300 * 1024, 'b'));
        const QString dst = destination();
        QString message;
        try {
            takeSnapshot(src, dst, 512 * 1024);
        } catch (const Error& e) {
            message = e.message();
        }
        QVERIFY2(message.contains(QStringLiteral("data/huge.bin (600 KB)")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("model.ckpt (300 KB)")), qPrintable(message));
        QVERIFY2(message.indexOf(QStringLiteral("huge.bin")) <
                     message.indexOf(QStringLiteral("model.ckpt")),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("limit of 512 KB")), qPrintable(message));
        QVERIFY2(message.contains(src + QStringLiteral("/.labbenchignore")), qPrintable(message));
        QVERIFY(!QFileInfo::exists(dst)); // nothing written at all

        // Ignoring the big file brings it under the limit.
        write(src + QStringLiteral("/.labbenchignore"), "data/\n");
        QCOMPARE(takeSnapshot(src, dst, 512 * 1024).files, 3);
        QVERIFY(!takeSnapshot(src, destination(), 0).skippedLinks.size()); // 0 = no limit
    }

    // #23: the workbench asks before a large submit with the warning the submit itself gives.
    void warningBeforeCopyingIsTheSnapshotsOwn() {
        const QString src = source({"train.py"});
        write(src + QStringLiteral("/data/a.bin"), QByteArray(200 * 1024, 'a'));
        SnapshotOptions options;
        options.warnBytes = 100 * 1024;
        const QString before = snapshotWarning(src, options);
        QVERIFY2(before.contains(QStringLiteral("is large: 200 KB in 2 files")),
                 qPrintable(before));
        QVERIFY2(before.contains(QStringLiteral("data/ (200 KB)")), qPrintable(before));
        const QString dst = destination();
        QCOMPARE(takeSnapshot(src, dst, options).warning, before);
        // Below the size, and when the data is ignored: no warning.
        options.warnBytes = 300 * 1024;
        QCOMPARE(snapshotWarning(src, options), QString());
        options.warnBytes = 100 * 1024;
        write(src + QStringLiteral("/.labbenchignore"), "data/\n");
        QCOMPARE(snapshotWarning(src, options), QString());
        // Over the limit it throws the submit's own error, and a check never writes.
        const QStringList written = tree(tmp.path());
        options.sizeLimitBytes = 1;
        QVERIFY_THROWS_EXCEPTION(Error, snapshotWarning(src, options));
        QVERIFY_THROWS_EXCEPTION(Error,
                                 snapshotWarning(tmp.filePath(QStringLiteral("nope")), options));
        QCOMPARE(tree(tmp.path()), written);
    }

    // A sparse file counts at its apparent size, as the copy takes it (ls -l, not du).
    void sparseFilesCountAtTheirApparentSize() {
        const QString src = source({"train.py"});
        QFile sparse(src + QStringLiteral("/weights.bin"));
        QVERIFY(sparse.open(QIODevice::WriteOnly));
        QVERIFY(sparse.resize(qint64(60) * 1024 * 1024)); // a hole: no block written
        sparse.close();
        const QString warning = snapshotWarning(src, SnapshotOptions());
        QVERIFY2(warning.contains(QStringLiteral("is large: 60 MB in 2 files")),
                 qPrintable(warning));
        QVERIFY2(warning.contains(QStringLiteral("weights.bin (60 MB)")), qPrintable(warning));
    }

    void refusesToOverwriteAndNamesTheFile() {
        const QString src = source({"a.py"});
        const QString dst = destination();
        takeSnapshot(src, dst);
        QString message;
        try {
            takeSnapshot(src, dst);
        } catch (const Error& e) {
            message = e.message();
        }
        QVERIFY2(message.contains(QStringLiteral("a.py")), qPrintable(message));
    }

    void missingSourceIsAnError() {
        QString message;
        try {
            takeSnapshot(tmp.filePath(QStringLiteral("nope")), destination());
        } catch (const Error& e) {
            message = e.message();
        }
        QVERIFY2(message.contains(QStringLiteral("nope")), qPrintable(message));
    }

    void smallTreeIsQuick() {
        QStringList files;
        for (int i = 0; i < 200; ++i)
            files.append(QStringLiteral("pkg%1/mod%2.py").arg(i % 10).arg(i));
        const QString src = source(files, "*.pyc\n");
        QElapsedTimer timer;
        timer.start();
        const SnapshotResult r = takeSnapshot(src, destination());
        const qint64 ms = timer.elapsed();
        QCOMPARE(r.files, 201);
        qInfo("snapshot of 200 small files: %lld ms", ms);
        QVERIFY2(ms < 1000, qPrintable(QString::number(ms)));
    }
};

QTEST_GUILESS_MAIN(TestSnapshot)
#include "tst_snapshot.moc"
