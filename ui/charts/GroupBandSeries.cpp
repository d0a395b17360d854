#include "ui/charts/GroupBandSeries.h"

#include <QAreaSeries>
#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>

#include <algorithm>

namespace lb::ui {

GroupBandSeries::GroupBandSeries(QChart* chart, const QString& label, const QColor& color) : chart_(chart) {
    mean_ = new QLineSeries;
    mean_->setName(label);
    QPen pen(color);
    pen.setWidthF(1.5);
    mean_->setPen(pen);
    // The band's edges are not series of the chart: the area draws between them.
    area_ = new QAreaSeries;
    upper_ = new QLineSeries(area_);
    lower_ = new QLineSeries(area_);
    area_->setUpperSeries(upper_);
    area_->setLowerSeries(lower_);
    area_->setName(label + QStringLiteral(" ± std"));
    QColor fill = color;
    fill.setAlpha(60);
    area_->setBrush(fill);
    area_->setPen(Qt::NoPen);
    chart_->addSeries(area_);
    chart_->addSeries(mean_);
    // One legend entry per group: its mean line.
    for (QLegendMarker* marker : chart_->legend()->markers(area_))
        marker->setVisible(false);
}

GroupBandSeries::~GroupBandSeries() {
    chart_->removeSeries(mean_);
    chart_->removeSeries(area_);
    delete mean_;
    delete area_;
}

void GroupBandSeries::attachAxes(QAbstractAxis* x, QAbstractAxis* y) {
    for (QAbstractSeries* s : {static_cast<QAbstractSeries*>(area_), static_cast<QAbstractSeries*>(mean_)}) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
}

void GroupBandSeries::detachAxes(QAbstractAxis* x, QAbstractAxis* y) {
    clear(); // old points may not fit the new axis (a log axis refuses y <= 0)
    for (QAbstractSeries* s : {static_cast<QAbstractSeries*>(area_), static_cast<QAbstractSeries*>(mean_)}) {
        if (x)
            s->detachAxis(x);
        if (y)
            s->detachAxis(y);
    }
}

void GroupBandSeries::setVisible(bool visible) {
    mean_->setVisible(visible);
    area_->setVisible(visible);
    for (QLegendMarker* marker : chart_->legend()->markers(area_))
        marker->setVisible(false);
}

void GroupBandSeries::show(const GroupBand& band, int columns, bool logScale) {
    const std::size_t n = band.steps.size();
    const std::size_t stride = std::max<std::size_t>(1, n / std::size_t(std::max(1, columns)));
    QList<QPointF> mean, upper, lower;
    for (std::size_t k = 0; k < n; k += stride) {
        const std::size_t i = k + stride >= n ? n - 1 : k; // the last step is always drawn
        const double lo = band.mean[i] - band.stddev[i];
        if (logScale && lo <= 0)
            continue;
        mean.append({band.steps[i], band.mean[i]});
        upper.append({band.steps[i], band.mean[i] + band.stddev[i]});
        lower.append({band.steps[i], lo});
    }
    mean_->replace(mean);
    upper_->replace(upper);
    lower_->replace(lower);
}

void GroupBandSeries::clear() {
    mean_->clear();
    upper_->clear();
    lower_->clear();
}

} // namespace lb::ui
