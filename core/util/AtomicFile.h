#pragma once
// Writes a whole file so that readers see either the old or the new content, never a torn one.

#include <QByteArray>
#include <QString>

namespace lb {

// Writes `data` to `path` through a temporary file in the same folder, fsync and rename.
// Throws lb::Error naming the file (and the system's reason, e.g. a full disk) on failure;
// the previous content of `path` survives any failure.
void writeFileAtomically(const QString& path, const QByteArray& data);

// Reads a whole regular file of at most kSmallFileLimit bytes (SafeFile.h); throws lb::Error
// naming the file when it cannot be read, is not a regular file, or is larger.
QByteArray readWholeFile(const QString& path);

} // namespace lb
