#include "core/compute/ssh/RemoteMirror.h"

#include "core/util/BytePaths.h"
#include "core/util/ByteStrings.h"
#include "core/util/Error.h"

#include <QList>
#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lb {

namespace {

// A file descriptor closed with the object.
class Fd {
public:
    explicit Fd(int fd = -1)
        : fd_(fd) {}
    Fd(Fd&& o) noexcept
        : fd_(o.fd_) {
        o.fd_ = -1;
    }
    Fd& operator=(Fd&& o) noexcept {
        std::swap(fd_, o.fd_);
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }
    bool ok() const { return fd_ >= 0; }

private:
    int fd_;
};

constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

// The folder that holds the last part of `parts`, opened part by part from `root` without
// following a link (created as needed with `create`); invalid when that is not possible.
Fd openParent(const QString& root, const QList<QByteArray>& parts, bool create) {
    Fd dir(::open(nativePath(root).constData(), kDirFlags));
    for (qsizetype i = 0; dir.ok() && i + 1 < parts.size(); ++i) {
        if (create)
            ::mkdirat(dir.get(), parts[i].constData(), 0777); // EEXIST is fine; openat checks
        dir = Fd(::openat(dir.get(), parts[i].constData(), kDirFlags));
    }
    return dir;
}

// A regular file in `dir`, never through a link and never blocking on a FIFO.
Fd openFile(int dir, const QByteArray& name, int flags) {
    Fd f(::openat(dir, name.constData(), flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666));
    struct stat st {};
    if (f.ok() && (::fstat(f.get(), &st) != 0 || !S_ISREG(st.st_mode))) return Fd();
    return f;
}

// The size of the regular file at `path` (relative to `root`), -1 when there is none.
qint64 localSize(const QString& root, const QByteArray& path) {
    const QList<QByteArray> parts = path.split('/');
    const Fd dir = openParent(root, parts, false);
    struct stat st {};
    if (!dir.ok() ||
        ::fstatat(dir.get(), parts.last().constData(), &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG(st.st_mode))
        return -1;
    return st.st_size;
}

QByteArray readLocal(const QString& root, const QByteArray& path, qint64 offset, qint64 count) {
    const QList<QByteArray> parts = path.split('/');
    const Fd dir = openParent(root, parts, false);
    const Fd f = dir.ok() ? openFile(dir.get(), parts.last(), O_RDONLY) : Fd();
    QByteArray out(count, Qt::Uninitialized);
    qint64 done = 0;
    while (f.ok() && done < count) {
        const ssize_t n = ::pread(f.get(), out.data() + done, size_t(count - done), offset + done);
        if (n <= 0) break;
        done += n;
    }
    out.truncate(done);
    return out;
}

void writeAll(int fd, const QByteArray& bytes, const QString& what) {
    qint64 done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw Error(
                QStringLiteral("Cannot write %1 in the run folder; check its disk space and "
                               "permissions.")
                    .arg(what));
        done += n;
    }
}

} // namespace

RemoteMirror::RemoteMirror(QString runDir)
    : runDir_(std::move(runDir)) {
    // What earlier followers of this run brought home: the next manifest continues from there.
    for (const FoundFile& f : regularFilesUnder(runDir_ + QStringLiteral("/snapshot/logs"))) {
        const QByteArray path = "snapshot/logs/" + nativePath(f.relative);
        if (isMirroredPath(path)) known_.insert(path, true);
    }
    for (const FoundFile& f : regularFilesUnder(runDir_ + QStringLiteral("/system"))) {
        const QByteArray path = "system/" + nativePath(f.relative);
        if (isMirroredPath(path)) known_.insert(path, true);
    }
}

bool RemoteMirror::isMirroredPath(const QByteArray& path) {
    for (const char c : path)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
    const QList<QByteArray> parts = path.split('/');
    for (const QByteArray& p : parts)
        if (p.isEmpty() || p == "." || p == "..") return false;
    if (parts.size() >= 3 && parts[0] == "snapshot" && parts[1] == "logs") return true;
    return parts.size() == 2 && parts[0] == "system" && parts[1].endsWith(".jsonl");
}

