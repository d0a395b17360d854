#include "core/live/ScoreBodies.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

namespace lb {

namespace {

// {"data": [[…]]} with the row broken into lines of `width` numbers.
QByteArray rowBody(const QVector<float>& row, int width) {
    QByteArray out = "{\"data\": [[\n";
    for (qsizetype i = 0; i < row.size(); ++i) {
        out += QByteArray::number(double(row[i]), 'g', 3);
        if (i + 1 < row.size()) out += width > 0 && (i + 1) % width == 0 ? ",\n" : ", ";
    }
    out += "\n]]}\n";
    return out;
}

} // namespace

QByteArray exampleScoreBody(bool native, int features, int width) {
    if (!native) return QByteArrayLiteral("{\n  \"data\": [[0.1, 0.2, 0.3]]\n}\n");
    return rowBody(QVector<float>(std::max(1, features), 0.0f), width);
}

QByteArray pixelsScoreBody(const QVector<float>& pixels, int width) {
    return rowBody(pixels, width);
}

std::optional<QVector<double>> firstProbabilities(const QByteArray& answer) {
    const QJsonDocument doc = QJsonDocument::fromJson(answer);
    const QJsonArray rows = doc.object().value(QStringLiteral("probabilities")).toArray();
    if (rows.isEmpty() || !rows.first().isArray()) return std::nullopt;
    QVector<double> out;
    for (const QJsonValue& v : rows.first().toArray()) {
        if (!v.isDouble()) return std::nullopt;
        out.append(v.toDouble());
    }
    return out;
}

QString prettyJson(const QByteArray& body) {
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || doc.isNull()) return QString::fromUtf8(body);
    return QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
}

QString errorSentence(const QByteArray& body) {
    return QJsonDocument::fromJson(body).object().value(QStringLiteral("error")).toString();
}

int rowLengthFromOpenApi(const QByteArray& swagger) {
    const QJsonObject doc = QJsonDocument::fromJson(swagger).object();
    const QJsonValue rows =
        doc[QStringLiteral("paths")][QStringLiteral("/score")][QStringLiteral("post")]
           [QStringLiteral("requestBody")][QStringLiteral("content")]
           [QStringLiteral("application/json")][QStringLiteral("schema")]
           [QStringLiteral("properties")][QStringLiteral("data")][QStringLiteral("items")];
    const QJsonValue n = rows[QStringLiteral("minItems")];
    return n.isDouble() && rows[QStringLiteral("maxItems")] == n ? n.toInt() : -1;
}

} // namespace lb
