#pragma once
// Copying model files: into the registry from a run's snapshot (nothing outside the snapshot is
// ever read) and out of it to a download folder (nothing outside that folder is ever written).

#include <QString>
#include <cstdint>

namespace lb {

// Resolves `relativePath` inside `root` (a run's snapshot). Throws lb::Error when the path is
// empty, absolute, has a ".." component, does not exist, or resolves (through symbolic links)
// outside `root`. Returns the canonical path.
QString resolveInside(const QString& root, const QString& relativePath);

// Copies the file or folder `source` to `destination` (which must not exist), byte for byte.
// Symbolic links inside a folder are followed only when they resolve inside `allowedRoot`
// (then copied as the file or folder they point to); one that leads outside throws lb::Error
// and the partial copy is removed. Returns the number of bytes copied.
std::int64_t copyTree(const QString& source, const QString& destination,
                      const QString& allowedRoot);

} // namespace lb
