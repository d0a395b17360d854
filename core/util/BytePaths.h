#pragma once
// File-system calls on paths that may hold bytes that are not UTF-8 (decoded with escaped bytes,
// see ByteStrings.h). Qt's file classes encode such a path with U+FFFD in place of those bytes
// and then miss the file; these calls use the exact bytes (#25).

#include <QList>
#include <QString>

namespace lb {

// The exact bytes of `path` for a system call.
QByteArray nativePath(const QString& path);

// A regular file found under a folder, with its path relative to that folder ("sub/a.bin").
struct FoundFile {
    QString relative;
    qint64 size = 0;
};

// Every regular file under `root` (hidden ones too), recursively; symbolic links are neither
// followed nor listed. Unreadable folders are skipped. Sorted by path.
QList<FoundFile> regularFilesUnder(const QString& root);

// realpath(3) of `path`, or empty when it does not resolve.
QString canonicalPath(const QString& path);

// lstat(2) says something is there (a link counts, even a dangling one).
bool pathExists(const QString& path);
// lstat(2) says it is a symbolic link.
bool isSymbolicLink(const QString& path);

// stat(2), following links, says it is a folder / a regular file / a regular file this process
// may execute.
bool isDirectory(const QString& path);
bool isRegularFile(const QString& path);
bool isExecutableFile(const QString& path);

// Creates the folder and its missing parents (mode 0777 & ~umask); true when it is a folder now.
bool makePath(const QString& path);

// unlink(2); true when nothing is left there.
bool removeFile(const QString& path);

} // namespace lb
