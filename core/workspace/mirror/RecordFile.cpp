#include "core/workspace/mirror/RecordFile.h"

#include "core/util/Error.h"
#include "core/util/JsonValues.h"
#include "core/util/SafeFile.h"
#include "core/util/Time.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace lb {

void syncRecordFile(const QString& path, const std::optional<Json>& value) {
    try {
        if (!value) {
            QFile::remove(path);
            return;
        }
        QDir().mkpath(QFileInfo(path).absolutePath());
        writeJsonFile(path, *value);
    } catch (const std::exception&) {
        // The store holds the record; only its mirror is stale until the next change.
    }
}

QByteArray readRegularFile(const QString& path, qint64 maxBytes) {
    return readFileWithLimit(path, maxBytes, FollowLinks::No);
}

bool isSafeFileStem(const QString& name) {
    return !name.isEmpty() && !name.contains(QLatin1Char('/')) &&
           !name.startsWith(QLatin1Char('.')) && !name.contains(QChar(0));
}

QStringList recordFilesIn(const QString& dir) {
    QStringList files;
    const QDir d(dir);
    for (const QString& name : d.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        files.append(d.absoluteFilePath(name));
    return files;
}

JsonFields::JsonFields(const Json& object, QString path)
    : j_(object)
    , path_(std::move(path)) {}

void JsonFields::fail(const char* key, const QString& what) const {
    throw Error(QStringLiteral("%1: the field '%2' %3; fix or restore the file, then repair again.")
                    .arg(path_, QLatin1String(key), what));
}

QString JsonFields::text(const char* key, bool required) const {
    const auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) {
        if (required) fail(key, QStringLiteral("is missing"));
        return {};
    }
    if (!it->is_string())
        fail(key, QStringLiteral("must be a string, not %1").arg(QLatin1String(jsonTypeName(*it))));
    return fromStd(it->get<std::string>());
}

QDateTime JsonFields::time(const char* key, bool required) const {
    const QString t = text(key, required);
    const QDateTime parsed = parseIsoTime(t);
    if (!t.isEmpty() && !parsed.isValid())
        fail(key, QStringLiteral("is not an ISO 8601 time ('%1')").arg(t));
    return parsed;
}

std::optional<std::int64_t> JsonFields::integer(const char* key, bool required) const {
    const auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) {
        if (required) fail(key, QStringLiteral("is missing"));
        return std::nullopt;
    }
    if (!it->is_number_integer())
        fail(
            key,
            QStringLiteral("must be a whole number, not %1").arg(QLatin1String(jsonTypeName(*it))));
    return it->get<std::int64_t>();
}

QMap<QString, QString> JsonFields::stringMap(const char* key) const {
    QMap<QString, QString> map;
    const auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return map;
    if (!it->is_object())
        fail(key,
             QStringLiteral("must be an object, not %1").arg(QLatin1String(jsonTypeName(*it))));
    for (auto e = it->begin(); e != it->end(); ++e) {
        if (!e.value().is_string())
            fail(key, QStringLiteral("holds '%1', which is not a string").arg(fromStd(e.key())));
        map.insert(fromStd(e.key()), fromStd(e.value().get<std::string>()));
    }
    return map;
}

QStringList JsonFields::stringList(const char* key) const {
    const auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return {};
    const auto list = stringListFromJson(*it);
    if (!list) fail(key, QStringLiteral("must be a list of strings"));
    return *list;
}

Json JsonFields::readObject(const QString& path) {
    constexpr qint64 kMaxRecordBytes = 64 << 20; // far above any record Labbench writes
    Json j = parseJson(readRegularFile(path, kMaxRecordBytes), path);
    if (!j.is_object())
        throw Error(
            QStringLiteral("%1 holds %2, not an object; fix or restore the file, then repair "
                           "again.")
                .arg(path, QLatin1String(jsonTypeName(j))));
    return j;
}

} // namespace lb
