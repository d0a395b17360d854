#pragma once
// One metric as a Qt Charts line chart, with a line per run. It holds no history: on each
// redraw it decimates the core's buffers to ≤ 2 points per pixel column of the visible range
// and calls replace() once per series. Axes grow in steps, zoom by rubber band (right click or
// double click resets), hover shows the nearest values.

#include "core/live/MetricFeed.h"
#include "core/live/RunGroups.h"

#include <QChartView>
#include <QLineSeries>
#include <QPointer>
#include <memory>

namespace lb::ui {

class GroupBandSeries;

class MetricChart : public QChartView {
    Q_OBJECT
    // Read by the end-to-end state hook, which finds a run's charts by their object name
    // ("metricChart", given by MetricChartsPanel).
    Q_PROPERTY(QString metric READ metric CONSTANT)
    Q_PROPERTY(QList<int> seriesPointCounts READ seriesPointCounts)
    Q_PROPERTY(QList<QPointF> lastPoints READ lastPoints)
public:
    MetricChart(QString metric, std::shared_ptr<MetricBuffers> buffers, QWidget* parent = nullptr);
    ~MetricChart() override; // where GroupBandSeries is complete

    const QString& metric() const { return metric_; }
    // The runs drawn, with their legend labels (a legend shows when there are several).
    void setRuns(const QStringList& runIds, const QStringList& labels);
    // Draws each group's mean ± std band instead of its runs' lines (on the step axis; the time
    // axis shows the runs). No groups: the runs again.
    void setGroups(const QList<RunGroup>& groups);
    // The group bands drawn (tests, the state hook).
    const std::vector<std::unique_ptr<GroupBandSeries>>& groupBands() const { return bands_; }
    void setLogScale(bool on);
    void setTimeAxis(bool on);
    // Back to the full, auto-ranged view (after a zoom or a view change).
    void resetZoom();
    // Shows [x0, x1] only (as a rubber-band zoom does), decimated again for that range.
    void zoomTo(double x0, double x1);
    // Re-decimates and replaces every series; call from a coalescing timer.
    void redraw();
    // Points each series holds after the last redraw (tests, the state hook).
    QList<int> seriesPointCounts() const;
    // The last point drawn for each run (x, y), or nothing.
    QList<QPointF> lastPoints() const;
    // Points drawn in total by the last redraw (≤ about 2 per column per series).
    int drawnPoints() const { return drawn_; }

    // A small widget kept in the chart's top-right corner (the Export button).
    void setCornerWidget(QWidget* widget);

    // CSV of the full history (run, step, time, value) as the buffers hold it.
    QByteArray toCsv() const;

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuildAxes();
    void niceZoomedTicks();
    bool showingGroups() const { return !bands_.empty(); }
    // Draws the group bands (buffers locked by the caller) and widens [y0, y1] to hold them.
    // Draws the groups' bands; widens y0..y1 to them and gives their last x in x1.
    void redrawGroups(int columns, double& y0, double& y1, double& x1);
    QString xAxisTitle() const;
    void showReadout(const QPointF& valuePoint, const QPoint& widgetPos);
    QString metric_;
    std::shared_ptr<MetricBuffers> buffers_;
    QStringList runIds_;
    QList<QLineSeries*> series_;
    QList<RunGroup> groups_;
    std::vector<std::unique_ptr<GroupBandSeries>> bands_;
    QAbstractAxis* xAxis_ = nullptr;
    QAbstractAxis* yAxis_ = nullptr;
    bool logScale_ = false;
    bool timeAxis_ = false;
    bool zoomed_ = false;
    bool settingRange_ = false;
    double xMax_ = 0, yMin_ = 0, yMax_ = 0;
    double t0_ = 0; // time axis origin: the first point's wall time
    int drawn_ = 0;
    std::vector<QPointF> scratch_;
    QList<QPointF> last_;
    QGraphicsSimpleTextItem* readout_ = nullptr;
    QGraphicsRectItem* readoutBox_ = nullptr;
    QGraphicsLineItem* cursor_ = nullptr;
    QPointer<QWidget> corner_;
};

} // namespace lb::ui
