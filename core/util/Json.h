#pragma once
// JSON parsing with errors that name the file, the line and the column.

#include "core/util/SafeFile.h"

#include <QByteArray>
#include <QString>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace lb {

using Json = nlohmann::ordered_json;

// Parses `text` read from `fileName`; a syntax error throws lb::Error with
// "FILE:LINE:COLUMN: what is wrong" and a hint to fix it.
Json parseJson(const QByteArray& text, const QString& fileName);

// Reads and parses a JSON file (errors as parseJson, plus a missing or unreadable file, one that
// is not a regular file, or one over kSmallFileLimit). Files in a run's folder are read with
// FollowLinks::No: the run's script could have put a link there.
Json readJsonFile(const QString& path, FollowLinks links = FollowLinks::Yes);

// Writes `value` pretty-printed, atomically.
void writeJsonFile(const QString& path, const Json& value);

// The line and column (1-based) of a byte offset in `text`.
struct TextPosition {
    int line = 1;
    int column = 1;
};
TextPosition positionOfOffset(const QByteArray& text, qsizetype offset);

// Where `"key":` first appears in `text`, so that errors about a field's value point at a line
// like syntax errors do; nothing when the key is not there.
std::optional<TextPosition> positionOfKey(const QByteArray& text, const std::string& key);

// What a value is, for "must be X, not Y" messages: "a string", "an integer", "a list", …
const char* jsonTypeName(const Json& value);

// Conversions between QString and the UTF-8 std::string that nlohmann::json holds.
inline std::string toStd(const QString& s) { return s.toStdString(); }
inline QString fromStd(const std::string& s) { return QString::fromStdString(s); }

} // namespace lb
