#include "core/query/RunQueryLexer.h"

#include "core/query/RunQuery.h"

namespace lb::query {

namespace {

bool isWordChar(QChar c) {
    if (c.isSpace())
        return false;
    switch (c.unicode()) {
    case '(': case ')': case ',': case '\'': case '"': case '`': case '=': case '<': case '>': case '!':
        return false;
    default:
        return true;
    }
}

// A quoted string from `at` (on the opening quote); a doubled quote or a backslash escapes one.
QString readQuoted(const QString& text, qsizetype& at) {
    const QChar quote = text[at];
    const int column = int(at) + 1;
    QString out;
    for (++at; at < text.size(); ++at) {
        const QChar c = text[at];
        if (c == QLatin1Char('\\') && at + 1 < text.size()) {
            out += text[++at];
        } else if (c == quote) {
            if (at + 1 < text.size() && text[at + 1] == quote) {
                out += quote;
                ++at;
            } else {
                ++at;
                return out;
            }
        } else {
            out += c;
        }
    }
    throw QueryError(column, QStringLiteral("the string that starts here has no closing %1").arg(quote));
}

} // namespace

std::vector<Token> tokenize(const QString& text) {
    std::vector<Token> tokens;
    qsizetype at = 0;
    bool blank = true;
    while (at < text.size()) {
        const QChar c = text[at];
        if (c.isSpace()) {
            ++at;
            blank = true;
            continue;
        }
        Token t;
        t.column = int(at) + 1;
        t.glued = !blank && !tokens.empty();
        blank = false;
        if (c == QLatin1Char('(') || c == QLatin1Char(')') || c == QLatin1Char(',')) {
            t.kind = c == QLatin1Char('(') ? Token::Kind::LParen
                     : c == QLatin1Char(')') ? Token::Kind::RParen
                                             : Token::Kind::Comma;
            t.text = c;
            ++at;
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            t.kind = Token::Kind::Quoted;
            t.text = readQuoted(text, at);
        } else if (c == QLatin1Char('`')) {
            t.kind = Token::Kind::BackQuoted;
            t.text = readQuoted(text, at);
        } else if (c == QLatin1Char('=') || c == QLatin1Char('<') || c == QLatin1Char('>') || c == QLatin1Char('!')) {
            t.kind = Token::Kind::Op;
            const QString two = text.mid(at, 2);
            if (two == QLatin1String("<=") || two == QLatin1String(">=") || two == QLatin1String("!=") ||
                two == QLatin1String("<>") || two == QLatin1String("==")) {
                t.text = two;
                at += 2;
            } else if (c == QLatin1Char('!')) {
                throw QueryError(t.column, QStringLiteral("'!' must be followed by '=' (write != for not equal)"));
            } else {
                t.text = c;
                ++at;
            }
        } else {
            t.kind = Token::Kind::Word;
            const qsizetype start = at;
            while (at < text.size() && isWordChar(text[at]))
                ++at;
            t.text = text.mid(start, at - start);
        }
        tokens.push_back(t);
    }
    Token end;
    end.kind = Token::Kind::End;
    end.column = int(text.size()) + 1;
    tokens.push_back(end);
    return tokens;
}

} // namespace lb::query
