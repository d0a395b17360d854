#include "core/live/CompareModel.h"

#include "core/estimator/Estimator.h"
#include "core/store/RunDisplayName.h"
#include "core/workspace/Workspace.h"

namespace lb {

QList<QPair<QString, QString>> CompareData::pairParams(const QStringList& words) {
    QList<QPair<QString, QString>> pairs;
    int bare = 0;
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QString& w = words[i];
        if (w.startsWith(QLatin1Char('-')) && w.size() > 1) {
            const qsizetype eq = w.indexOf(QLatin1Char('='));
            if (eq > 0) {
                pairs.append({w.left(eq), w.mid(eq + 1)});
            } else if (i + 1 < words.size() && !(words[i + 1].startsWith(QLatin1Char('-')) &&
                                                 words[i + 1].size() > 1 &&
                                                 !words[i + 1].at(1).isDigit())) {
                pairs.append({w, words[i + 1]});
                ++i;
            } else {
                pairs.append({w, QString()});
            }
        } else {
            pairs.append({QStringLiteral("#%1").arg(++bare), w});
        }
    }
    return pairs;
}

CompareData CompareData::load(Workspace& workspace, const QStringList& runIds) {
    CompareData d;
    Store& store = workspace.store();
    for (const QString& id : runIds) {
        auto run = store.runs().find(id);
        if (!run)
            continue;
        CompareRow row;
        row.run = *run;
        try {
            const Estimator e = Estimator::fromJson(Json::parse(run->estimatorJson.toStdString()),
                                                    QStringLiteral("run %1").arg(id));
            row.params = pairParams(e.scriptParams);
        } catch (const std::exception&) {
            // A run recorded without a readable estimator compares on metrics only.
        }
        for (const MetricSummary& m : store.metrics().summaries(id)) {
            row.finalMetrics.insert(m.name, m.last);
            row.metrics.insert(m.name, m);
        }
        d.rows.append(row);
    }
    return d;
}

CompareModel::CompareModel(QObject* parent) : QAbstractTableModel(parent) {}

void CompareModel::setData(CompareDataPtr data) {
    beginResetModel();
    data_ = std::move(data);
    params_.clear();
    metrics_.clear();
    if (data_) {
        for (const CompareRow& r : data_->rows) {
            for (const auto& [k, v] : r.params)
                if (!params_.contains(k))
                    params_.append(k);
            for (auto it = r.finalMetrics.begin(); it != r.finalMetrics.end(); ++it)
                if (!metrics_.contains(it.key()))
                    metrics_.append(it.key());
        }
    }
    names_.clear();
    if (data_) {
        QList<RunRecord> runs;
        for (const CompareRow& r : data_->rows)
            runs.append(r.run);
        names_ = distinctRunDisplayNames(runs);
    }
    differing_.clear();
    if (data_ && !data_->rows.isEmpty()) {
        auto valueOf = [](const CompareRow& r, const QString& key) -> std::optional<QString> {
            for (const auto& [k, v] : r.params)
                if (k == key)
                    return v;
            return std::nullopt;
        };
        for (const QString& key : params_)
            for (const CompareRow& r : data_->rows)
                if (valueOf(r, key) != valueOf(data_->rows.first(), key))
                    differing_.insert(key);
    }
    endResetModel();
}

int CompareModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !data_ ? 0 : static_cast<int>(data_->rows.size());
}

int CompareModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kFixed + static_cast<int>(params_.size() + metrics_.size() * kColumnsPerMetric);
}

QVariant CompareModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CompareRow& row = data_->rows[index.row()];
    const int c = index.column();
    if (role == RunIdRole)
        return row.run.id;
    const bool paramColumn = c >= kFixed && c < kFixed + params_.size();
    if (role == DiffersRole)
        return paramColumn && differing_.contains(params_[c - kFixed]);
    if (role != Qt::DisplayRole && role != SortRole && role != Qt::ToolTipRole)
        return {};
    if (c == 0) {
        // The run as every view names it; the id, experiment and parameters in its tooltip.
        if (role == SortRole)
            return row.run.created;
        return role == Qt::ToolTipRole ? runToolTip(row.run) : names_.value(index.row(), row.run.id);
    }
    if (c == 1)
        return toString(row.run.status);
    if (c < kFixed + params_.size()) {
        const QString& key = params_[c - kFixed];
        for (const auto& [k, v] : row.params) {
            if (k != key)
                continue;
            bool ok = false;
            const double number = v.toDouble(&ok);
            return role == SortRole && ok ? QVariant(number) : QVariant(v);
        }
        return {};
    }
    return metricCell(row, c, role);
}

// Column c of a metric's three: its last value, its min (@ step), its max (@ step).
QVariant CompareModel::metricCell(const CompareRow& row, int c, int role) const {
    const int m = (c - kFixed - int(params_.size())) / kColumnsPerMetric;
    const int part = (c - kFixed - int(params_.size())) % kColumnsPerMetric;
    auto it = row.metrics.find(metrics_[m]);
    if (it == row.metrics.end()) {
        auto last = row.finalMetrics.find(metrics_[m]);
        if (part != 0 || last == row.finalMetrics.end())
            return {};
        return role == SortRole ? QVariant(*last) : QVariant(QString::number(*last, 'g', 6));
    }
    const MetricSummary& s = *it;
    const double value = part == 0 ? s.last : part == 1 ? s.min : s.max;
    if (role == SortRole)
        return value;
    const QString text = QString::number(value, 'g', 6);
    if (part == 0)
        return text;
    return QStringLiteral("%1 @ %2").arg(text).arg(part == 1 ? s.minStep : s.maxStep);
}

QVariant CompareModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section == 0)
        return tr("Run");
    if (section == 1)
        return tr("Status");
    if (section < kFixed + params_.size())
        return params_[section - kFixed];
    if (section < columnCount()) {
        const int m = (section - kFixed - int(params_.size())) / kColumnsPerMetric;
        const int part = (section - kFixed - int(params_.size())) % kColumnsPerMetric;
        return QStringLiteral("%1 · %2").arg(metrics_[m], part == 0 ? tr("last") : part == 1 ? tr("min") : tr("max"));
    }
    return {};
}

} // namespace lb
