#pragma once
// Times as the store and the JSON output write them: ISO 8601 UTC with milliseconds.

#include <QDateTime>
#include <QString>

namespace lb {

inline QString isoTime(const QDateTime& t) {
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}
inline QDateTime parseIsoTime(const QString& s) {
    return s.isEmpty() ? QDateTime() : QDateTime::fromString(s, Qt::ISODateWithMs);
}
inline double unixSeconds(const QDateTime& t) { return t.toMSecsSinceEpoch() / 1000.0; }
inline double nowUnixSeconds() { return QDateTime::currentMSecsSinceEpoch() / 1000.0; }

} // namespace lb
