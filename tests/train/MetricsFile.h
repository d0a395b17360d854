#pragma once
// Reading the metrics.jsonl that labbench-train writes, for the trainer's end-to-end tests.

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace train_test {

struct Metric {
    QString name;
    double value;
    long step;
    double time;
};

// Every line of the file as a metric (-1 for a missing value, step or time); nothing when the
// file cannot be read.
inline QList<Metric> readMetrics(const QString& path) {
    QFile f(path);
    QList<Metric> out;
    if (!f.open(QIODevice::ReadOnly)) return out;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.isEmpty()) continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        out.append({o["name"].toString(), o["value"].toDouble(-1), long(o["step"].toInteger(-1)),
                    o["time"].toDouble(-1)});
    }
    return out;
}

// The values of one metric, in the order they were logged.
inline QList<double> values(const QList<Metric>& metrics, const QString& name) {
    QList<double> v;
    for (const auto& m : metrics)
        if (m.name == name) v.append(m.value);
    return v;
}

} // namespace train_test
