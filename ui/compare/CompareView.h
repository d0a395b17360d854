#pragma once
// Compare runs: one chart per metric with a line per run and a legend, above a sortable table
// of each run's parameters and final metric values.

#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

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
    MetricChartsPanel* charts() const { return charts_; }

private:
    CompareModel* model_ = nullptr;
    QSortFilterProxyModel* proxy_ = nullptr;
    StoreWatcher* watcher_ = nullptr;
    MetricChartsPanel* charts_ = nullptr;
    QLabel* error_ = nullptr;
};

} // namespace lb::ui
