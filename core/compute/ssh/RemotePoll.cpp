#include "core/compute/ssh/RemotePoll.h"

#include "core/util/Error.h"

#include <QList>

namespace lb {

namespace {

class Reader {
public:
    explicit Reader(const QByteArray& text) : text_(text) {}
    QList<QByteArray> line() { return rawLine().split(' '); }
    QByteArray rawLine() {
        const qsizetype end = text_.indexOf('\n', pos_);
        if (end < 0)
            fail();
        const QByteArray l = text_.mid(pos_, end - pos_);
        pos_ = end + 1;
        return l;
    }
    QByteArray bytes(qint64 n) {
        // Compared as "what is left" so that a huge count cannot overflow pos_ + n (#20 item 5:
        // "driver.log 9223372036854775807 0" was undefined behaviour).
        if (n < 0 || n > text_.size() - pos_)
            fail();
        const QByteArray b = text_.mid(pos_, n);
        pos_ += n;
        return b;
    }
    bool atEnd() const { return pos_ >= text_.size(); }
    [[noreturn]] static void fail() {
        throw Error(QStringLiteral("The remote helper answered in an unexpected format; remove the "
                                   "target's .labbench folder on the remote machine so that a matching "
                                   "helper is copied there."));
    }

private:
    const QByteArray& text_;
    qsizetype pos_ = 0;
};

qint64 number(const QByteArray& word) {
    bool ok = false;
    const qint64 v = word.toLongLong(&ok);
    if (!ok || v < 0)
        Reader::fail();
    return v;
}

// "file START N SIZE PATH": PATH is the rest of the line (it may hold spaces).
MirroredChunk fileRecord(Reader& r, const QByteArray& line) {
    QList<QByteArray> words;
    qsizetype pos = 0;
    for (int i = 0; i < 4; ++i) {
        const qsizetype space = line.indexOf(' ', pos);
        if (space < 0)
            Reader::fail();
        words.append(line.mid(pos, space - pos));
        pos = space + 1;
    }
    MirroredChunk c;
    c.path = line.mid(pos);
    c.start = number(words[1]);
    const qint64 n = number(words[2]);
    c.size = number(words[3]);
    // The bytes lie inside the file as listed (a shrunk file is padded by the helper).
    if (c.path.isEmpty() || c.start > c.size || n > c.size - c.start)
        Reader::fail();
    c.bytes = r.bytes(n);
    return c;
}

} // namespace

RemotePoll RemotePoll::parse(const QByteArray& text) {
    Reader r(text);
    RemotePoll p;
    auto head = r.line();
    if (head.size() != 2 || head[0] != "state")
        Reader::fail();
    p.state = QString::fromLatin1(head[1]);
    head = r.line();
    if (head.size() == 2 && head[0] == "sched") {
        p.scheduler = r.bytes(number(head[1]));
        head = r.line();
    }
    if (head.size() != 3 || head[0] != "driver.log")
        Reader::fail();
    p.log = r.bytes(number(head[1]));
    p.logSize = number(head[2]);
    head = r.line();
    if (head.size() != 3 || head[0] != "metrics.jsonl")
        Reader::fail();
    p.metrics = r.bytes(number(head[1]));
    p.metricsSize = number(head[2]);
    if (r.atEnd())
        return p;
    QByteArray line = r.rawLine();
    while (line.startsWith("file ")) {
        p.files.push_back(fileRecord(r, line));
        if (r.atEnd())
            Reader::fail(); // the mirror line closes the records
        line = r.rawLine();
    }
    head = line.split(' ');
    if (head.size() == 5 && head[0] == "mirror") {
        p.mirror = MirrorSummary{number(head[1]), number(head[2]), number(head[3]), false};
        if (head[4] != "0" && head[4] != "1")
            Reader::fail();
        p.mirror->checkpointsChanged = head[4] == "1";
        if (r.atEnd())
            return p;
        head = r.line();
    } else if (!p.files.empty()) {
        Reader::fail(); // the mirror line closes the records
    }
    if (head.size() != 3 || head[0] != "exit")
        Reader::fail();
    p.exitJson = r.bytes(number(head[1]));
    return p;
}

} // namespace lb
