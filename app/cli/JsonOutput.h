#pragma once
// Printing JSON results: pretty, UTF-8, with a trailing newline.

#include "core/util/Json.h"

#include <QTextStream>

namespace lb::cli {

inline void printJson(QTextStream& out, const Json& value) {
    out << QString::fromStdString(value.dump(2)) << '\n';
}

} // namespace lb::cli
