#pragma once
// Files only their owner may read (a run's secrets, an endpoint's key): written through a
// temporary file created 0600 (QSaveFile would create it 0644 first), then fsync and rename, so
// the file is never readable by others, not even for a moment.

#include <QByteArray>
#include <QString>

namespace lb {

// Throws lb::Error naming the file and the system's reason when it cannot be written; the
// previous content of `path` survives any failure.
void writePrivateFile(const QString& path, const QByteArray& data);

} // namespace lb
