#pragma once
// What the workspace's mirror files share: writing one record's file (or removing it), listing a
// folder of them, and reading their fields with errors that name the file and the field.

#include "core/util/Json.h"

#include <QDateTime>
#include <QMap>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>

namespace lb {

// Writes `value` to `path` atomically (creating its folder), or removes the file when there is
// no value (the record was removed). Never throws: a mirror that cannot be written loses nothing
// the store holds.
void syncRecordFile(const QString& path, const std::optional<Json>& value);

// True for a record name that is safe as a file name: not empty, no '/', no leading '.'.
bool isSafeFileStem(const QString& name);

// Reads a whole record or stream file that a script may have tampered with: opened without
// following a symbolic link and without blocking (a FIFO in its place must not hang repair), and
// refused (lb::Error, naming the file) unless it is a regular file of at most `maxBytes`:
// core/util/SafeFile's reader, with links refused.
QByteArray readRegularFile(const QString& path, qint64 maxBytes);

// The "*.json" files directly in `dir` (absolute paths, sorted); none when it does not exist.
QStringList recordFilesIn(const QString& dir);

// The fields of one record file; every error is an lb::Error naming the file and the field.
class JsonFields {
public:
    JsonFields(const Json& object, QString path);

    QString text(const char* key, bool required = false) const;
    QDateTime time(const char* key, bool required = false) const;
    std::optional<std::int64_t> integer(const char* key, bool required = false) const;
    QMap<QString, QString> stringMap(const char* key) const; // an object of strings; none: empty
    QStringList stringList(const char* key) const;           // a list of strings; none: empty
    const Json& json() const { return j_; }
    const QString& path() const { return path_; }

    [[noreturn]] void fail(const char* key, const QString& what) const;

    // Parses the file at `path`, which must hold an object.
    static Json readObject(const QString& path);

private:
    const Json& j_;
    QString path_;
};

} // namespace lb
