// Fast checks of the remote mirror (issue 19 item 1) without the cluster: the real helper's
// `poll --mirror` run by a real sh on a run folder here, its answer parsed by RemotePoll and
// applied by RemoteMirror to a second folder, as the follower does over SSH. Covers appends
// across polls, the per-poll byte bound, rewrites (shrunk and same size), hostile names (a link
// to /etc/passwd, a newline in a name, a link planted on the local side), system/*.jsonl, the
// checkpoints summary, the parser's strictness on the new records, the processes a poll starts,
// and the TensorBoard tailer reading a shrunk event file again.
#include "core/compute/ssh/RemoteMirror.h"
#include "core/compute/ssh/RemotePoll.h"
#include "core/tensorboard/TensorBoardTailer.h"
#include "core/util/Error.h"
#include "tests/tensorboard/EventFileWriter.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <sys/stat.h>
#include <unistd.h>

using namespace lb;

namespace {

QString helperPath() {
    return QStringLiteral(LABBENCH_SOURCE_DIR "/resources/remote/labbench-remote.sh");
}

void writeFile(const QString& path, const QByteArray& data, bool append = false) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(append ? QIODevice::Append : (QIODevice::WriteOnly | QIODevice::Truncate)));
    QCOMPARE(f.write(data), data.size());
}

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// One poll of `remote` into `mirror` with at most `maxBytes` per poll.
RemotePoll pollOnce(const QString& remote, RemoteMirror& mirror, qint64 maxBytes = 1 << 20) {
    QProcess p;
    p.start(QStringLiteral("sh"),
            {helperPath(), QStringLiteral("poll"), QStringLiteral("--mirror"), remote,
             QStringLiteral("0"), QStringLiteral("0"), QString::number(maxBytes)});
    p.write(mirror.manifest());
    p.closeWriteChannel();
    if (!p.waitForFinished(20000) || p.exitCode() != 0)
        qFatal("poll failed: %s", p.readAllStandardError().constData());
    const RemotePoll poll = RemotePoll::parse(p.readAllStandardOutput());
    for (const MirroredChunk& c : poll.files)
        mirror.apply(c);
    return poll;
}

// Polls until nothing is left to send (at most `rounds`); returns the number of polls.
int pollUntilDrained(const QString& remote, RemoteMirror& mirror, qint64 maxBytes = 1 << 20,
                     int rounds = 200) {
    for (int i = 1; i <= rounds; ++i) {
        const RemotePoll p = pollOnce(remote, mirror, maxBytes);
        if (p.drained(0, 0) && mirror.settled()) return i;
    }
    return -1;
}

} // namespace

class TestRemoteMirror : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString remote_, local_;

    QString r(const QString& rel) const { return remote_ + QLatin1Char('/') + rel; }
    QString l(const QString& rel) const { return local_ + QLatin1Char('/') + rel; }

