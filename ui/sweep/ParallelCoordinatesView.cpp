#include "ui/sweep/ParallelCoordinatesView.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <cmath>

namespace lb::ui {

namespace {

QColor mix(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                            static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                            static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

// Distance from p to the segment a-b.
double segmentDistance(const QPointF& p, const QPointF& a, const QPointF& b) {
    const QPointF d = b - a;
    const double len2 = d.x() * d.x() + d.y() * d.y();
    double t = len2 > 0 ? ((p.x() - a.x()) * d.x() + (p.y() - a.y()) * d.y()) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    const QPointF q = a + t * d;
    return std::hypot(p.x() - q.x(), p.y() - q.y());
}

} // namespace

ParallelCoordinatesView::ParallelCoordinatesView(QWidget* parent)
    : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMouseTracking(false);
    setToolTip(tr("Each line is a child run: its parameters, then its primary metric. Click a "
                  "line to open that run."));
}

void ParallelCoordinatesView::setData(ParallelData data) {
    data_ = std::move(data);
    update();
}

QColor ParallelCoordinatesView::lineColor(double quality) {
    if (quality < 0) return QColor(0xaf, 0xb8, 0xc1);
    static const QColor worst(0x9e, 0xc5, 0xe8), middle(0x82, 0x50, 0xdf), best(0xcf, 0x22, 0x2e);
    return quality < 0.5 ? mix(worst, middle, quality * 2) : mix(middle, best, (quality - 0.5) * 2);
}

QRectF ParallelCoordinatesView::plotRect() const {
    const QFontMetrics fm(font());
    // Room for titles above, labels below, and value labels beside the outer axes.
    return QRectF(56, fm.height() * 2 + 8, std::max(10, width() - 112),
                  std::max(10, height() - fm.height() * 4 - 16));
}

double ParallelCoordinatesView::axisX(int axis) const {
    const QRectF r = plotRect();
    const int n = static_cast<int>(data_.axes.size());
    return n <= 1 ? r.center().x() : r.left() + r.width() * axis / (n - 1);
}

QList<QPointF> ParallelCoordinatesView::linePoints(const ParallelLine& line) const {
    const QRectF r = plotRect();
    QList<QPointF> points;
    for (qsizetype a = 0; a < line.positions.size() && a < data_.axes.size(); ++a) {
        const double p = line.positions[a];
        points.append(std::isfinite(p)
                          ? QPointF(axisX(static_cast<int>(a)), r.bottom() - p * r.height())
                          : QPointF(qQNaN(), qQNaN()));
    }
    return points;
}

void ParallelCoordinatesView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), Qt::white);
    if (data_.axes.isEmpty() || data_.lines.isEmpty()) {
        p.setPen(QColor(0x57, 0x60, 0x6a));
        p.drawText(rect(), Qt::AlignCenter,
                   tr("Parameters and metrics appear here as children run."));
        return;
    }
    p.setRenderHint(QPainter::Antialiasing, true);
    const QRectF r = plotRect();
    const QFontMetrics fm(font());
    const int n = static_cast<int>(data_.axes.size());
    const double spacing = n > 1 ? r.width() / (n - 1) : r.width();

    // Lines first, axes over them; the best child (last in the list) on top of the others.
    for (const ParallelLine& line : data_.lines) {
        const QList<QPointF> pts = linePoints(line);
        QPen pen(lineColor(line.quality), line.best ? 3.0 : 1.4);
        if (line.quality < 0) pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        for (qsizetype i = 0; i + 1 < pts.size(); ++i)
            if (!std::isnan(pts[i].x()) && !std::isnan(pts[i + 1].x()))
                p.drawLine(pts[i], pts[i + 1]);
        if (line.best) {
            p.setBrush(lineColor(1));
            for (const QPointF& q : pts)
                if (!std::isnan(q.x())) p.drawEllipse(q, 3.5, 3.5);
            p.setBrush(Qt::NoBrush);
        }
    }
    for (int a = 0; a < n; ++a) {
        const ParallelAxis& axis = data_.axes[a];
        const double x = axisX(a);
        p.setPen(QPen(axis.metric ? QColor(0x1f, 0x23, 0x28) : QColor(0x6e, 0x77, 0x81),
                      axis.metric ? 2 : 1));
        p.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()));
        QFont bold = font();
        bold.setBold(axis.metric);
        p.setFont(bold);
        p.setPen(QColor(0x1f, 0x23, 0x28));
        const int titleWidth = static_cast<int>(std::max(40.0, spacing - 8));
        const QString title =
            QFontMetrics(bold).elidedText(axis.title, Qt::ElideMiddle, titleWidth);
        p.drawText(QRectF(x - titleWidth / 2.0, 4, titleWidth, fm.height() + 2), Qt::AlignCenter,
                   title);
        p.setFont(font());
        p.setPen(QColor(0x57, 0x60, 0x6a));
        const auto label = [&](double pos, const QString& text) {
            const double y = r.bottom() - pos * r.height();
            const QString shown = fm.elidedText(text, Qt::ElideRight, 52);
            const bool right = a == n - 1;
            const QRectF box = right ? QRectF(x + 4, y - fm.height() / 2.0, 54, fm.height())
                                     : QRectF(x - 56, y - fm.height() / 2.0, 52, fm.height());
            p.drawText(box, (right ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter, shown);
            p.drawLine(QPointF(x - 3, y), QPointF(x + 3, y));
        };
        if (axis.categorical) {
            const qsizetype k = axis.categories.size();
            for (qsizetype i = 0; i < k; ++i)
                label(k > 1 ? double(i) / double(k - 1) : 0.5, axis.categories[i]);
        } else {
            label(0, axis.label(0));
            label(1, axis.label(1));
            if (axis.max > axis.min) label(0.5, axis.label(0.5));
        }
    }
    // The best child's id under the plot.
    for (const ParallelLine& line : data_.lines)
        if (line.best) {
            p.setPen(lineColor(1));
            p.drawText(QRectF(r.left(), r.bottom() + fm.height() * 0.8, r.width(), fm.height() + 4),
                       Qt::AlignCenter,
                       tr("best: %1 (%2)")
                           .arg(line.runId)
                           .arg(line.metric ? QString::number(*line.metric, 'g', 6) : QString()));
        }
}

void ParallelCoordinatesView::mousePressEvent(QMouseEvent* event) {
    const QPointF at = event->position();
    QString nearest;
    double best = 6; // pixels
    for (const ParallelLine& line : data_.lines) {
        const QList<QPointF> pts = linePoints(line);
        for (qsizetype i = 0; i + 1 < pts.size(); ++i) {
            if (std::isnan(pts[i].x()) || std::isnan(pts[i + 1].x())) continue;
            const double d = segmentDistance(at, pts[i], pts[i + 1]);
            if (d <= best) {
                best = d;
                nearest = line.runId;
            }
        }
    }
    if (!nearest.isEmpty()) emit childClicked(nearest);
    QWidget::mousePressEvent(event);
}

} // namespace lb::ui
