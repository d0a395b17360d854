#pragma once
// Compare runs: one chart per metric with a line per run and a legend, above a sortable table
// of each run's parameters and final metric values. Runs can be grouped by parameters (each
// group drawn as its mean ± std band), and the table, the metric series and the charts exported.

#include <QStringList>
#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QToolButton;

namespace lb {
class CompareModel;
class StoreWatcher;
} // namespace lb

namespace lb::ui {

class MetricChartsPanel;

class CompareView : public QWidget {
    Q_OBJECT
public:
    CompareView(const QString& workspaceRoot, const QString& storePath, const QStringList& runIds,
                const QStringList& labels, QWidget* parent = nullptr);
    CompareModel* model() const { return model_; }
    const QStringList& runIds() const { return runIds_; }
    MetricChartsPanel* charts() const { return charts_; }

    // Groups the runs by these parameters (names as the table's columns: "--lr"); none: no groups.
    void setGroupBy(const QStringList& params);
    const QStringList& groupBy() const { return groupBy_; }

    // Exports; each throws lb::Error with a sentence when the file cannot be written.
    void
    exportTableCsv(const QString& path) const; // the side-by-side table, as `runs compare --csv`
    void exportSeriesCsv(const QString& path) const; // every point: run,metric,step,time,value
    void exportChartsPng(const QString& path) const; // the charts as shown

private:
    void rebuildGroupMenu();
    void applyGroups();
    void exportWithDialog(int kind);
    QStringList runIds_;
    QStringList groupBy_;
    CompareModel* model_ = nullptr;
    QSortFilterProxyModel* proxy_ = nullptr;
    StoreWatcher* watcher_ = nullptr;
    MetricChartsPanel* charts_ = nullptr;
    QToolButton* groupButton_ = nullptr;
    QLabel* error_ = nullptr;
};

} // namespace lb::ui
