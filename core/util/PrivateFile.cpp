#include "core/util/PrivateFile.h"

#include "core/util/Error.h"

#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace lb {

namespace {

QString systemError(int err) {
    return QString::fromLocal8Bit(std::strerror(err));
}

} // namespace

void writePrivateFile(const QString& path, const QByteArray& data) {
    const QByteArray target = QFile::encodeName(path);
    const QByteArray temporary = target + ".tmp";
    ::unlink(temporary.constData());
    const int fd = ::open(temporary.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        throw Error(QStringLiteral("Cannot write %1: %2; check the permissions of its folder.")
                        .arg(path, systemError(errno)));
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n =
            ::write(fd, data.constData() + done, static_cast<size_t>(data.size() - done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        done += n;
    }
    const int err = errno;
    const bool ok = done == data.size() && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(temporary.constData(), target.constData()) != 0) {
        ::unlink(temporary.constData());
        throw Error(QStringLiteral("Cannot write %1: %2; free some space and retry.")
                        .arg(path, systemError(ok ? errno : err)));
    }
}

} // namespace lb
