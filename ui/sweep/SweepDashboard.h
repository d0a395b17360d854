#pragma once
// One sweep, live: a header (status, sampling, primary metric and goal, children so far, the
// best child) with Cancel sweep and Open best child; the children table (sortable, best-first by
// default, the best child highlighted); the primary metric over steps with a line per child in
// one chart; and parameters → metric as parallel coordinates. The sweep is read with
// lb::sweep::loadSweep on a StoreWatcher thread; the chart's points come from a MetricFeed.

#include "core/live/SweepChildrenModel.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace lb {
class MetricFeed;
class StoreWatcher;
class SweepActions;
} // namespace lb

namespace lb::ui {

class MetricChart;
class ParallelCoordinatesView;

class SweepDashboard : public QWidget {
    Q_OBJECT
public:
    SweepDashboard(const QString& workspaceRoot, const QString& storePath, const QString& sweepId,
                   QWidget* parent = nullptr);
    ~SweepDashboard() override;

    const QString& sweepId() const { return sweepId_; }
    QString title() const;
    SweepChildrenModel* children() const { return model_; }
    // The table's sorted, highlighting view of children().
    QSortFilterProxyModel* sortedChildren() const { return proxy_; }
    QTableView* table() const { return table_; }
    MetricChart* chart() const { return chart_; }
    ParallelCoordinatesView* coordinates() const { return coordinates_; }
    const SweepSummaryPtr& summary() const { return model_->summary(); }

signals:
    void titleChanged(const QString& title);
    // The user asked for a child's own run dashboard.
    void runRequested(const QString& runId);

private:
    void onSummary(const SweepSummaryPtr& summary);
    void showError(const QString& message);
    void ensureChart(const QString& metric);
    void redrawChart();
    void highlightBest();
    QString sweepId_;
    QString storePath_;
    StoreWatcher* watcher_ = nullptr;
    SweepActions* actions_ = nullptr;
    SweepChildrenModel* model_ = nullptr;
    QSortFilterProxyModel* proxy_ = nullptr;
    QTableView* table_ = nullptr;
    MetricFeed* feed_ = nullptr;
    MetricChart* chart_ = nullptr;
    QWidget* chartHolder_ = nullptr;
    QTimer frameTimer_;
    std::uint64_t drawnVersion_ = 0;
    QStringList chartRuns_;
    QString chartBest_;
    ParallelCoordinatesView* coordinates_ = nullptr;
    QLabel* title_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* facts_ = nullptr;
    QLabel* error_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QPushButton* openBest_ = nullptr;
    bool sortedOnce_ = false;
};

} // namespace lb::ui
