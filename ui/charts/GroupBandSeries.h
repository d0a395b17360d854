#pragma once
// One group of runs in a metric chart (issue 17's compare grouping): the group's mean as a line
// and mean ± standard deviation as a translucent band (a QAreaSeries between two hidden lines),
// both in the group's colour. The numbers come from core (groupBand); this only draws them,
// thinned to about one point per pixel column.
#include "core/live/RunGroups.h"

#include <QColor>

class QAbstractAxis;
class QAreaSeries;
class QChart;
class QLineSeries;

namespace lb::ui {

class GroupBandSeries {
public:
    GroupBandSeries(QChart* chart, const QString& label, const QColor& color);
    ~GroupBandSeries(); // takes its series off the chart
    GroupBandSeries(const GroupBandSeries&) = delete;
    GroupBandSeries& operator=(const GroupBandSeries&) = delete;

    void attachAxes(QAbstractAxis* x, QAbstractAxis* y);
    void detachAxes(QAbstractAxis* x, QAbstractAxis* y);
    void setVisible(bool visible);
    // Shows `band` with at most about `columns` points; on a log axis, values <= 0 are left out.
    void show(const GroupBand& band, int columns, bool logScale);
    void clear();

    QLineSeries* meanLine() const { return mean_; }
    QAreaSeries* area() const { return area_; }

private:
    QChart* chart_;
    QLineSeries* mean_;
    QLineSeries* upper_;
    QLineSeries* lower_;
    QAreaSeries* area_;
};

} // namespace lb::ui
