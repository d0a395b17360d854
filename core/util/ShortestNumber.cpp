#include "core/util/ShortestNumber.h"

#include <charconv>
#include <cmath>

namespace lb {

namespace {

template <class Number> QString shortest(Number v) {
    if (std::isnan(v))
        return QStringLiteral("nan");
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    // 32 bytes hold the longest shortest form of a double ("-2.2250738585072014e-308" is 24).
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    if (ec != std::errc())
        return QString::number(double(v), 'g', 17); // cannot happen with this buffer; never lose digits
    return QString::fromLatin1(buffer, static_cast<qsizetype>(end - buffer));
}

} // namespace

QString shortestNumber(double v) { return shortest(v); }
QString shortestNumber(float v) { return shortest(v); }

} // namespace lb
