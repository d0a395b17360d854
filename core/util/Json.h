#pragma once
// JSON parsing with errors that name the file, the line and the column.

#include <QByteArray>
#include <QString>
#include <nlohmann/json.hpp>

namespace lb {

using Json = nlohmann::ordered_json;

// Parses `text` read from `fileName`; a syntax error throws lb::Error with
// "FILE:LINE:COLUMN: what is wrong" and a hint to fix it.
Json parseJson(const QByteArray& text, const QString& fileName);

// Reads and parses a JSON file (errors as parseJson, plus missing/unreadable file).
Json readJsonFile(const QString& path);

// Writes `value` pretty-printed, atomically.
void writeJsonFile(const QString& path, const Json& value);

// The line and column (1-based) of a byte offset in `text`.
struct TextPosition {
    int line = 1;
    int column = 1;
};
TextPosition positionOfOffset(const QByteArray& text, qsizetype offset);

// Conversions between QString and the UTF-8 std::string that nlohmann::json holds.
inline std::string toStd(const QString& s) { return s.toStdString(); }
inline QString fromStd(const std::string& s) { return QString::fromStdString(s); }

} // namespace lb
