#pragma once
// A grid of live metric charts for one run (dashboard) or several (compare): one chart per
// metric, a line per run. A MetricFeed fills the core buffers off the UI thread; a 33 ms timer
// redraws only when the buffers changed, so redraws never exceed 30 a second however fast
// points arrive.

#include "core/live/MetricFeed.h"
#include "core/live/RunGroups.h"

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QGridLayout;
class QLabel;
class QSlider;

namespace lb::ui {

class MetricChart;
class OnceLoggedTable;

class MetricChartsPanel : public QWidget {
    Q_OBJECT
public:
    MetricChartsPanel(const QString& storePath, const QStringList& runIds,
                      const QStringList& labels, QWidget* parent = nullptr);
    ~MetricChartsPanel() override;

    const QList<MetricChart*>& charts() const { return charts_; }
    // Values logged once, in a table above the charts (#23 item 5).
    OnceLoggedTable* onceLogged() const { return onceLogged_; }
    MetricFeed* feed() const { return feed_; }
    // Redraws now if anything changed (the timer does this on its own).
    void redrawIfChanged();
    // Frames drawn so far (benchmarks and tests).
    int framesDrawn() const { return frames_; }
    void setLogScale(bool on);
    void setTimeAxis(bool on);
    void setSmoothing(double weight);
    // Every chart draws these groups' mean ± std bands instead of the runs (none: the runs).
    void setGroups(const QList<RunGroup>& groups);
    // Draws the system metrics of one run (issue 19) instead: a chart per name, a line per node.
    // Construct with no runs, then call this once.
    void followSystemMetricsOf(const QString& runId);

private:
    void addMissingCharts();
    void followNodes();
    void applyView();
    void exportChart(MetricChart* chart, bool csv);
    QStringList runIds_, labels_;
    QList<RunGroup> groups_;
    bool system_ = false; // lines are nodes, found in the buffers as they come
    MetricFeed* feed_ = nullptr;
    QTimer frameTimer_;
    std::uint64_t drawnVersion_ = 0;
    int frames_ = 0;
    QList<MetricChart*> charts_;
    QGridLayout* grid_ = nullptr;
    OnceLoggedTable* onceLogged_ = nullptr;
    QLabel* empty_ = nullptr;
    QLabel* error_ = nullptr;
    QLabel* stats_ = nullptr;
    QComboBox* xAxis_ = nullptr;
    QSlider* smoothing_ = nullptr;
    QLabel* smoothingValue_ = nullptr;
    QCheckBox* logScale_ = nullptr;
};

} // namespace lb::ui
