#pragma once
// An endpoint's bearer key: 32 random bytes as 64 hex digits, in endpoints/<name>/key (mode
// 0600). A client sends it as "Authorization: Bearer KEY".

#include <QString>

namespace lb {

// Writes a new random key (replacing any) and returns it.
QString regenerateEndpointKey(const QString& keyPath);

// The key in the file, or an empty string when there is none; throws lb::Error naming the file
// when it is not a private regular file holding a key.
QString readEndpointKey(const QString& keyPath);

// The key, written first when there is none.
QString ensureEndpointKey(const QString& keyPath);

// Compares in time that does not depend on where the strings differ.
bool keysEqual(const QByteArray& a, const QByteArray& b);

} // namespace lb
