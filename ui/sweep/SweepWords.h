#pragma once
// The sweep-spec parser's messages in the sweep form's words (#23 item 9): the parser speaks
// for `labbench sweep submit` and spec files ("parameters.--lr: uniform needs low below high;
// write it like {\"uniform\": [0.0, 1.0]}"); the form names its own fields ("--lr: uniform
// needs low below high; give Arguments like 0.0, 1.0").

#include <QString>

namespace lb::ui {

QString sweepFormWords(const QString& parserMessage);

} // namespace lb::ui
