#include "core/remote/ShellQuote.h"

namespace lb {

QString shellQuote(const QString& word) {
    QString quoted;
    quoted.reserve(word.size() + 2);
    quoted.append(QLatin1Char('\''));
    for (const QChar c : word) {
        if (c == QLatin1Char('\''))
            quoted.append(QLatin1String("'\\''"));
        else
            quoted.append(c);
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
