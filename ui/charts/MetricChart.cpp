#include "ui/charts/MetricChart.h"

#include "core/live/AxisTicks.h"
#include "ui/charts/GroupBandSeries.h"

#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QValueAxis>
#include <cmath>

namespace lb::ui {

namespace {

const QList<QColor>& seriesColors() {
    static const QList<QColor> colors = {QColor(0x1f, 0x6f, 0xeb), QColor(0xe3, 0x6c, 0x09),
                                         QColor(0x1a, 0x7f, 0x37), QColor(0xcf, 0x22, 0x2e),
                                         QColor(0x82, 0x50, 0xdf), QColor(0x0a, 0x8a, 0x9a),
                                         QColor(0xbf, 0x39, 0x89), QColor(0x6e, 0x77, 0x81)};
    return colors;
}

// The next "nice" number at or above v (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k): axes grow in
// steps, so they do not move every frame, without leaving most of the plot empty.
double niceCeil(double v) {
    if (v <= 0) return 1;
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0})
        if (m * p >= v) return m * p;
    return 10 * p;
}

// Range, tick count and label format from the tick maths (core/live/AxisTicks).
void applyTicks(QValueAxis* axis, const AxisTicks& ticks) {
    axis->setRange(ticks.min, ticks.max);
    axis->setTickCount(ticks.count);
    axis->setLabelFormat(QString::fromStdString(tickLabelFormat(ticks)));
}

} // namespace

MetricChart::MetricChart(QString metric, std::shared_ptr<MetricBuffers> buffers, QWidget* parent)
    : QChartView(parent)
    , metric_(std::move(metric))
    , buffers_(std::move(buffers)) {
    auto* c = new QChart();
    c->setTitle(metric_);
    QFont titleFont = c->titleFont();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() + 1);
    c->setTitleFont(titleFont);
    c->setAnimationOptions(QChart::NoAnimation);
    c->legend()->setVisible(false);
    c->legend()->setAlignment(Qt::AlignBottom);
    c->setMargins(QMargins(6, 4, 10, 4));
    c->setBackgroundRoundness(6);
    QChart* placeholder = chart();
    setChart(c);
    delete placeholder; // setChart releases the view's default chart without deleting it
    setRenderHint(QPainter::Antialiasing, false);
    setRubberBand(QChartView::RectangleRubberBand);
    setMinimumHeight(240);
    setMouseTracking(true);
    rebuildAxes();
    readoutBox_ = new QGraphicsRectItem(c);
    readoutBox_->setBrush(QColor(255, 255, 255, 235));
    readoutBox_->setPen(QPen(QColor(0xd0, 0xd7, 0xde)));
    readoutBox_->setZValue(20);
    readout_ = new QGraphicsSimpleTextItem(c);
    readout_->setZValue(21);
    cursor_ = new QGraphicsLineItem(c);
    cursor_->setPen(QPen(QColor(0x8c, 0x95, 0x9f), 1, Qt::DashLine));
    cursor_->setZValue(19);
    readout_->hide();
    readoutBox_->hide();
    cursor_->hide();
}

MetricChart::~MetricChart() = default;

void MetricChart::setRuns(const QStringList& runIds, const QStringList& labels) {
    for (QLineSeries* s : series_) {
        chart()->removeSeries(s);
        delete s;
    }
    series_.clear();
    runIds_ = runIds;
    for (qsizetype i = 0; i < runIds.size(); ++i) {
        auto* s = new QLineSeries(this);
        s->setName(labels.value(i, runIds[i]));
        QPen pen(seriesColors()[static_cast<int>(i) % seriesColors().size()]);
        pen.setWidthF(1.0); // a 1 px pen: thicker pens cost far more per point in Qt Charts
        s->setPen(pen);
        s->setUseOpenGL(false);
        chart()->addSeries(s);
        s->attachAxis(xAxis_);
        s->attachAxis(yAxis_);
        series_.append(s);
    }
    chart()->legend()->setVisible(runIds.size() > 1);
    setGroups(groups_);
}

void MetricChart::setGroups(const QList<RunGroup>& groups) {
    groups_ = groups;
    bands_.clear();
    for (qsizetype i = 0; i < groups.size(); ++i) {
        auto band = std::make_unique<GroupBandSeries>(
            chart(), groups[i].label, seriesColors()[static_cast<int>(i) % seriesColors().size()]);
        band->attachAxes(xAxis_, yAxis_);
        bands_.push_back(std::move(band));
    }
    const bool grouped = showingGroups();
    for (QLineSeries* s : series_)
        s->setVisible(!grouped);
    for (auto& band : bands_)
        band->setVisible(grouped);
    chart()->legend()->setVisible(grouped ? true : runIds_.size() > 1);
    if (xAxis_) xAxis_->setTitleText(xAxisTitle());
    xMax_ = yMin_ = yMax_ = 0;
    redraw();
}

