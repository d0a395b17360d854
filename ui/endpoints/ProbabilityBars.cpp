#include "ui/endpoints/ProbabilityBars.h"

#include <QPainter>
#include <algorithm>

namespace lb::ui {

ProbabilityBars::ProbabilityBars(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("probabilityBars"));
}

void ProbabilityBars::setProbabilities(const QVector<double>& probabilities) {
    probabilities_ = probabilities;
    update();
}

int ProbabilityBars::predicted() const {
    if (probabilities_.isEmpty()) return -1;
    return int(std::max_element(probabilities_.begin(), probabilities_.end()) -
               probabilities_.begin());
}

void ProbabilityBars::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const int classes = std::max<int>(10, int(probabilities_.size()));
    const QFontMetrics fm(font());
    const QRectF area = QRectF(rect()).adjusted(6, fm.height() + 4, -6, -(fm.height() + 6));
    const double slot = area.width() / classes;
    const int best = predicted();
    p.setPen(QColor(0xd0, 0xd7, 0xde));
    p.drawLine(area.bottomLeft(), area.bottomRight());
    for (int c = 0; c < classes; ++c) {
        const double v = c < probabilities_.size() ? std::clamp(probabilities_[c], 0.0, 1.0) : 0.0;
        const QRectF bar(area.left() + c * slot + slot * 0.15, area.bottom() - v * area.height(),
                         slot * 0.7, v * area.height());
        p.fillRect(bar, c == best ? QColor(0x1f, 0x6f, 0xeb) : QColor(0x8c, 0x95, 0x9f));
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRectF(area.left() + c * slot, area.bottom() + 3, slot, fm.height()),
                   Qt::AlignCenter, QString::number(c));
        if (c == best)
            p.drawText(QRectF(area.left() + c * slot - slot, bar.top() - fm.height() - 2, 3 * slot,
                              fm.height()),
                       Qt::AlignCenter, QString::number(v, 'f', 2));
    }
}

} // namespace lb::ui
