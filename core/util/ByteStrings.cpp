#include "core/util/ByteStrings.h"

namespace lb {

namespace {

constexpr char16_t kEscapeBase = 0xDC00; // byte 0xXY <-> U+DCXY (XY >= 0x80)

bool isEscapedByte(char16_t c) {
    return c >= 0xDC80 && c <= 0xDCFF;
}

// The length of the UTF-8 sequence a lead byte announces (1 to 4), or 0 for a byte that cannot
// start one. Whether the sequence is really valid (no overlong form, no surrogate, nothing past
// U+10FFFF) is left to Qt's validator.
int sequenceLength(unsigned char lead) {
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return 2;
    if (lead >= 0xE0 && lead <= 0xEF) return 3;
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    return 0;
}

} // namespace

QString decodeBytes(QByteArrayView bytes) {
    if (bytes.isValidUtf8()) return QString::fromUtf8(bytes); // the common case: nothing to escape
    QString out;
    out.reserve(bytes.size());
    const qsizetype n = bytes.size();
    qsizetype validFrom = 0; // start of the valid run not yet appended
    qsizetype i = 0;
    while (i < n) {
        const int length = sequenceLength(static_cast<unsigned char>(bytes[i]));
        if (length > 0 && i + length <= n && bytes.sliced(i, length).isValidUtf8()) {
            i += length;
            continue;
        }
        out += QString::fromUtf8(bytes.sliced(validFrom, i - validFrom));
        out += QChar(static_cast<char16_t>(kEscapeBase + static_cast<unsigned char>(bytes[i])));
        validFrom = ++i;
    }
    out += QString::fromUtf8(bytes.sliced(validFrom));
    return out;
}

QByteArray encodeBytes(const QString& text) {
    if (!hasEscapedBytes(text)) return text.toUtf8();
    QByteArray out;
    out.reserve(text.size());
    qsizetype runFrom = 0; // start of the text run not yet encoded
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        // A low surrogate after a high one is half of a real character, not an escaped byte.
        if (!isEscapedByte(c) || (i > 0 && text[i - 1].isHighSurrogate())) continue;
        out += QStringView(text).mid(runFrom, i - runFrom).toUtf8();
        out += static_cast<char>(c - kEscapeBase);
        runFrom = i + 1;
    }
    out += QStringView(text).mid(runFrom).toUtf8();
    return out;
}

bool hasEscapedBytes(const QString& text) {
    for (qsizetype i = 0; i < text.size(); ++i)
        if (isEscapedByte(text[i].unicode()) && (i == 0 || !text[i - 1].isHighSurrogate()))
            return true;
    return false;
}

QString displayText(const QString& text) {
    if (!hasEscapedBytes(text)) return text;
    QString out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (isEscapedByte(c) && (i == 0 || !text[i - 1].isHighSurrogate()))
            out += QStringLiteral("\\x%1").arg(unsigned(c - kEscapeBase), 2, 16, QLatin1Char('0'));
        else
            out += text[i];
    }
    return out;
}

} // namespace lb
