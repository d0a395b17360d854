#pragma once
// The tokens of the runs search language (see RunQuery.h for the grammar).

#include <QString>

#include <vector>

namespace lb::query {

struct Token {
    enum class Kind { Word, Quoted, BackQuoted, Op, LParen, RParen, Comma, End } kind = Kind::End;
    QString text;     // a word, a string's content (unescaped), an operator
    int column = 1;   // 1-based, where the token starts
    bool glued = false; // no blank before it (parts of one key: params.`learning rate`)
};

// Splits `text` into tokens, ending with one End token. Throws QueryError for an unterminated
// string or a character the language has no use for.
std::vector<Token> tokenize(const QString& text);

} // namespace lb::query