QString MetricChart::xAxisTitle() const {
    if (!timeAxis_) return tr("step");
    return bands_.empty() ? tr("time (s)") : tr("time since each run's first point (s)");
}

void MetricChart::redrawGroups(int columns, double& y0, double& y1, double& x1) {
    x1 = 0;
    for (size_t i = 0; i < bands_.size(); ++i) {
        const GroupBand band =
            groupBand(*buffers_, metric_, groups_[qsizetype(i)].runIds, timeAxis_);
        if (!band.steps.empty()) x1 = std::max(x1, band.steps.back());
        for (size_t k = 0; k < band.steps.size(); ++k) {
            y0 = std::min(y0, band.mean[k] - band.stddev[k]);
            y1 = std::max(y1, band.mean[k] + band.stddev[k]);
        }
        bands_[i]->show(band, columns, logScale_);
    }
}

void MetricChart::rebuildAxes() {
    for (auto& band : bands_)
        band->detachAxes(xAxis_, yAxis_);
    for (QLineSeries* s : series_) {
        s->clear(); // old points may not fit the new axis (a log axis refuses y <= 0)
        if (xAxis_) s->detachAxis(xAxis_);
        if (yAxis_) s->detachAxis(yAxis_);
    }
    if (xAxis_) {
        chart()->removeAxis(xAxis_);
        delete xAxis_;
    }
    if (yAxis_) {
        chart()->removeAxis(yAxis_);
        delete yAxis_;
    }
    auto* x = new QValueAxis;
    x->setTitleText(xAxisTitle());
    x->setLabelFormat(QStringLiteral("%g"));
    x->setTickCount(6);
    xAxis_ = x;
    if (logScale_) {
        auto* y = new QLogValueAxis;
        y->setBase(10);
        y->setLabelFormat(QStringLiteral("%g"));
        yAxis_ = y;
    } else {
        auto* y = new QValueAxis;
        y->setLabelFormat(QStringLiteral("%.4g"));
        y->setTickCount(5);
        yAxis_ = y;
    }
    QFont f = xAxis_->labelsFont();
    f.setPointSizeF(std::max(7.5, f.pointSizeF() - 1));
    xAxis_->setLabelsFont(f);
    yAxis_->setLabelsFont(f);
    xAxis_->setGridLineColor(QColor(0xea, 0xee, 0xf2));
    yAxis_->setGridLineColor(QColor(0xea, 0xee, 0xf2));
    chart()->addAxis(xAxis_, Qt::AlignBottom);
    chart()->addAxis(yAxis_, Qt::AlignLeft);
    for (QLineSeries* s : series_) {
        s->attachAxis(xAxis_);
        s->attachAxis(yAxis_);
    }
    for (auto& band : bands_)
        band->attachAxes(xAxis_, yAxis_);
    xMax_ = yMin_ = yMax_ = 0;
    zoomed_ = false;
}

void MetricChart::setLogScale(bool on) {
    if (on == logScale_) return;
    logScale_ = on;
    rebuildAxes();
    redraw();
}

void MetricChart::setTimeAxis(bool on) {
    if (on == timeAxis_) return;
    timeAxis_ = on;
    rebuildAxes();
    setGroups(groups_); // the bands again, over the new axis
}

void MetricChart::resetZoom() {
    zoomed_ = false;
    xMax_ = yMin_ = yMax_ = 0;
    redraw();
}

void MetricChart::zoomTo(double x0, double x1) {
    settingRange_ = true;
    static_cast<QValueAxis*>(xAxis_)->setRange(x0, x1);
    niceZoomedTicks();
    settingRange_ = false;
    zoomed_ = true;
    redraw();
}

