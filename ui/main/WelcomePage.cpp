#include "ui/main/WelcomePage.h"

#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

namespace lb::ui {

namespace {

// A dashed drop zone with an arrow: the one gesture that starts everything.
class DropZone : public QWidget {
public:
    DropZone() { setFixedSize(440, 130); }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const QRectF zone = QRectF(rect()).adjusted(1, 1, -1, -1);
        p.setPen(QPen(QColor(0x8c, 0x95, 0x9f), 1.5, Qt::DashLine));
        p.setBrush(Qt::white);
        p.drawRoundedRect(zone, 12, 12);
        p.setPen(QPen(QColor(0x1f, 0x6f, 0xeb), 3, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        const QPointF c = zone.center() - QPointF(0, 14);
        p.drawLine(c + QPointF(0, -26), c + QPointF(0, 16));
        p.drawPolyline(QPolygonF({c + QPointF(-14, 2), c + QPointF(0, 16), c + QPointF(14, 2)}));
        p.drawLine(c + QPointF(-26, 26), c + QPointF(26, 26));
        p.setPen(QColor(0x57, 0x60, 0x6a));
        p.drawText(zone.adjusted(0, 0, 0, -12), Qt::AlignHCenter | Qt::AlignBottom,
                   QStringLiteral("train.py  ·  project/  ·  estimator.json"));
    }
};

} // namespace

WelcomePage::WelcomePage(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setAlignment(Qt::AlignCenter);
    auto* title = new QLabel(tr("Labbench"));
    title->setStyleSheet(QStringLiteral("font-size: 26pt; font-weight: 700; color: #1f2328;"));
    title->setAlignment(Qt::AlignCenter);
    auto* subtitle = new QLabel(tr("Run training scripts on your own machines, watch them live."));
    subtitle->setObjectName(QStringLiteral("muted"));
    subtitle->setStyleSheet(QStringLiteral("font-size: 12pt;"));
    subtitle->setAlignment(Qt::AlignCenter);
    auto* hint = new QLabel(tr("Drop a training script, a project folder or an estimator JSON "
                               "anywhere on this window.\nIts argparse flags become the run's "
                               "parameters; nothing runs until you press Submit."));
    hint->setAlignment(Qt::AlignCenter);
    hint->setObjectName(QStringLiteral("muted"));
    auto* button = new QPushButton(tr("New estimator"));
    button->setObjectName(QStringLiteral("primary"));
    button->setFixedWidth(180);
    layout->addStretch(2);
    layout->addWidget(title);
    layout->addWidget(subtitle);
    layout->addSpacing(24);
    layout->addWidget(new DropZone, 0, Qt::AlignCenter);
    layout->addSpacing(16);
    layout->addWidget(hint);
    layout->addSpacing(12);
    layout->addWidget(button, 0, Qt::AlignCenter);
    layout->addStretch(3);
    connect(button, &QPushButton::clicked, this, &WelcomePage::newEstimatorRequested);
}

} // namespace lb::ui
