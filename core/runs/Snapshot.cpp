#include "core/runs/Snapshot.h"

#include "core/runs/IgnoreRules.h"
#include "core/util/BytePaths.h"
#include "core/util/ByteStrings.h"
#include "core/util/Error.h"

#include <QDir>
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace lb {

// Names are bytes: they are encoded and decoded as ByteStrings.h says, so a file whose name is
// not UTF-8 is copied under its exact name (#25).
namespace {

QString systemError(int err) {
    return QString::fromLocal8Bit(std::strerror(err));
}

struct Entry {
    enum Kind { Directory, File, Link } kind;
    QByteArray relative; // below the source, raw file-name bytes
    qint64 size = 0;
    mode_t mode = 0;
    struct timespec modified {};
    QByteArray linkTarget;
};

// The canonical form of a path, or empty when it does not resolve.
QByteArray realPath(const QByteArray& path) {
    char buffer[PATH_MAX];
    return ::realpath(path.constData(), buffer) ? QByteArray(buffer) : QByteArray();
}

// The canonical form of a path that may not exist yet: its deepest existing ancestor resolved,
// then the missing rest appended.
QByteArray resolvedPath(const QString& path) {
    QString existing = QDir::cleanPath(QDir::current().absoluteFilePath(path));
    QStringList missing;
    QByteArray real;
    while ((real = realPath(encodeBytes(existing))).isEmpty()) {
        const qsizetype slash = existing.lastIndexOf(u'/');
        if (slash < 0) break;
        missing.prepend(existing.mid(slash + 1));
        existing = slash == 0 ? QStringLiteral("/") : existing.left(slash);
    }
    for (const QString& part : missing)
        real += (real.endsWith('/') ? "" : "/") + encodeBytes(part);
    return real;
}

bool isInside(const QByteArray& path, const QByteArray& root) {
    return path == root || (path.startsWith(root) && path.size() > root.size() &&
                            (root.endsWith('/') || path.at(root.size()) == '/'));
}

// A relative link target from folder `fromDir` to `to` (both canonical absolute paths).
QByteArray relativeTarget(const QByteArray& fromDir, const QByteArray& to) {
    return encodeBytes(QDir(decodeBytes(fromDir)).relativeFilePath(decodeBytes(to)));
}

// Walks the source depth-first, applying the ignore rules, and lists what to copy.
class Scanner {
public:
    Scanner(QByteArray root, QList<QByteArray> excluded, SnapshotResult& result)
        : root_(std::move(root))
        , excluded_(std::move(excluded))
        , result_(result) {}

    std::vector<Entry> entries;
    qint64 totalBytes = 0;

    void scan(const QByteArray& absolute, const QByteArray& relative) {
        const int depth = rules_.depth();
        rules_.addFolder(decodeBytes(absolute), decodeBytes(relative));
        DIR* dir = ::opendir(absolute.constData());
        if (!dir)
            throw Error(QStringLiteral("Cannot read the folder %1: %2. Fix its permissions or add "
                                       "it to .labbenchignore.")
                            .arg(decodeBytes(absolute), systemError(errno)));
        std::vector<QByteArray> names;
        while (const dirent* d = ::readdir(dir)) {
            if (std::strcmp(d->d_name, ".") != 0 && std::strcmp(d->d_name, "..") != 0)
                names.emplace_back(d->d_name);
        }
        ::closedir(dir);
        std::sort(names.begin(), names.end()); // a stable order for results and messages
        for (const QByteArray& name : names)
            visit(absolute, relative, name);
        rules_.truncate(depth);
    }

private:
    void visit(const QByteArray& parent, const QByteArray& parentRelative, const QByteArray& name) {
        const QString decoded = decodeBytes(name);
        if (IgnoreRules::alwaysSkipped(decoded)) return;
        const QByteArray absolute = parent + '/' + name;
        const QByteArray relative = parentRelative.isEmpty() ? name : parentRelative + '/' + name;
        struct stat st {};
        if (::lstat(absolute.constData(), &st) != 0)
            throw Error(QStringLiteral("Cannot read %1: %2. Fix its permissions or add it to "
                                       ".labbenchignore.")
                            .arg(decodeBytes(absolute), systemError(errno)));
        const bool isDir = S_ISDIR(st.st_mode);
        if (rules_.isIgnored(decodeBytes(relative), isDir)) return;
        Entry e{Entry::File, relative, 0, st.st_mode, st.st_mtim, {}};
        if (isDir) {
            if (excluded_.contains(absolute) || isWorkspace(absolute)) return;
            e.kind = Entry::Directory;
            entries.push_back(e);
            scan(absolute, relative);
        } else if (S_ISREG(st.st_mode)) {
            e.size = st.st_size;
            totalBytes += st.st_size;
            entries.push_back(e);
        } else if (S_ISLNK(st.st_mode)) {
            const QByteArray target = realPath(absolute);
            if (target.isEmpty() || !isInside(target, root_) || target == root_) {
                result_.skippedLinks.append(decodeBytes(relative));
                return;
            }
            e.kind = Entry::Link;
            e.linkTarget =
                relativeTarget(parent, target); // parent is canonical: links are never entered
            entries.push_back(e);
        }
        // fifos, sockets and devices are not source code: left out
    }

    static bool isWorkspace(const QByteArray& dir) {
        return ::access((dir + "/config.json").constData(), F_OK) == 0 &&
               ::access((dir + "/labbench.db").constData(), F_OK) == 0;
    }

    QByteArray root_;
    QList<QByteArray> excluded_;
    SnapshotResult& result_;
    IgnoreRules rules_;
};

[[noreturn]] void tooBig(const QString& source, const std::vector<Entry>& entries, qint64 total,
                         qint64 limit) {
    std::vector<const Entry*> files;
    for (const Entry& e : entries)
        if (e.kind == Entry::File) files.push_back(&e);
    const size_t shown = std::min<size_t>(5, files.size());
    std::partial_sort(files.begin(), files.begin() + shown, files.end(),
                      [](const Entry* a, const Entry* b) { return a->size > b->size; });
    QStringList biggest;
    for (size_t i = 0; i < shown; ++i)
        biggest.append(QStringLiteral("%1 (%2)").arg(decodeBytes(files[i]->relative),
                                                     formatSize(files[i]->size)));
    const QString example = shown > 0 ? decodeBytes(files[0]->relative) : QStringLiteral("data/");
    throw Error(QStringLiteral("The source folder %1 holds %2 to snapshot, over the limit of %3; "
                               "the biggest files are %4 - add them, or a pattern such as "
                               "\"%5\" or \"*.ckpt\", to %1/.labbenchignore (data belongs in a "
                               "data folder, not in the source), or raise the snapshot limit.")
                    .arg(source, formatSize(total), formatSize(limit),
                         biggest.join(QStringLiteral(", ")), example));
}

// The biggest top-level items of the snapshot (a folder counts with everything in it, since
// a folder is what one line of an ignore file most often leaves out), biggest first.
QStringList biggestItems(const std::vector<Entry>& entries, size_t count) {
    std::vector<std::pair<QByteArray, qint64>> sizes; // top-level name, bytes
    for (const Entry& e : entries) {
        const qsizetype slash = e.relative.indexOf('/');
        const bool nested = slash >= 0;
        const QByteArray top = nested ? e.relative.left(slash) : e.relative;
        auto it =
            std::find_if(sizes.begin(), sizes.end(), [&](const auto& s) { return s.first == top; });
        if (it == sizes.end()) {
            sizes.emplace_back(top, 0);
            it = sizes.end() - 1;
        }
        if (e.kind == Entry::File) it->second += e.size;
    }
    const size_t shown = std::min(count, sizes.size());
    std::partial_sort(sizes.begin(), sizes.begin() + static_cast<std::ptrdiff_t>(shown),
                      sizes.end(),
                      [](const auto& a, const auto& b) { return a.second > b.second; });
    QStringList names;
    for (size_t i = 0; i < shown; ++i) {
        const bool folder = std::any_of(entries.begin(), entries.end(), [&](const Entry& e) {
            return e.kind == Entry::Directory && e.relative == sizes[i].first;
        });
        names.append(QStringLiteral("%1%2 (%3)")
                         .arg(decodeBytes(sizes[i].first), folder ? QStringLiteral("/") : QString(),
                              formatSize(sizes[i].second)));
    }
    return names;
}

QString bigSnapshotWarning(const QString& source, const std::vector<Entry>& entries, qint64 bytes,
                           qint64 files) {
    return QStringLiteral("The snapshot of %1 is large: %2 in %3 files. The biggest items are "
                          "%4. If the script does not need them, list them in "
                          "%1/.labbenchignore (or .amlignore) so that runs copy only the code.")
        .arg(source, formatSize(bytes))
        .arg(files)
        .arg(biggestItems(entries, 5).join(QStringLiteral(", ")));
}

void copyFile(const QByteArray& from, const QByteArray& to, const Entry& e) {
    const int in = ::open(from.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (in < 0)
        throw Error(QStringLiteral("Cannot read %1: %2. Fix its permissions or add it to "
                                   ".labbenchignore.")
                        .arg(decodeBytes(from), systemError(errno)));
    const int out = ::open(to.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                           S_IRUSR | S_IWUSR);
    if (out < 0) {
        const int err = errno;
        ::close(in);
        throw Error(QStringLiteral("Cannot create %1 in the snapshot: %2. Give the run a fresh, "
                                   "empty snapshot folder.")
                        .arg(decodeBytes(to), systemError(err)));
    }
    auto fail = [&](const char* what) {
        const int err = errno;
        ::close(in);
        ::close(out);
        throw Error(QStringLiteral("Copying %1 into the snapshot failed while %2: %3. Free some "
                                   "disk space or check the file, then submit again.")
                        .arg(decodeBytes(from), QLatin1String(what), systemError(err)));
    };
    bool useCopyRange = true;
    while (true) {
        ssize_t n = -1;
        if (useCopyRange) {
            n = ::copy_file_range(in, nullptr, out, nullptr, 1 << 30, 0);
            if (n < 0 &&
                (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)) {
                useCopyRange = false; // an older kernel or a file system that cannot: plain copy
                continue;
            }
            if (n < 0) fail("copying");
        } else {
            char buffer[1 << 16];
            n = ::read(in, buffer, sizeof buffer);
            if (n < 0) {
                if (errno == EINTR) continue;
                fail("reading");
            }
            for (ssize_t done = 0; done < n;) {
                const ssize_t w = ::write(out, buffer + done, size_t(n - done));
                if (w < 0) {
                    if (errno == EINTR) continue;
                    fail("writing");
                }
                done += w;
            }
        }
        if (n == 0) break;
    }
    const struct timespec times[2] = {e.modified, e.modified};
    if (::fchmod(out, e.mode & 0777) != 0 || ::futimens(out, times) != 0)
        fail("setting permissions");
    ::close(in);
    if (::close(out) != 0) fail("closing");
}

} // namespace

QString formatSize(qint64 bytes) {
    if (bytes < 1024) return QStringLiteral("%1 bytes").arg(bytes);
    static const char* units[] = {"KB", "MB", "GB", "TB"};
    double v = double(bytes);
    int u = -1;
    while (v >= 1024 && u < 3) {
        v /= 1024;
        ++u;
    }
    return QStringLiteral("%1 %2").arg(QString::number(v, 'f', v < 10 ? 1 : 0),
                                       QLatin1String(units[u]));
}

SnapshotResult takeSnapshot(const QString& source, const QString& destination,
                            qint64 sizeLimitBytes) {
    SnapshotOptions options;
    options.sizeLimitBytes = sizeLimitBytes;
    return takeSnapshot(source, destination, options);
}

namespace {

// The canonical source, the canonical destination and what the scan found: everything
// takeSnapshot checks before it writes anything.
struct CheckedSource {
    QByteArray root;
    QByteArray target;
    std::vector<Entry> entries;
};

CheckedSource checkSource(const QString& source, const QString& destination,
                          const SnapshotOptions& options, SnapshotResult& result) {
    CheckedSource checked;
    checked.root = realPath(encodeBytes(source));
    if (checked.root.isEmpty() || !isDirectory(source))
        throw Error(QStringLiteral("The source folder %1 does not exist or is not a folder. Fix "
                                   "source_directory (or --source).")
                        .arg(source));
    QList<QByteArray> excluded;
    if (!destination.isEmpty()) {
        checked.target = resolvedPath(destination);
        if (isInside(checked.root, checked.target))
            throw Error(QStringLiteral("The snapshot folder %1 contains the source folder %2. "
                                       "Choose a snapshot folder outside the source.")
                            .arg(destination, source));
        excluded.append(checked.target);
    }
    for (const QString& folder : options.excludedFolders) {
        const QByteArray canonical = realPath(encodeBytes(folder));
        if (!canonical.isEmpty()) excluded.append(canonical);
    }

    Scanner scanner(checked.root, excluded, result);
    scanner.scan(checked.root, QByteArray());
    if (options.sizeLimitBytes > 0 && scanner.totalBytes > options.sizeLimitBytes)
        tooBig(source, scanner.entries, scanner.totalBytes, options.sizeLimitBytes);

    const qint64 fileCount = std::count_if(scanner.entries.begin(), scanner.entries.end(),
                                           [](const Entry& e) { return e.kind == Entry::File; });
    if ((options.warnBytes > 0 && scanner.totalBytes > options.warnBytes) ||
        (options.warnFiles > 0 && fileCount > options.warnFiles))
        result.warning = bigSnapshotWarning(source, scanner.entries, scanner.totalBytes, fileCount);
    checked.entries = std::move(scanner.entries);
    return checked;
}

} // namespace

QString snapshotWarning(const QString& source, const SnapshotOptions& options) {
    SnapshotResult result;
    checkSource(source, QString(), options, result);
    return result.warning;
}

SnapshotResult takeSnapshot(const QString& source, const QString& destination,
                            const SnapshotOptions& options) {
    SnapshotResult result;
    const CheckedSource checked = checkSource(source, destination, options, result);
    const QByteArray& root = checked.root;
    const QByteArray& target = checked.target;

    // Only now, with the tree checked, is anything written.
    if (!makePath(destination) || realPath(encodeBytes(destination)) != target)
        throw Error(QStringLiteral("Cannot create the snapshot folder %1. Check that its parent "
                                   "is writable.")
                        .arg(destination));
    for (const Entry& e : checked.entries) {
        const QByteArray from = root + '/' + e.relative;
        const QByteArray to = target + '/' + e.relative;
        switch (e.kind) {
        case Entry::Directory:
            if (::mkdir(to.constData(), (e.mode & 0777) | S_IRWXU) != 0 && errno != EEXIST)
                throw Error(QStringLiteral("Cannot create the folder %1 in the snapshot: %2. "
                                           "Check the disk and its permissions.")
                                .arg(decodeBytes(to), systemError(errno)));
            ++result.directories;
            break;
        case Entry::File:
            copyFile(from, to, e);
            ++result.files;
            result.bytes += e.size;
            break;
        case Entry::Link:
            if (::symlink(e.linkTarget.constData(), to.constData()) != 0)
                throw Error(QStringLiteral("Cannot create the link %1 in the snapshot: %2. Give "
                                           "the run a fresh, empty snapshot folder.")
                                .arg(decodeBytes(to), systemError(errno)));
            ++result.links;
            break;
        }
    }
    return result;
}

} // namespace lb
