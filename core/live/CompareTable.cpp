#include "core/live/CompareTable.h"

#include "core/live/MetricFeed.h"
#include "core/live/RunColumns.h"

namespace lb {

namespace {

const QString* paramValue(const CompareRow& row, const QString& name) {
    for (const auto& [flag, value] : row.params)
        if (flag == name)
            return &value;
    return nullptr;
}

QString csvField(const QString& text) {
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')) &&
        !text.contains(QLatin1Char('\r')))
        return text;
    QString q = text;
    q.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

} // namespace

CompareTable compareTable(const CompareData& data, const QStringList& onlyMetrics) {
    CompareTable t;
    QSet<QString> metricSet;
    for (const CompareRow& row : data.rows) {
        for (const auto& p : row.params)
            if (!t.params.contains(p.first))
                t.params << p.first;
        for (auto it = row.metrics.begin(); it != row.metrics.end(); ++it)
            if (onlyMetrics.isEmpty() || onlyMetrics.contains(it.key()))
                metricSet.insert(it.key());
    }
    for (const QString& p : t.params) {
        const QString* first = paramValue(data.rows.first(), p);
        for (const CompareRow& row : data.rows) {
            const QString* v = paramValue(row, p);
            if (bool(v) != bool(first) || (v && *v != *first))
                t.differ.insert(p);
        }
    }
    t.metrics = QStringList(metricSet.begin(), metricSet.end());
    t.metrics.sort();
    t.header = QStringList{QStringLiteral("run"), QStringLiteral("name")} + t.params;
    for (const QString& m : t.metrics)
        t.header << m + QStringLiteral(".last") << m + QStringLiteral(".min") << m + QStringLiteral(".max");
    for (const CompareRow& row : data.rows) {
        QStringList cells{row.run.id, row.run.name};
        for (const QString& p : t.params) {
            const QString* v = paramValue(row, p);
            cells << (v ? *v : QString());
        }
        for (const QString& m : t.metrics) {
            if (!row.metrics.contains(m)) {
                cells << QString() << QString() << QString();
                continue;
            }
            const MetricSummary& s = row.metrics[m];
            cells << displayText(s.last) << QStringLiteral("%1 @%2").arg(displayText(s.min)).arg(s.minStep)
                  << QStringLiteral("%1 @%2").arg(displayText(s.max)).arg(s.maxStep);
        }
        t.rows << cells;
    }
    return t;
}

QByteArray toCsv(const QStringList& header, const QList<QStringList>& rows) {
    QByteArray out;
    auto line = [&](const QStringList& cells) {
        QStringList fields;
        for (const QString& c : cells)
            fields << csvField(c);
        out += fields.join(QLatin1Char(',')).toUtf8() + '\n';
    };
    line(header);
    for (const QStringList& r : rows)
        line(r);
    return out;
}

QByteArray metricSeriesCsv(const MetricBuffers& buffers, const QStringList& runIds) {
    QByteArray csv = "run,metric,step,time,value\n";
    for (const QString& run : runIds) {
        for (const QString& metric : buffers.metricNames) {
            auto it = buffers.series.find({run, metric});
            if (it == buffers.series.end())
                continue;
            const MetricSeriesBuffer& b = it->second.buffer;
            const QByteArray prefix = csvField(run).toUtf8() + ',' + csvField(metric).toUtf8() + ',';
            for (std::size_t i = 0; i < b.size(); ++i)
                csv += prefix + QByteArray::number(static_cast<qint64>(b.step(i))) + ',' +
                       QByteArray::number(b.time(i), 'f', 3) + ',' +
                       displayText(b.value(i)).toUtf8() + '\n';
        }
    }
    return csv;
}

} // namespace lb
