#include "core/util/AtomicFile.h"

#include "core/util/Error.h"
#include "core/util/SafeFile.h"

#include <QSaveFile>

namespace lb {

void writeFileAtomically(const QString& path, const QByteArray& data) {
    // QSaveFile writes to a temporary file beside the target, fsyncs and renames on commit().
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw Error(QStringLiteral("Cannot write %1: %2.").arg(path, file.errorString()));
    if (file.write(data) != data.size() || !file.commit())
        throw Error(QStringLiteral("Cannot write %1: %2. The previous version of the file is "
                                   "unchanged; free some space or fix the permissions and retry.")
                        .arg(path, file.errorString()));
}

QByteArray readWholeFile(const QString& path) {
    // A FIFO or a link to /dev/zero in place of a config file must neither hang nor fill memory.
    return readFileWithLimit(path, kSmallFileLimit);
}

} // namespace lb
