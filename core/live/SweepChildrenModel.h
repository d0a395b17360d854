#pragma once
// A sweep dashboard's children table: one row per child run (oldest first) with its id, status,
// the sampled value of each parameter (a column per parameter, in the spec's order) and its
// primary metric. Fed whole SweepSummary values loaded off the UI thread; new children are
// inserted, changed ones updated in place. Sort through a QSortFilterProxyModel on SortRole:
// numbers sort as numbers, and children without a metric yet sort after the others when the
// table is in best-first order (descending for maximize, ascending for minimize).

#include "core/sweep/Sweep.h"

#include <QAbstractTableModel>
#include <QMetaType>
#include <memory>

namespace lb {

using SweepSummaryPtr = std::shared_ptr<const sweep::SweepSummary>;

class SweepChildrenModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role {
        SortRole = Qt::UserRole + 1,
        RunIdRole,  // the child's run id (every column)
        IsBestRole, // true on every column of the best child's row
        StatusRole, // the child's status text
        MetricRole, // double, or invalid when the child has not reported the metric
    };
    static constexpr int kIdColumn = 0;
    static constexpr int kStatusColumn = 1;
    static constexpr int kFirstParamColumn = 2;

    explicit SweepChildrenModel(QObject* parent = nullptr);

    void setSummary(SweepSummaryPtr summary);
    const SweepSummaryPtr& summary() const { return summary_; }
    const QStringList& parameterNames() const { return params_; }
    int metricColumn() const { return kFirstParamColumn + static_cast<int>(params_.size()); }
    // The order that shows the best child first: Qt::DescendingOrder when maximizing.
    Qt::SortOrder bestFirstOrder() const;
    // The best child's row, or -1.
    int bestRow() const;
    QStringList childIds() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant cell(const sweep::SweepChild& child, int column, int role) const;
    SweepSummaryPtr summary_;
    QStringList params_;
};

} // namespace lb

Q_DECLARE_METATYPE(lb::SweepSummaryPtr)
