#include "core/util/JsonValues.h"

#include "core/util/ByteStrings.h"

#include <cmath>
#include <limits>

namespace lb {

Json jsonString(const QString& text) {
    if (!hasEscapedBytes(text)) return toStd(text);
    return Json{{"b64", encodeBytes(text).toBase64().toStdString()}};
}

std::optional<QString> stringFromJson(const Json& value) {
    if (value.is_string()) return fromStd(value.get_ref<const std::string&>());
    if (!value.is_object() || value.size() != 1 || !value.contains("b64") ||
        !value["b64"].is_string())
        return std::nullopt;
    const auto decoded =
        QByteArray::fromBase64Encoding(QByteArray::fromStdString(value["b64"].get<std::string>()),
                                       QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) return std::nullopt;
    return decodeBytes(*decoded);
}

Json jsonStringList(const QStringList& list) {
    Json out = Json::array();
    for (const QString& s : list) out.push_back(jsonString(s));
    return out;
}

std::optional<QStringList> stringListFromJson(const Json& value) {
    if (!value.is_array()) return std::nullopt;
    QStringList out;
    for (const Json& v : value) {
        auto s = stringFromJson(v);
        if (!s) return std::nullopt;
        out << *s;
    }
    return out;
}

Json jsonNumber(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
    return value;
}

std::optional<double> numberFromJson(const Json& value) {
    if (value.is_number()) return value.get<double>();
    if (!value.is_string()) return std::nullopt;
    const std::string& s = value.get_ref<const std::string&>();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
    return std::nullopt;
}

} // namespace lb
