#include "core/util/Json.h"

#include "core/util/AtomicFile.h"
#include "core/util/SafeFile.h"
#include "core/util/Error.h"

#include <cctype>

namespace lb {

TextPosition positionOfOffset(const QByteArray& text, qsizetype offset) {
    TextPosition pos;
    offset = std::clamp<qsizetype>(offset, 0, text.size());
    for (qsizetype i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++pos.line;
            pos.column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++pos.column; // count characters, not UTF-8 continuation bytes
        }
    }
    return pos;
}

std::optional<TextPosition> positionOfKey(const QByteArray& text, const std::string& key) {
    const QByteArray needle = '"' + QByteArray::fromStdString(key) + '"';
    qsizetype at = 0;
    while ((at = text.indexOf(needle, at)) >= 0) {
        qsizetype after = at + needle.size();
        while (after < text.size() && QChar::isSpace(text[after]))
            ++after;
        if (after < text.size() && text[after] == ':')
            return positionOfOffset(text, at);
        at = after;
    }
    return std::nullopt;
}

const char* jsonTypeName(const Json& value) {
    switch (value.type()) {
    case Json::value_t::string: return "a string";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::number_float: return "a number";
    case Json::value_t::boolean: return "true/false";
    case Json::value_t::array: return "a list";
    case Json::value_t::object: return "an object";
    case Json::value_t::null: return "null";
    default: return "an unknown value";
    }
}

namespace {
// nlohmann reports where it stopped reading: the last byte of the offending token. Point at the
// token's first byte instead, which is where a person looks.
qsizetype tokenStart(const QByteArray& text, qsizetype last) {
    if (last <= 0 || last >= text.size())
        return std::clamp<qsizetype>(last, 0, text.size());
    if (text[last] == '"') {
        for (qsizetype i = last - 1; i >= 0; --i)
            if (text[i] == '"' && (i == 0 || text[i - 1] != '\\'))
                return i;
        return last;
    }
    qsizetype i = last;
    while (i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '.' ||
                     text[i - 1] == '-' || text[i - 1] == '+'))
        --i;
    return i;
}

// Where the number token `token` first stands outside a string: nlohmann stops at the first
// number too large for a double but does not say where it was, and an earlier equal token
// would have stopped it there.
qsizetype numberTokenOffset(const QByteArray& text, const QByteArray& token) {
    const auto isNumberChar = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+';
    };
    bool inString = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (text.mid(i, token.size()) == token && (i == 0 || !isNumberChar(text[i - 1])) &&
                   (i + token.size() >= text.size() || !isNumberChar(text[i + token.size()]))) {
            return i;
        }
    }
    return 0;
}
} // namespace

Json parseJson(const QByteArray& text, const QString& fileName) {
    try {
        return Json::parse(text.begin(), text.end());
    } catch (const Json::out_of_range& e) {
        // A number beyond a double's range ("1e400") is the one JSON syntax nlohmann refuses with
        // out_of_range (406) rather than parse_error; it is as much the file's fault (#20 item 5:
        // it escaped every JSON reader as an unexpected exception).
        const QString what = QString::fromStdString(e.what());
        const qsizetype open = what.indexOf(QLatin1Char('\''));
        const qsizetype close = what.lastIndexOf(QLatin1Char('\''));
        const QByteArray token = open >= 0 && close > open ? what.mid(open + 1, close - open - 1).toUtf8()
                                                           : QByteArray();
        const TextPosition pos = positionOfOffset(text, token.isEmpty() ? 0 : numberTokenOffset(text, token));
        throw Error(QStringLiteral("%1:%2:%3: invalid JSON: the number %4 is too large. Write a number "
                                   "a double can hold (at most about 1.8e308).")
                        .arg(fileName)
                        .arg(pos.line)
                        .arg(pos.column)
                        .arg(QString::fromUtf8(token)));
    } catch (const Json::parse_error& e) {
        // nlohmann reports the byte just past the offending token (1-based); point at the token.
        const qsizetype offset = tokenStart(text, e.byte > 0 ? static_cast<qsizetype>(e.byte) - 1 : 0);
        const TextPosition pos = positionOfOffset(text, offset);
        QString what = QString::fromStdString(e.what());
        // "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error ..."
        const qsizetype colon = what.indexOf(QStringLiteral(": "), what.indexOf(QStringLiteral("parse error")));
        if (colon >= 0)
            what = what.mid(colon + 2);
        throw Error(QStringLiteral("%1:%2:%3: invalid JSON: %4. Fix the syntax at that position "
                                   "(a missing comma, quote or bracket is the usual cause).")
                        .arg(fileName)
                        .arg(pos.line)
                        .arg(pos.column)
                        .arg(what.trimmed()));
    }
}

Json readJsonFile(const QString& path, FollowLinks links) {
    return parseJson(readFileWithLimit(path, kSmallFileLimit, links), path);
}

void writeJsonFile(const QString& path, const Json& value) {
    writeFileAtomically(path, QByteArray::fromStdString(value.dump(2)) + '\n');
}

} // namespace lb
