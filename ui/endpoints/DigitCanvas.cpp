#include "ui/endpoints/DigitCanvas.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace lb::ui {

namespace {

// The brush: a Gaussian of this many cells' deviation, cut off at kReach cells, laid down every
// kSpacing cells along a stroke. Its core (about 2.5 cells wide) is as thick as MNIST's strokes.
constexpr double kSigma = 0.85;
constexpr double kReach = 2.5;
constexpr double kSpacing = 0.35;
constexpr double kStrength = 0.6;

} // namespace

DigitCanvas::DigitCanvas(QWidget* parent)
    : QWidget(parent)
    , pixels_(kSide * kSide, 0.0f) {
    setObjectName(QStringLiteral("digitCanvas"));
    setMinimumSize(kSide * 5, kSide * 5);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    setCursor(Qt::CrossCursor);
    setToolTip(tr("Draw a digit with the mouse"));
}

bool DigitCanvas::isBlank() const {
    return std::all_of(pixels_.begin(), pixels_.end(), [](float p) { return p == 0.0f; });
}

void DigitCanvas::clear() {
    pixels_.fill(0.0f);
    update();
}

QRectF DigitCanvas::gridRect() const {
    const double side = std::min(width(), height());
    return {(width() - side) / 2.0, (height() - side) / 2.0, side, side};
}

QPointF DigitCanvas::toGrid(const QPointF& p) const {
    const QRectF g = gridRect();
    return {(p.x() - g.left()) * kSide / g.width(), (p.y() - g.top()) * kSide / g.height()};
}

void DigitCanvas::dab(const QPointF& centre) {
    const int x0 = std::max(0, int(std::floor(centre.x() - kReach)));
    const int x1 = std::min(kSide - 1, int(std::ceil(centre.x() + kReach)));
    const int y0 = std::max(0, int(std::floor(centre.y() - kReach)));
    const int y1 = std::min(kSide - 1, int(std::ceil(centre.y() + kReach)));
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x) {
            // A pixel's centre is at (x + 0.5, y + 0.5) in grid units.
            const double dx = x + 0.5 - centre.x(), dy = y + 0.5 - centre.y();
            const double d2 = dx * dx + dy * dy;
            if (d2 > kReach * kReach) continue;
            float& p = pixels_[y * kSide + x];
            p = float(std::min(1.0, p + kStrength * std::exp(-d2 / (2 * kSigma * kSigma))));
        }
}

void DigitCanvas::strokeTo(const QPointF& to) {
    const QPointF delta = to - last_;
    const double length = std::hypot(delta.x(), delta.y());
    const int steps = std::max(1, int(std::ceil(length / kSpacing)));
    // Dabs evenly along the segment, so a fast stroke is as solid as a slow one.
    for (int i = 1; i <= steps; ++i)
        dab(last_ + delta * (double(i) / steps));
    last_ = to;
    update();
}

void DigitCanvas::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    drawing_ = true;
    last_ = toGrid(event->position());
    dab(last_);
    update();
}

void DigitCanvas::mouseMoveEvent(QMouseEvent* event) {
    if (drawing_) strokeTo(toGrid(event->position()));
}

void DigitCanvas::mouseReleaseEvent(QMouseEvent* event) {
    if (!drawing_ || event->button() != Qt::LeftButton) return;
    strokeTo(toGrid(event->position()));
    drawing_ = false;
    emit strokeFinished();
}

void DigitCanvas::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const QRectF g = gridRect();
    const double cell = g.width() / kSide;
    // White ink on black, as MNIST's images are.
    p.fillRect(g, Qt::black);
    for (int y = 0; y < kSide; ++y)
        for (int x = 0; x < kSide; ++x) {
            const float v = pixels_[y * kSide + x];
            if (v <= 0) continue;
            const int grey = int(std::lround(v * 255));
            p.fillRect(QRectF(g.left() + x * cell, g.top() + y * cell, cell + 0.5, cell + 0.5),
                       QColor(grey, grey, grey));
        }
    p.setPen(QPen(QColor(0x57, 0x60, 0x6a), 1));
    p.drawRect(g.adjusted(0, 0, -1, -1));
}

} // namespace lb::ui
