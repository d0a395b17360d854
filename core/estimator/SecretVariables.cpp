#include "core/estimator/SecretVariables.h"

#include "core/estimator/Estimator.h"
#include "core/util/PrivateFile.h"
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