void MetricChart::redraw() {
    if (series_.isEmpty()) return;
    const int columns = std::max(16, static_cast<int>(chart()->plotArea().width()));
    auto* x = static_cast<QValueAxis*>(xAxis_);
    double x0 = 0, x1 = 0;
    double dataX0 = 0, dataX1 = 0, dataY0 = 0, dataY1 = 0;
    bool any = false;
    drawn_ = 0;
    last_.clear();
    std::lock_guard lock(buffers_->mutex);
    // The data extent, for auto ranges.
    for (const QString& run : runIds_) {
        auto it = buffers_->series.find({run, metric_});
        if (it == buffers_->series.end() || it->second.buffer.size() == 0) continue;
        const MinMaxPyramid& v = it->second.buffer.view();
        if (!any) {
            dataX0 = v.firstX();
            dataX1 = v.lastX();
            dataY0 = v.minY();
            dataY1 = v.maxY();
        } else {
            dataX0 = std::min(dataX0, v.firstX());
            dataX1 = std::max(dataX1, v.lastX());
            dataY0 = std::min(dataY0, v.minY());
            dataY1 = std::max(dataY1, v.maxY());
        }
        any = true;
    }
    t0_ = timeAxis_ && any ? dataX0 : 0;
    if (zoomed_) {
        x0 = x->min() + t0_;
        x1 = x->max() + t0_;
    } else {
        x0 = dataX0;
        x1 = dataX1;
    }
    for (qsizetype i = 0; i < series_.size(); ++i) {
        auto it = buffers_->series.find({runIds_[i], metric_});
        QList<QPointF> points;
        if (it != buffers_->series.end() && any) {
            const MinMaxPyramid& v = it->second.buffer.view();
            v.decimate(x0, x1, columns, scratch_, logScale_);
            points.reserve(static_cast<qsizetype>(scratch_.size()));
            for (const QPointF& p : scratch_)
                points.append(QPointF(p.x() - t0_, p.y()));
            if (!v.empty()) last_.append(QPointF(v.lastX() - t0_, v.y(v.size() - 1)));
        }
        drawn_ += static_cast<int>(points.size());
        // A few points are dots as well as a line: one point alone would draw nothing.
        series_[i]->setPointsVisible(points.size() < 40);
        series_[i]->replace(points);
    }
    if (showingGroups() && any) {
        double bandX1 = 0;
        redrawGroups(columns, dataY0, dataY1, bandX1);
        if (timeAxis_) { // bands are drawn by time since each run's first point
            dataX0 = 0;
            dataX1 = bandX1;
        }
    }
    if (!any || zoomed_) return;
    // Grow ranges in steps, so axes do not jump on every frame.
    settingRange_ = true;
    const double spanX = dataX1 - dataX0;
    if (spanX > xMax_ || xMax_ == 0) {
        // Steps are whole numbers: a span under 1 would give ticks at 0.2, 0.4 (#23 item 5).
        xMax_ = niceCeil(std::max(spanX * 1.05, timeAxis_ ? 1e-3 : 1.0));
        const double from = timeAxis_ ? 0 : dataX0;
        applyTicks(x, niceTicks(from, from + xMax_,
                                {.maxTicks = 6, .integer = !timeAxis_, .nonNegative = from >= 0}));
    }
    if (logScale_) {
        auto* y = static_cast<QLogValueAxis*>(yAxis_);
        const double lo = dataY0 > 0 ? std::pow(10, std::floor(std::log10(dataY0))) : 1e-6;
        const double hi = dataY1 > 0 ? std::pow(10, std::ceil(std::log10(dataY1))) : 1;
        if (lo != yMin_ || hi != yMax_) {
            yMin_ = lo;
            yMax_ = std::max(hi, lo * 10);
            y->setRange(yMin_, yMax_);
        }
    } else if (dataY0 < yMin_ || dataY1 > yMax_ || (yMin_ == 0 && yMax_ == 0)) {
        auto* y = static_cast<QValueAxis*>(yAxis_);
        // Some room above and below; a flat series (a constant learning rate) gets its room
        // from niceTicks, ±10% of the value, not 99.99–100.01.
        const double pad = (dataY1 - dataY0) * 0.08;
        // A series that never goes below zero (a loss, an accuracy) gets no negative range.
        const AxisTicks ticks =
            niceTicks(dataY0 - pad, dataY1 + pad,
                      {.maxTicks = 6, .integer = false, .nonNegative = dataY0 >= 0});
        applyTicks(y, ticks);
        yMin_ = ticks.min;
        yMax_ = ticks.max;
    }
    settingRange_ = false;
}

QList<int> MetricChart::seriesPointCounts() const {
    QList<int> counts;
    for (const QLineSeries* s : series_)
        counts.append(static_cast<int>(s->count()));
    return counts;
}

QList<QPointF> MetricChart::lastPoints() const {
    return last_;
}

QByteArray MetricChart::toCsv() const {
    QByteArray csv = "run,step,time,value\n";
    std::lock_guard lock(buffers_->mutex);
    for (const QString& run : runIds_) {
        auto it = buffers_->series.find({run, metric_});
        if (it == buffers_->series.end()) continue;
        const MetricSeriesBuffer& b = it->second.buffer;
        const QByteArray id = run.toUtf8();
        for (std::size_t i = 0; i < b.size(); ++i) {
            csv += id + ',' + QByteArray::number(static_cast<qint64>(b.step(i))) + ',' +
                   QByteArray::number(b.time(i), 'f', 3) + ',' +
                   QByteArray::number(b.value(i), 'g', 9) + '\n';
        }
    }
    return csv;
}

