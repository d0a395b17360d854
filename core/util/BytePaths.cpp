#include "core/util/BytePaths.h"

#include "core/util/ByteStrings.h"
#include "core/util/Error.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lb {

namespace {

// Walks `absolute` (the folder `relative` below the root), appending regular files to `out`.
void walk(const QByteArray& absolute, const QByteArray& relative, QList<FoundFile>& out) {
    DIR* dir = ::opendir(absolute.constData());
    if (!dir) return;
    while (const dirent* entry = ::readdir(dir)) {
        const QByteArray name(entry->d_name);
        if (name == "." || name == "..") continue;
        const QByteArray path = absolute + '/' + name;
        const QByteArray rel = relative.isEmpty() ? name : relative + '/' + name;
        struct stat st {};
        if (::lstat(path.constData(), &st) != 0) continue;
        if (S_ISDIR(st.st_mode))
            walk(path, rel, out);
        else if (S_ISREG(st.st_mode))
            out.append({decodeBytes(rel), static_cast<qint64>(st.st_size)});
    }
    ::closedir(dir);
}

} // namespace

QByteArray nativePath(const QString& path) {
    return encodeBytes(path);
}

QList<FoundFile> regularFilesUnder(const QString& root) {
    QList<FoundFile> files;
    walk(nativePath(root), {}, files);
    std::sort(files.begin(), files.end(),
              [](const FoundFile& a, const FoundFile& b) { return a.relative < b.relative; });
    return files;
}

QString canonicalPath(const QString& path) {
    char buffer[PATH_MAX];
    return ::realpath(nativePath(path).constData(), buffer) ? decodeBytes(buffer) : QString();
}

bool pathExists(const QString& path) {
    struct stat st {};
    return ::lstat(nativePath(path).constData(), &st) == 0;
}

bool isSymbolicLink(const QString& path) {
    struct stat st {};
    return ::lstat(nativePath(path).constData(), &st) == 0 && S_ISLNK(st.st_mode);
}

bool isDirectory(const QString& path) {
    struct stat st {};
    return ::stat(nativePath(path).constData(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool isRegularFile(const QString& path) {
    struct stat st {};
    return ::stat(nativePath(path).constData(), &st) == 0 && S_ISREG(st.st_mode);
}

bool isExecutableFile(const QString& path) {
    return isRegularFile(path) && ::access(nativePath(path).constData(), X_OK) == 0;
}

bool makePath(const QString& path) {
    const QByteArray bytes = nativePath(path);
    for (qsizetype slash = bytes.indexOf('/', 1); slash > 0; slash = bytes.indexOf('/', slash + 1))
        ::mkdir(bytes.left(slash).constData(), 0777); // a parent that exists already is fine
    ::mkdir(bytes.constData(), 0777);
    struct stat st {};
    return ::stat(bytes.constData(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool removeFile(const QString& path) {
    return ::unlink(nativePath(path).constData()) == 0 || errno == ENOENT;
}

} // namespace lb
