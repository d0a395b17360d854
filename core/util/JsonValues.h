#pragma once
// Values JSON cannot hold as they are, written one way in every JSON file and output of
// Labbench and read back the same way (#25; later issues read these shapes):
//   - a string whose bytes are not valid UTF-8 (an argument or a file name, see ByteStrings.h)
//     becomes {"b64": "<base64 of the bytes>"}; every other string stays a plain JSON string;
//   - a number that is NaN or infinite becomes the string "NaN", "Infinity" or "-Infinity"
//     (nlohmann would write null, which reads back as "no value").

#include "core/util/Json.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace lb {

// A plain JSON string, or {"b64": …} when `text` holds escaped bytes.
Json jsonString(const QString& text);

// The text of a plain JSON string or of a {"b64": …} object (its bytes decoded as in
// ByteStrings.h); nothing for any other value, or for a "b64" that is not base64.
std::optional<QString> stringFromJson(const Json& value);

// A JSON list of `list`'s strings, each as jsonString writes it.
Json jsonStringList(const QStringList& list);

// The strings of a JSON list written by jsonStringList; nothing when `value` is not a list or
// holds anything but strings.
std::optional<QStringList> stringListFromJson(const Json& value);

// A JSON number, or "NaN" / "Infinity" / "-Infinity".
Json jsonNumber(double value);

// The number of a JSON number or of one of those three strings; nothing for anything else.
std::optional<double> numberFromJson(const Json& value);

} // namespace lb
