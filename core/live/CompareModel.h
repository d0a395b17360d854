#pragma once
// The compare view's table: one row per run; columns for the run, its status, each script
// parameter any of the runs has (cells of a parameter whose value is not the same in every run are
// marked: DiffersRole, which the view paints), and for each metric its last value, its min and its
// max with the step where they came (issue 17). Numbers sort as numbers (SortRole).

#include "core/store/Entities.h"

#include <QAbstractTableModel>
#include <QMetaType>
#include <QSet>

#include <memory>

namespace lb {

class Workspace;

struct CompareRow {
    RunRecord run;
    QList<QPair<QString, QString>> params; // script_params as (flag, value), in order
    QMap<QString, double> finalMetrics;    // the last point of each metric
    QMap<QString, MetricSummary> metrics;  // last/min/max of each metric and where they came
};

struct CompareData {
    QList<CompareRow> rows;
    // Reads the runs (missing ones are skipped) on a background thread.
    static CompareData load(Workspace& workspace, const QStringList& runIds);
    // "--lr 0.1 --flag --x=3" -> (--lr, 0.1), (--flag, ""), (--x, 3); bare words get "#n" names.
    static QList<QPair<QString, QString>> pairParams(const QStringList& words);
};

using CompareDataPtr = std::shared_ptr<const CompareData>;

class CompareModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { SortRole = Qt::UserRole + 1, RunIdRole, DiffersRole };
    static constexpr int kColumnsPerMetric = 3; // last, min, max
    explicit CompareModel(QObject* parent = nullptr);
    void setData(CompareDataPtr data);
    const CompareDataPtr& compareData() const { return data_; }
    const QStringList& paramColumns() const { return params_; }
    const QStringList& metricColumns() const { return metrics_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    static constexpr int kFixed = 2; // run, status
    bool paramDiffers(const QString& key) const;
    QVariant metricCell(const CompareRow& row, int column, int role) const;
    CompareDataPtr data_;
    QStringList params_;
    QSet<QString> differing_;
    QStringList metrics_;
    QStringList names_; // each row's run by its display name (#23 item 10)
};

} // namespace lb

Q_DECLARE_METATYPE(lb::CompareDataPtr)
