#include "main/WelcomePage.h"

#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

namespace lb::ui {

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
    layout->addSpacing(150);
    layout->addWidget(hint);
    layout->addSpacing(12);
    layout->addWidget(button, 0, Qt::AlignCenter);
    layout->addStretch(3);
    connect(button, &QPushButton::clicked, this, &WelcomePage::newEstimatorRequested);
}

void WelcomePage::paintEvent(QPaintEvent*) {
    // A dashed drop zone between the title and the hint.
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF zone(width() / 2.0 - 220, height() * 2 / 5.0 - 10, 440, 130);
    p.setPen(QPen(QColor(0x8c, 0x95, 0x9f), 1.5, Qt::DashLine));
    p.setBrush(QColor(0xff, 0xff, 0xff));
    p.drawRoundedRect(zone, 12, 12);
    p.setPen(QPen(QColor(0x1f, 0x6f, 0xeb), 3, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    const QPointF c = zone.center() - QPointF(0, 12);
    p.drawLine(c + QPointF(0, -26), c + QPointF(0, 18));
    p.drawPolyline(QPolygonF({c + QPointF(-14, 4), c + QPointF(0, 18), c + QPointF(14, 4)}));
    p.drawLine(c + QPointF(-26, 28), c + QPointF(26, 28));
    p.setPen(QColor(0x57, 0x60, 0x6a));
    p.drawText(zone.adjusted(0, 0, 0, -10), Qt::AlignHCenter | Qt::AlignBottom,
               tr("train.py · project/ · estimator.json"));
}

} // namespace lb::ui
