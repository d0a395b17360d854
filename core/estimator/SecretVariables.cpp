#include "core/estimator/SecretVariables.h"

#include "core/estimator/Estimator.h"
#include "core/util/Error.h"
#include "core/util/Json.h"
#include "core/util/JsonValues.h"

#include <QFile>
#include <QFileInfo>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace lb {

namespace {

QString systemError(int err) {
    return QString::fromLocal8Bit(std::strerror(err));
}

// Writes through a temporary file created 0600 (QSaveFile would create it 0644 first), then
// fsync and rename, so the file is never readable by others, not even for a moment.
void writePrivateFile(const QString& path, const QByteArray& data) {
    const QByteArray target = QFile::encodeName(path);
    const QByteArray temporary = target + ".tmp";
    ::unlink(temporary.constData());
    const int fd = ::open(temporary.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        throw Error(QStringLiteral("Cannot write %1: %2; check the permissions of the run folder.")
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

} // namespace

bool looksSecret(const QString& name) {
    for (const char* word : {"TOKEN", "SECRET", "PASSWORD", "KEY"})
        if (name.contains(QLatin1String(word), Qt::CaseInsensitive)) return true;
    return false;
}

QMap<QString, QString> secretValues(const Estimator& e) {
    QMap<QString, QString> out;
    for (auto it = e.environmentVariables.cbegin(); it != e.environmentVariables.cend(); ++it)
        if (e.isSecretVariable(it.key())) out.insert(it.key(), it.value());
    return out;
}

void writeSecretsFile(const QString& path, const QMap<QString, QString>& values) {
    if (values.isEmpty()) return;
    Json j = Json::object();
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        j[toStd(it.key())] = jsonString(it.value());
    writePrivateFile(path, QByteArray::fromStdString(j.dump(2)) + '\n');
}

void restoreSecrets(const QString& path, Estimator& e) {
    const QMap<QString, QString> wanted = secretValues(e);
    if (wanted.isEmpty()) return;
    Json j = Json::object();
    if (QFileInfo::exists(path)) j = readJsonFile(path);
    for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
        const auto value = j.is_object() && j.contains(toStd(it.key()))
                               ? stringFromJson(j[toStd(it.key())])
                               : std::nullopt;
        if (!value)
            throw Error(QStringLiteral("The value of the secret variable %1 is missing from %2; "
                                       "submit the run again with --secret-env %1=VALUE.")
                            .arg(it.key(), path));
        e.environmentVariables.insert(it.key(), *value);
    }
}

} // namespace lb
