#pragma once
// POSIX shell quoting for the command lines Labbench sends to a remote shell (ssh runs its
// command through the login shell there). Every word is quoted, always, so that no user string
// is ever interpreted: `; rm -rf ~` and `$(id)` arrive as the same bytes.

#include <QString>
#include <QStringList>

namespace lb {

// 'word' with each ' written as '\'' ; the empty word becomes ''. Bytes that are not UTF-8
// (escaped, see ByteStrings.h) are written as "$(printf '\377')" inside the same word, so the
// command line itself stays valid text and the shell there rebuilds the exact bytes (#25).
QString shellQuote(const QString& word);

// The words quoted and joined by spaces: one command line that a POSIX shell splits back into
// exactly `argv`.
QString shellCommand(const QStringList& argv);

} // namespace lb
