#include "core/live/SweepChildrenModel.h"

#include <cmath>
#include <limits>

namespace lb {

SweepChildrenModel::SweepChildrenModel(QObject* parent)
    : QAbstractTableModel(parent) {}

Qt::SortOrder SweepChildrenModel::bestFirstOrder() const {
    return !summary_ || summary_->spec.maximize ? Qt::DescendingOrder : Qt::AscendingOrder;
}

int SweepChildrenModel::bestRow() const {
    if (!summary_ || summary_->bestId.isEmpty()) return -1;
    for (qsizetype i = 0; i < summary_->children.size(); ++i)
        if (summary_->children[i].run.id == summary_->bestId) return static_cast<int>(i);
    return -1;
}

QStringList SweepChildrenModel::childIds() const {
    QStringList ids;
    if (summary_)
        for (const sweep::SweepChild& c : summary_->children)
            ids.append(c.run.id);
    return ids;
}

void SweepChildrenModel::setSummary(SweepSummaryPtr summary) {
    QStringList params;
    if (summary)
        for (const sweep::Parameter& p : summary->spec.parameters)
            params.append(p.name);
    const auto& had = summary_ ? summary_->children : QList<sweep::SweepChild>();
    const auto& now = summary ? summary->children : QList<sweep::SweepChild>();
    // Same columns and the old children still first, in order: update in place.
    bool inPlace = summary_ && summary && params == params_ && now.size() >= had.size();
    for (qsizetype i = 0; inPlace && i < had.size(); ++i)
        inPlace = had[i].run.id == now[i].run.id;
    if (!inPlace) {
        beginResetModel();
        summary_ = std::move(summary);
        params_ = params;
        endResetModel();
        return;
    }
    const QString oldBest = summary_->bestId;
    QList<int> changed;
    for (qsizetype i = 0; i < had.size(); ++i) {
        const sweep::SweepChild& a = had[i];
        const sweep::SweepChild& b = now[i];
        const bool bestMoved = (a.run.id == oldBest) != (b.run.id == summary->bestId);
        if (bestMoved || a.run.status != b.run.status || a.primaryMetric != b.primaryMetric ||
            a.params != b.params || a.run.reason != b.run.reason)
            changed.append(static_cast<int>(i));
    }
    const int oldRows = static_cast<int>(had.size());
    const int newRows = static_cast<int>(now.size());
    if (newRows > oldRows) {
        beginInsertRows({}, oldRows, newRows - 1);
        summary_ = std::move(summary);
        endInsertRows();
    } else {
        summary_ = std::move(summary);
    }
    for (int row : changed)
        emit dataChanged(index(row, 0), index(row, columnCount() - 1));
}

int SweepChildrenModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !summary_ ? 0 : static_cast<int>(summary_->children.size());
}

int SweepChildrenModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : metricColumn() + 1;
}

QVariant SweepChildrenModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    return cell(summary_->children[index.row()], index.column(), role);
}

QVariant SweepChildrenModel::cell(const sweep::SweepChild& child, int column, int role) const {
    switch (role) {
    case RunIdRole:
        return child.run.id;
    case IsBestRole:
        return child.run.id == summary_->bestId;
    case StatusRole:
        return toString(child.run.status);
    case MetricRole:
        return child.primaryMetric && std::isfinite(*child.primaryMetric)
                   ? QVariant(*child.primaryMetric)
                   : QVariant();
    default:
        break;
    }
    const bool metric = column == metricColumn();
    if (role == Qt::TextAlignmentRole)
        return column >= kFirstParamColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                           : QVariant();
    if (role == Qt::ToolTipRole) {
        if (column == kStatusColumn && !child.run.reason.isEmpty()) return child.run.reason;
        if (column == kIdColumn && child.run.id == summary_->bestId)
            return tr("The best child by %1 so far").arg(summary_->spec.primaryMetric);
        return {};
    }
    if (role != Qt::DisplayRole && role != SortRole) return {};
    if (column == kIdColumn)
        return role == SortRole ? QVariant(child.run.number) : QVariant(child.run.id);
    if (column == kStatusColumn) return toString(child.run.status);
    if (metric) {
        const bool has = child.primaryMetric && std::isfinite(*child.primaryMetric);
        if (role == Qt::DisplayRole)
            return has ? QString::number(*child.primaryMetric, 'g', 6) : QStringLiteral("—");
        // Missing values sort after every number in best-first order.
        const double missing = summary_->spec.maximize ? -std::numeric_limits<double>::infinity()
                                                       : std::numeric_limits<double>::infinity();
        return has ? *child.primaryMetric : missing;
    }
    const std::string key = toStd(params_[column - kFirstParamColumn]);
    if (!child.params.contains(key))
        return role == Qt::DisplayRole ? QVariant(QStringLiteral("—")) : QVariant(QString());
    const Json& value = child.params[key];
    if (role == SortRole && value.is_number()) return value.get<double>();
    return sweep::valueText(value);
}

QVariant SweepChildrenModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) return {};
    if (role == Qt::ToolTipRole && section == metricColumn() && summary_)
        return tr("Primary metric (%1)")
            .arg(summary_->spec.maximize ? tr("maximize") : tr("minimize"));
    if (role != Qt::DisplayRole) return {};
    if (section == kIdColumn) return tr("Child run");
    if (section == kStatusColumn) return tr("Status");
    if (section == metricColumn()) return summary_ ? summary_->spec.primaryMetric : tr("Metric");
    return params_.value(section - kFirstParamColumn);
}

} // namespace lb