private slots:
    void init() {
        static int n = 0;
        ++n;
        remote_ = tmp_.filePath(QStringLiteral("remote%1").arg(n));
        local_ = tmp_.filePath(QStringLiteral("local%1").arg(n));
        QVERIFY(QDir().mkpath(remote_ + QStringLiteral("/snapshot/logs")));
        QVERIFY(QDir().mkpath(local_));
    }

    void pathsStayInsideLogsAndSystem() {
        QVERIFY(RemoteMirror::isMirroredPath("snapshot/logs/a.log"));
        QVERIFY(RemoteMirror::isMirroredPath("snapshot/logs/images/step 1.png"));
        QVERIFY(RemoteMirror::isMirroredPath("system/n1.jsonl"));
        QVERIFY(!RemoteMirror::isMirroredPath("snapshot/logs"));
        QVERIFY(!RemoteMirror::isMirroredPath("snapshot/logs/../../../etc/passwd"));
        QVERIFY(!RemoteMirror::isMirroredPath("snapshot/logs/./a"));
        QVERIFY(!RemoteMirror::isMirroredPath("snapshot/logs//a"));
        QVERIFY(!RemoteMirror::isMirroredPath("/etc/passwd"));
        QVERIFY(!RemoteMirror::isMirroredPath("snapshot/outputs/model.bin"));
        QVERIFY(!RemoteMirror::isMirroredPath("snapshot/logs/bad\nname"));
        QVERIFY(!RemoteMirror::isMirroredPath("snapshot/logs/bell\x07"));
        QVERIFY(!RemoteMirror::isMirroredPath("system/n1/deep.jsonl"));
        QVERIFY(!RemoteMirror::isMirroredPath("system/n1.txt"));
        QVERIFY(!RemoteMirror::isMirroredPath("driver.log"));
    }

    void parserReadsFileRecordsStrictly() {
        const RemotePoll p = RemotePoll::parse("state running\ndriver.log 0 0\nmetrics.jsonl 0 0\n"
                                               "file 0 3 5 snapshot/logs/a b.log\nabc"
                                               "file 60 4 64 system/n1.jsonl\nwxyz"
                                               "mirror 1 2 300 1\nexit 2 2\n{}");
        QCOMPARE(p.files.size(), size_t(2));
        QCOMPARE(p.files[0].path, QByteArray("snapshot/logs/a b.log"));
        QCOMPARE(p.files[0].bytes, QByteArray("abc"));
        QVERIFY(!p.files[0].complete());
        QVERIFY(p.files[1].complete());
        QCOMPARE(p.mirror->more, 1);
        QCOMPARE(p.mirror->checkpointCount, 2);
        QCOMPARE(p.mirror->checkpointBytes, 300);
        QVERIFY(p.mirror->checkpointsChanged);
        QCOMPARE(*p.exitJson, QByteArray("{}"));
        QVERIFY(!p.drained(0, 0)); // one file is not whole and one more waits
        const QByteArray head = "state running\ndriver.log 0 0\nmetrics.jsonl 0 0\n";
        // Records without the closing mirror line, bytes past the file's size, a missing path,
        // a flag that is not 0/1, a count past the end.
        for (const QByteArray& bad :
             {head + "file 0 1 1 snapshot/logs/a\nx",
              head + "file 0 1 1 snapshot/logs/a\nxexit 2 2\n{}",
              head + "file 3 3 5 snapshot/logs/a\nxyzmirror 0 0 0 0\n",
              head + "file 0 0 0\nmirror 0 0 0 0\n", head + "file 0 0 0 \nmirror 0 0 0 0\n",
              head + "mirror 0 0 0 2\n", head + "mirror 0 0 0\n",
              head + "file 0 9223372036854775807 9223372036854775807 p\nmirror 0 0 0 0\n",
              head + "file -1 1 1 snapshot/logs/a\nxmirror 0 0 0 0\n"})
            QVERIFY_THROWS_EXCEPTION(Error, RemotePoll::parse(bad));
    }

    void appendsArriveAcrossPollsAndTheByteBoundHolds() {
        RemoteMirror mirror(local_);
        writeFile(r(QStringLiteral("snapshot/logs/a.log")), "first\n");
        writeFile(r(QStringLiteral("snapshot/logs/deep/er/b c.log")), "bee\n");
        QVERIFY(pollUntilDrained(remote_, mirror) > 0);
        QCOMPARE(readFile(l(QStringLiteral("snapshot/logs/a.log"))), QByteArray("first\n"));
        QCOMPARE(readFile(l(QStringLiteral("snapshot/logs/deep/er/b c.log"))), QByteArray("bee\n"));
        // 50 files written at once, 3000 bytes each, 4000 bytes a poll: several polls, each under
        // the bound, and every byte once.
        QByteArray big;
        for (int i = 0; i < 300; ++i)
            big += QByteArray::number(i).rightJustified(9, '0') + '\n';
        for (int f = 0; f < 50; ++f)
            writeFile(r(QStringLiteral("snapshot/logs/many/f%1.log").arg(f)), big);
        writeFile(r(QStringLiteral("snapshot/logs/a.log")), "second\n", true);
        const RemotePoll first = pollOnce(remote_, mirror, 4000);
        qint64 sent = 0;
        for (const MirroredChunk& c : first.files)
            sent += c.bytes.size();
        QVERIFY2(sent <= 4000, qPrintable(QString::number(sent)));
        QVERIFY(first.mirror && first.mirror->more > 0);
        const int polls = pollUntilDrained(remote_, mirror, 4000);
        QVERIFY2(polls >= 30, qPrintable(QString::number(polls)));
        for (int f = 0; f < 50; ++f)
            QCOMPARE(readFile(l(QStringLiteral("snapshot/logs/many/f%1.log").arg(f))), big);
        QCOMPARE(readFile(l(QStringLiteral("snapshot/logs/a.log"))), QByteArray("first\nsecond\n"));
        // Nothing changed: the next poll sends no file.
        QVERIFY(pollOnce(remote_, mirror).files.empty());
    }

    void rewritesReplaceTheCopy() {
        RemoteMirror mirror(local_);
        const QByteArray long1(500, 'a');
        writeFile(r(QStringLiteral("snapshot/logs/shrinks.log")), long1);
        writeFile(r(QStringLiteral("snapshot/logs/same.log")), QByteArray(200, 'x'));
        writeFile(r(QStringLiteral("snapshot/logs/grows.log")), QByteArray(300, 'g'));
        QVERIFY(pollUntilDrained(remote_, mirror) > 0);
        QThread::msleep(20); // mtimes after the helper's last marker
        writeFile(r(QStringLiteral("snapshot/logs/shrinks.log")), "short\n");
        QByteArray same(200, 'x');
        same[190] = 'Z'; // same size, other bytes in the 64 compared: taken again whole
        writeFile(r(QStringLiteral("snapshot/logs/same.log")), same);
        // Rewritten with other bytes and longer: the compared bytes differ, so it comes again
        // whole.
        const QByteArray regrown = QByteArray(400, 'h');
        writeFile(r(QStringLiteral("snapshot/logs/grows.log")), regrown);
        QVERIFY(pollUntilDrained(remote_, mirror) > 0);
        QCOMPARE(readFile(l(QStringLiteral("snapshot/logs/shrinks.log"))), QByteArray("short\n"));
        QCOMPARE(readFile(l(QStringLiteral("snapshot/logs/grows.log"))), regrown);
        QCOMPARE(readFile(l(QStringLiteral("snapshot/logs/same.log"))), same);
        QVERIFY(!QFileInfo::exists(l(QStringLiteral(".mirror-rewrite.tmp"))));
    }

    void hostileNamesStayOut() {
        RemoteMirror mirror(local_);
        QVERIFY(
            QFile::link(QStringLiteral("/etc/passwd"), r(QStringLiteral("snapshot/logs/passwd"))));
        QVERIFY(QFile::link(QStringLiteral("/etc"), r(QStringLiteral("snapshot/logs/etc"))));
        writeFile(r(QStringLiteral("snapshot/logs/bad\nname.log")), "newline\n");
        writeFile(r(QStringLiteral("snapshot/logs/ok.log")), "ok\n");
        QVERIFY(QDir().mkpath(r(QStringLiteral("system/n1"))));
        writeFile(r(QStringLiteral("system/n1.jsonl")), "{\"cpu_percent\": 1}\n");
        writeFile(r(QStringLiteral("system/n1/deep.jsonl")), "{}\n");
        writeFile(r(QStringLiteral("system/notes.txt")), "no\n");
        QVERIFY(::mkfifo(qPrintable(r(QStringLiteral("snapshot/logs/fifo"))), 0600) == 0);
        QVERIFY(pollUntilDrained(remote_, mirror) > 0);
        QCOMPARE(readFile(l(QStringLiteral("snapshot/logs/ok.log"))), QByteArray("ok\n"));
        QCOMPARE(readFile(l(QStringLiteral("system/n1.jsonl"))),
                 QByteArray("{\"cpu_percent\": 1}\n"));
        for (const char* absent :
             {"snapshot/logs/passwd", "snapshot/logs/etc", "snapshot/logs/bad\nname.log",
              "snapshot/logs/fifo", "system/n1", "system/notes.txt"})
            QVERIFY2(!QFileInfo(l(QString::fromUtf8(absent))).exists() &&
                         !QFileInfo(l(QString::fromUtf8(absent))).isSymLink(),
                     absent);
        QVERIFY(mirror.takeRefusals().isEmpty()); // the helper never sent them
        // A chunk that names a path outside (a helper we do not trust) is refused here too.
        MirroredChunk escape{"snapshot/logs/../../escaped", 0, "x", 1};
        mirror.apply(escape);
        QVERIFY(!QFileInfo::exists(tmp_.filePath(QStringLiteral("escaped"))));
        QCOMPARE(mirror.takeRefusals().size(), 1);
    }

    void aLocalLinkIsNotWrittenThrough() {
        // Someone put a link where a mirrored folder goes: nothing is written where it points.
        const QString outside =
            tmp_.filePath(QStringLiteral("outside%1").arg(QFileInfo(local_).fileName()));
        QVERIFY(QDir().mkpath(outside));
        QVERIFY(QDir().mkpath(l(QStringLiteral("snapshot"))));
        QVERIFY(QFile::link(outside, l(QStringLiteral("snapshot/logs"))));
        RemoteMirror mirror(local_);
        writeFile(r(QStringLiteral("snapshot/logs/a.log")), "a\n");
        pollOnce(remote_, mirror);
        QVERIFY(QDir(outside).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty());
        QCOMPARE(mirror.takeRefusals().size(), 1);
    }

    void checkpointsAreSummed() {
        RemoteMirror mirror(local_);
        writeFile(r(QStringLiteral("snapshot/checkpoints/step1.pt")), QByteArray(100, 'c'));
        writeFile(r(QStringLiteral("snapshot/checkpoints/sub/step2.pt")), QByteArray(23, 'c'));
        QThread::msleep(20); // file times tick coarsely: a tie with the poll's marker counts as new
        RemotePoll p = pollOnce(remote_, mirror);
        QCOMPARE(p.mirror->checkpointCount, 2);
        QCOMPARE(p.mirror->checkpointBytes, 123);
        QVERIFY(p.mirror->checkpointsChanged); // first poll: everything counts as new
        p = pollOnce(remote_, mirror);
        QVERIFY(!p.mirror->checkpointsChanged);
        QVERIFY(p.files.empty()); // checkpoints are not streamed as files
    }

    // Issue 19: the poll stays cheap on the remote side. Every program the helper may start is
    // wrapped by a script that logs its name: a poll that finds nothing new starts cat (the
    // manifest), find, wc and awk, and one with 50 changed files adds one perl, not one per file.
    void aPollStartsAFixedNumberOfProcesses() {
        const QString shims = tmp_.filePath(QStringLiteral("shims"));
        const QString log = tmp_.filePath(QStringLiteral("programs.log"));
        QVERIFY(QDir().mkpath(shims));
        for (const char* name : {"find", "wc", "awk", "dd", "perl", "cat", "head", "tail", "ps",
                                 "od", "sed", "tr", "sort", "stat", "date", "mv", "touch", "ls"}) {
            const QString real = QStandardPaths::findExecutable(QString::fromLatin1(name));
            if (real.isEmpty()) continue;
            writeFile(shims + QLatin1Char('/') + QString::fromLatin1(name),
                      QStringLiteral("#!/bin/sh\necho %1 >> '%2'\nexec '%3' \"$@\"\n")
                          .arg(QString::fromLatin1(name), log, real)
                          .toUtf8());
            QVERIFY(QFile::setPermissions(shims + QLatin1Char('/') + QString::fromLatin1(name),
                                          QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        }
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("perl")).isEmpty(),
                 "perl (Debian's perl-base) is missing");
        RemoteMirror mirror(local_);
        for (int f = 0; f < 50; ++f)
            writeFile(r(QStringLiteral("snapshot/logs/f%1.log").arg(f)), "line\n");
        QVERIFY(pollUntilDrained(remote_, mirror) > 0);
        const auto programsOfOnePoll = [&] {
            QFile::remove(log);
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("PATH"),
                       shims + QStringLiteral(":") + env.value(QStringLiteral("PATH")));
            p.setProcessEnvironment(env);
            p.start(QStringLiteral("/bin/sh"),
                    {helperPath(), QStringLiteral("poll"), QStringLiteral("--mirror"), remote_,
                     QStringLiteral("0"), QStringLiteral("0"), QStringLiteral("1048576")});
            p.write(mirror.manifest());
            p.closeWriteChannel();
            p.waitForFinished(20000);
            for (const MirroredChunk& c : RemotePoll::parse(p.readAllStandardOutput()).files)
                mirror.apply(c);
            QStringList names =
                QString::fromLatin1(readFile(log)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
            names.sort();
            return names;
        };
        QThread::msleep(20); // past the helper's marker, so that nothing counts as touched
        programsOfOnePoll(); // moves the marker past the files written above
        QCOMPARE(programsOfOnePoll(), (QStringList{QStringLiteral("awk"), QStringLiteral("cat"),
                                                   QStringLiteral("find"), QStringLiteral("wc")}));
        for (int f = 0; f < 50; ++f)
            writeFile(r(QStringLiteral("snapshot/logs/f%1.log").arg(f)), "more\n", true);
        QCOMPARE(programsOfOnePoll(),
                 (QStringList{QStringLiteral("awk"), QStringLiteral("cat"), QStringLiteral("find"),
                              QStringLiteral("perl"), QStringLiteral("wc")}));
        for (int f = 0; f < 50; ++f)
            QCOMPARE(readFile(l(QStringLiteral("snapshot/logs/f%1.log").arg(f))),
                     QByteArray("line\nmore\n"));
    }

    // A TensorBoard file rewritten shorter there is replaced here by a rename; the tailer that
    // read the old copy notices the shrink and reads the new one from its start.
    void aShrunkEventFileIsReadAgainByTheTailer() {
        using namespace tbw;
        RemoteMirror mirror(local_);
        const QString rel = QStringLiteral("snapshot/logs/events.out.tfevents.1.node");
        QByteArray three;
        for (int step = 0; step < 3; ++step)
            three += record(eventRecordData(1.0 + step, step, {simpleValue("loss", float(step))}));
        writeFile(r(rel), three);
        QVERIFY(pollUntilDrained(remote_, mirror) > 0);
        TensorBoardTailer tailer(local_ + QStringLiteral("/snapshot"));
        size_t points = 0;
        for (const auto& b : tailer.poll())
            points += b.points.size();
        QCOMPARE(points, size_t(3));
        writeFile(r(rel), record(eventRecordData(9.0, 7, {simpleValue("loss", 7.0f)})));
        QVERIFY(pollUntilDrained(remote_, mirror) > 0);
        const auto batches = tailer.poll();
        QCOMPARE(batches.size(), size_t(1));
        QCOMPARE(batches[0].points.size(), size_t(1));
        QCOMPARE(batches[0].points[0].step, 7);
        QVERIFY(batches[0].warnings.join(QLatin1Char(' ')).contains(QLatin1String("shrank")));
    }

    void aNewMirrorResumesFromTheLocalFiles() {
        // A follower that restarts (or a connection that broke) continues from the local sizes.
        {
            RemoteMirror mirror(local_);
            writeFile(r(QStringLiteral("snapshot/logs/a.log")), "one\n");
            QVERIFY(pollUntilDrained(remote_, mirror) > 0);
        }
        writeFile(r(QStringLiteral("snapshot/logs/a.log")), "two\n", true);
        RemoteMirror again(local_);
        QCOMPARE(again.manifest(), QByteArray("4 snapshot/logs/a.log\n"));
        QVERIFY(pollUntilDrained(remote_, again) > 0);
        QCOMPARE(readFile(l(QStringLiteral("snapshot/logs/a.log"))), QByteArray("one\ntwo\n"));
    }
};

QTEST_GUILESS_MAIN(TestRemoteMirror)
#include "tst_remote_mirror.moc"
