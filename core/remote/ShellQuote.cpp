#include "core/remote/ShellQuote.h"

#include "core/util/ByteStrings.h"

namespace lb {

namespace {

bool isEscapedByte(QChar c) { return c.unicode() >= 0xDC80 && c.unicode() <= 0xDCFF; }

// printf's octal escapes for a run of escaped bytes: never a newline, so the command
// substitution strips nothing.
QString printfBytes(QStringView escaped) {
    QString format;
    for (const QChar c : escaped)
        format += QStringLiteral("\\%1").arg(unsigned(c.unicode() - 0xDC00), 3, 8, QLatin1Char('0'));
    return QStringLiteral("\"$(printf '%1')\"").arg(format);
}

} // namespace

QString shellQuote(const QString& word) {
    QString quoted;
    quoted.reserve(word.size() + 2);
    quoted.append(QLatin1Char('\''));
    if (!hasEscapedBytes(word)) {
        for (const QChar c : word) {
            if (c == QLatin1Char('\''))
                quoted.append(QLatin1String("'\\''"));
            else
                quoted.append(c);
        }
        quoted.append(QLatin1Char('\''));
        return quoted;
    }
    // Text runs stay single-quoted; each run of escaped bytes closes the quote, adds its
    // printf and reopens it: 'abc'"$(printf '\377')"'def' is one word.
    for (qsizetype i = 0; i < word.size();) {
        const bool pairHalf = i > 0 && word[i - 1].isHighSurrogate();
        if (isEscapedByte(word[i]) && !pairHalf) {
            qsizetype end = i;
            while (end < word.size() && isEscapedByte(word[end]))
                ++end;
            quoted += QLatin1Char('\'') + printfBytes(QStringView(word).mid(i, end - i)) + QLatin1Char('\'');
            i = end;
            continue;
        }
        if (word[i] == QLatin1Char('\''))
            quoted.append(QLatin1String("'\\''"));
        else
            quoted.append(word[i]);
        ++i;
    }
    quoted.append(QLatin1Char('\''));
    return quoted;
}

QString shellCommand(const QStringList& argv) {
    QStringList words;
    words.reserve(argv.size());
    for (const QString& a : argv)
        words.append(shellQuote(a));
    return words.join(QLatin1Char(' '));
}

} // namespace lb
