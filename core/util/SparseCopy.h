#pragma once
// Copying a file with its holes kept (#25): a 2 GB sparse output that holds a few MB of data
// must stay a few MB on the disk it is downloaded to. Only the data ranges the file system
// reports (SEEK_DATA / SEEK_HOLE) are copied, in the kernel where it can (copy_file_range);
// the destination is then given the full size with ftruncate, which leaves the rest a hole.

#include <QString>
#include <cstdint>
#include <functional>

namespace lb {

class SafeFile;

// Told how far the copy has come (bytes of the file, holes included); false stops the copy.
using CopyProgress = std::function<bool(std::int64_t done)>;

// Copies `from` into the empty file open as `toFd` (`toPath` names it in errors). Returns false
// when `progress` stopped it; throws lb::Error naming the file on a read or write error.
bool copyKeepingHoles(const SafeFile& from, int toFd, const QString& toPath,
                      const CopyProgress& progress = {});

// Copies the regular file `from` (a link there is refused) to a new file `to`, replacing a
// regular file there, with `from`'s permission bits. Throws as SafeFile::open and copyKeepingHoles.
void copyFileKeepingHoles(const QString& from, const QString& to);

} // namespace lb
