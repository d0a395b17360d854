#include "core/util/DiskSpace.h"

#include <QFile>
#include <QFileInfo>

#include <sys/statvfs.h>

namespace lb {

namespace {
constexpr std::uint64_t kFullBelowBytes = 64 * 1024;
}

std::optional<std::uint64_t> freeBytes(const QString& path) {
    const QFileInfo info(path);
    const QString dir = info.isDir() ? info.absoluteFilePath() : info.absolutePath();
    struct statvfs fs {};
    if (::statvfs(QFile::encodeName(dir).constData(), &fs) != 0)
        return std::nullopt;
    return std::uint64_t(fs.f_bavail) * fs.f_frsize;
}

bool diskIsFull(const QString& path) {
    const auto free = freeBytes(path);
    return free && *free < kFullBelowBytes;
}

QString diskFullReason(const QString& path) {
    return QStringLiteral("The disk holding %1 is full (%2 KiB free): ingest is paused and the run's "
                          "output is held until space is freed; it resumes by itself then.")
        .arg(path)
        .arg(freeBytes(path).value_or(0) / 1024);
}

} // namespace lb
