#include "core/serve/EndpointKey.h"

#include "core/util/Error.h"
#include "core/util/PrivateFile.h"
#include "core/util/SafeFile.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <sys/stat.h>

namespace lb {

QString regenerateEndpointKey(const QString& keyPath) {
    QByteArray bytes(32, '\0');
    // QRandomGenerator::system() reads the kernel's cryptographic source.
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(bytes.data()), 8);
    const QByteArray key = bytes.toHex();
    writePrivateFile(keyPath, key + '\n');
    return QString::fromLatin1(key);
}

QString readEndpointKey(const QString& keyPath) {
    if (!QFileInfo::exists(keyPath) && !QFileInfo(keyPath).isSymLink()) return {};
    const SafeFile file = SafeFile::open(keyPath, FollowLinks::No);
    struct stat st {};
    if (::fstat(file.fd(), &st) != 0 || (st.st_mode & 077) != 0)
        throw Error(QStringLiteral("%1 can be read by others; regenerate the key with 'labbench "
                                   "endpoints keys NAME --regenerate'.")
                        .arg(keyPath));
    const QByteArray key = file.readAll(4096).trimmed();
    if (key.size() < 32)
        throw Error(QStringLiteral("%1 holds no key; regenerate it with 'labbench endpoints keys "
                                   "NAME --regenerate'.")
                        .arg(keyPath));
    return QString::fromLatin1(key);
}

QString ensureEndpointKey(const QString& keyPath) {
    const QString key = readEndpointKey(keyPath);
    return key.isEmpty() ? regenerateEndpointKey(keyPath) : key;
}

bool keysEqual(const QByteArray& a, const QByteArray& b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace lb
