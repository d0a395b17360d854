#pragma once
// Arguments, environment values and file names are bytes on Linux, not text. They travel as
// QString inside Labbench, decoded the way Python's "surrogateescape" does it: valid UTF-8 is
// decoded as usual, and each byte that is not part of valid UTF-8 (always 0x80..0xFF) becomes
// the lone surrogate U+DC80..U+DCFF. Encoding gives back exactly the original bytes, so a name
// or an argument survives the trip through QString unchanged (#25). A script sees the same
// bytes in sys.argv and os.listdir() that Python would have decoded this way itself.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace lb {

// Bytes (an argument, a file name) -> QString, every byte kept (see above).
QString decodeBytes(QByteArrayView bytes);

// QString -> the bytes it was decoded from: UTF-8, with each escaped byte U+DC80..U+DCFF
// written back as the byte itself.
QByteArray encodeBytes(const QString& text);

// True when `text` holds at least one escaped byte, i.e. its bytes are not valid UTF-8.
bool hasEscapedBytes(const QString& text);

// `text` for messages and listings: escaped bytes shown as \xNN, the rest unchanged.
QString displayText(const QString& text);

} // namespace lb
