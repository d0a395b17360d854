#include "core/live/RunColumns.h"

#include "core/store/RunFolders.h"
#include "core/store/Store.h"
#include "core/util/Time.h"

#include <QHash>
#include <cmath>

namespace lb {

QVariant attributeValue(const RunRecord& run, query::Attribute attribute) {
    using query::Attribute;
    auto time = [](const QDateTime& t) { return t.isValid() ? QVariant(isoTime(t)) : QVariant(); };
    switch (attribute) {
    case Attribute::Id:
        return run.id;
    case Attribute::Name:
        return run.name.isEmpty() ? QVariant() : QVariant(run.name);
    case Attribute::Status:
        return toString(run.status);
    case Attribute::Experiment:
        return run.experiment;
    case Attribute::Target:
        return run.computeTarget;
    case Attribute::Number:
        return run.number;
    case Attribute::Created:
        return time(run.created);
    case Attribute::Start:
        return time(run.started);
    case Attribute::End:
        return time(run.ended);
    case Attribute::ExitCode:
        return run.exitCode ? QVariant(*run.exitCode) : QVariant();
    case Attribute::Duration: {
        if (!run.started.isValid()) return {};
        const QDateTime end = run.ended.isValid() ? run.ended : QDateTime::currentDateTimeUtc();
        return run.started.msecsTo(end) / 1000.0;
    }
    case Attribute::Size:
        return {}; // kept in the store, not in the record: runColumnValues reads it
    }
    return {};
}

QList<QList<QVariant>> runColumnValues(Store& store, const QList<RunRecord>& runs,
                                       const QList<query::Key>& keys) {
    QStringList ids;
    for (const RunRecord& run : runs)
        ids << run.id;
    QList<QList<QVariant>> rows(runs.size());
    for (auto& row : rows)
        row.resize(keys.size());
    for (qsizetype j = 0; j < keys.size(); ++j) {
        const query::Key& key = keys[j];
        if (key.kind == query::KeyKind::Attribute && key.attribute == query::Attribute::Size) {
            const QHash<QString, qint64> sizes = runDiskUsage(store, ids);
            for (qsizetype i = 0; i < runs.size(); ++i)
                if (const auto it = sizes.find(runs[i].id); it != sizes.end())
                    rows[i][j] = QVariant(*it);
            continue;
        }
        if (key.kind == query::KeyKind::Attribute) {
            for (qsizetype i = 0; i < runs.size(); ++i)
                rows[i][j] = attributeValue(runs[i], key.attribute);
            continue;
        }
        const QHash<QString, QVariant> values = store.runs().keyValues(key, ids);
        for (qsizetype i = 0; i < runs.size(); ++i)
            rows[i][j] = values.value(runs[i].id);
    }
    return rows;
}

QString displayText(const QVariant& value) {
    if (!value.isValid() || value.isNull()) return {};
    if (value.typeId() == QMetaType::Double) {
        const double d = value.toDouble();
        if (std::isnan(d)) return QStringLiteral("NaN");
        if (std::isinf(d)) return d > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity");
        return QString::number(d, 'g', QLocale::FloatingPointShortest);
    }
    return value.toString();
}

} // namespace lb