QByteArray RemoteMirror::manifest() {
    QList<QByteArray> paths = known_.keys();
    std::sort(paths.begin(), paths.end());
    QByteArray out;
    for (const QByteArray& path : paths) {
        const qint64 size = localSize(runDir_, path);
        if (size < 0) { // removed here: the helper sends it whole again
            known_.remove(path);
            rewrites_.remove(path);
            continue;
        }
        out += QByteArray::number(rewrites_.contains(path) ? 0 : size) + ' ' + path + '\n';
    }
    return out;
}

void RemoteMirror::apply(const MirroredChunk& chunk) {
    if (!isMirroredPath(chunk.path)) {
        refusals_.append(
            QStringLiteral("labbench: did not bring home %1: the name leaves the run's "
                           "logs/ and system/ folders or holds control characters.")
                .arg(decodeBytes(chunk.path)));
        return;
    }
    const qint64 local = localSize(runDir_, chunk.path);
    if (local < 0 || rewrites_.contains(chunk.path) || chunk.size < local) {
        if (chunk.start != 0) { // bytes from the middle of a file we must take whole
            rewrites_.insert(chunk.path, true);
            return;
        }
        replace(chunk.path, chunk.bytes);
        rewrites_.remove(chunk.path);
        known_.insert(chunk.path, true);
        return;
    }
    // The chunk starts at or before our end: the bytes both hold must agree, else the file was
    // rewritten there and is asked for again from its start.
    const qint64 overlap = local - chunk.start;
    if (overlap < 0 || overlap > chunk.bytes.size() ||
        readLocal(runDir_, chunk.path, chunk.start, overlap) != chunk.bytes.left(overlap)) {
        rewrites_.insert(chunk.path, true);
        return;
    }
    append(chunk.path, chunk.bytes.mid(overlap));
}

void RemoteMirror::append(const QByteArray& path, const QByteArray& bytes) {
    if (bytes.isEmpty()) return;
    const QList<QByteArray> parts = path.split('/');
    const Fd dir = openParent(runDir_, parts, true);
    const Fd f = dir.ok() ? openFile(dir.get(), parts.last(), O_WRONLY | O_APPEND | O_CREAT) : Fd();
    if (!f.ok()) {
        refusals_.append(QStringLiteral("labbench: did not bring home %1: something that is not a "
                                        "regular file or folder is in its place here.")
                             .arg(decodeBytes(path)));
        return;
    }
    writeAll(f.get(), bytes, decodeBytes(path));
}

void RemoteMirror::replace(const QByteArray& path, const QByteArray& bytes) {
    // Written beside the run folder's files, then renamed over the copy: a reader never sees a
    // half-written replacement.
    const QList<QByteArray> parts = path.split('/');
    const Fd dir = openParent(runDir_, parts, true);
    const Fd root(::open(nativePath(runDir_).constData(), kDirFlags));
    static const QByteArray tmp = ".mirror-rewrite.tmp";
    if (!dir.ok() || !root.ok()) {
        refusals_.append(QStringLiteral("labbench: did not bring home %1: a part of its folder is "
                                        "not a folder here.")
                             .arg(decodeBytes(path)));
        return;
    }
    ::unlinkat(root.get(), tmp.constData(), 0);
    {
        const Fd f = openFile(root.get(), tmp, O_WRONLY | O_CREAT | O_EXCL);
        if (!f.ok())
            throw Error(QStringLiteral("Cannot create %1/%2; check the run folder's permissions.")
                            .arg(runDir_, QString::fromLatin1(tmp)));
        writeAll(f.get(), bytes, decodeBytes(path));
    }
    struct stat st {};
    if (::fstatat(dir.get(), parts.last().constData(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        !S_ISREG(st.st_mode)) { // a folder or link of that name here: leave it alone
        ::unlinkat(root.get(), tmp.constData(), 0);
        refusals_.append(QStringLiteral("labbench: did not bring home %1: something that is not a "
                                        "regular file is in its place here.")
                             .arg(decodeBytes(path)));
        return;
    }
    if (::renameat(root.get(), tmp.constData(), dir.get(), parts.last().constData()) != 0)
        throw Error(QStringLiteral("Cannot replace %1 in the run folder %2; check its permissions.")
                        .arg(decodeBytes(path), runDir_));
}

QStringList RemoteMirror::takeRefusals() {
    QStringList out;
    out.swap(refusals_);
    return out;
}

} // namespace lb