void MetricChart::showReadout(const QPointF& valuePoint, const QPoint& widgetPos) {
    QStringList lines;
    double shownX = valuePoint.x();
    {
        std::lock_guard lock(buffers_->mutex);
        for (qsizetype i = 0; i < runIds_.size(); ++i) {
            auto it = buffers_->series.find({runIds_[i], metric_});
            if (it == buffers_->series.end()) continue;
            const MetricSeriesBuffer& b = it->second.buffer;
            const std::size_t n = b.nearest(valuePoint.x() + t0_);
            if (n >= b.size()) continue;
            const MinMaxPyramid& v = b.view();
            shownX = v.x(n) - t0_;
            const QString who =
                runIds_.size() > 1 ? series_[i]->name() + QStringLiteral(": ") : QString();
            lines.append(QStringLiteral("%1%2 = %3   (step %4)")
                             .arg(who, metric_, QString::number(v.y(n), 'g', 6))
                             .arg(static_cast<qint64>(b.step(n))));
        }
    }
    if (lines.isEmpty()) {
        readout_->hide();
        readoutBox_->hide();
        cursor_->hide();
        return;
    }
    readout_->setText(lines.join(QLatin1Char('\n')));
    const QRectF plot = chart()->plotArea();
    const QPointF at = chart()->mapToPosition(QPointF(shownX, valuePoint.y()), series_.front());
    cursor_->setLine(at.x(), plot.top(), at.x(), plot.bottom());
    QPointF pos = chart()->mapFromScene(mapToScene(widgetPos)) + QPointF(12, -8);
    const QRectF r = readout_->boundingRect();
    if (pos.x() + r.width() + 8 > plot.right()) pos.setX(pos.x() - r.width() - 32);
    pos.setY(std::clamp(pos.y(), plot.top(), plot.bottom() - r.height()));
    readout_->setPos(pos);
    readoutBox_->setRect(QRectF(pos - QPointF(5, 3), r.size() + QSizeF(10, 6)));
    readout_->show();
    readoutBox_->show();
    cursor_->show();
}

void MetricChart::mouseMoveEvent(QMouseEvent* event) {
    const QPointF scenePos = mapToScene(event->position().toPoint());
    const QPointF chartPos = chart()->mapFromScene(scenePos);
    if (!series_.isEmpty() && chart()->plotArea().contains(chartPos))
        showReadout(chart()->mapToValue(chartPos, series_.front()), event->position().toPoint());
    QChartView::mouseMoveEvent(event);
}

void MetricChart::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() == Qt::RightButton) {
        // Qt Charts zooms out on a right click; we reset to the full, auto-ranged view instead.
        event->accept();
        resetZoom();
        return;
    }
    // A rubber-band zoom changes the x range: decimate again over what is now visible. (Qt
    // Charts also changes ranges itself when axes are attached, so only a user's gesture counts.)
    auto* x = static_cast<QValueAxis*>(xAxis_);
    const double min = x->min(), max = x->max();
    QChartView::mouseReleaseEvent(event);
    if (x->min() != min || x->max() != max) {
        zoomed_ = true;
        niceZoomedTicks();
        redraw();
    }
}

void MetricChart::niceZoomedTicks() {
    // A zoom gives any range: widen it to whole ticks, so labels stay distinct and plain
    // (whole steps on the step axis).
    auto* x = static_cast<QValueAxis*>(xAxis_);
    applyTicks(x, niceTicks(x->min(), x->max(),
                            {.maxTicks = 6, .integer = !timeAxis_, .nonNegative = false}));
    if (auto* y = qobject_cast<QValueAxis*>(yAxis_))
        applyTicks(y, niceTicks(y->min(), y->max(),
                                {.maxTicks = 6, .integer = false, .nonNegative = false}));
}

void MetricChart::mouseDoubleClickEvent(QMouseEvent* event) {
    resetZoom();
    event->accept();
}

void MetricChart::leaveEvent(QEvent* event) {
    readout_->hide();
    readoutBox_->hide();
    cursor_->hide();
    QChartView::leaveEvent(event);
}

void MetricChart::setCornerWidget(QWidget* widget) {
    corner_ = widget;
    widget->setParent(this);
    widget->adjustSize();
    widget->move(width() - widget->width() - 10, 8);
}

void MetricChart::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);
    if (corner_) corner_->move(width() - corner_->width() - 10, 8);
    redraw(); // the number of pixel columns changed
}

} // namespace lb::ui
