#include "ui/common/StatusIcons.h"

#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace lb::ui {

QColor statusColor(const QString& status) {
    static const QHash<QString, QColor> colors = {
        {QStringLiteral("Queued"), QColor(0x8a, 0x8f, 0x98)},
        {QStringLiteral("Preparing"), QColor(0xb0, 0x7d, 0x12)},
        {QStringLiteral("Starting"), QColor(0xb0, 0x7d, 0x12)},
        {QStringLiteral("Running"), QColor(0x1f, 0x6f, 0xeb)},
        {QStringLiteral("Finalizing"), QColor(0x6e, 0x40, 0xc9)},
        {QStringLiteral("Completed"), QColor(0x1a, 0x7f, 0x37)},
        {QStringLiteral("Failed"), QColor(0xcf, 0x22, 0x2e)},
        {QStringLiteral("Canceled"), QColor(0x57, 0x60, 0x6a)},
        // Lost its nodes to a higher-priority job; not final (the scheduler may queue it again).
        {QStringLiteral("Preempted"), QColor(0xbc, 0x4c, 0x00)},
        // An endpoint's states (issue 18): Failed as a run's; Stopped as a canceled run's.
        {QStringLiteral("Transitioning"), QColor(0xb0, 0x7d, 0x12)},
        {QStringLiteral("Healthy"), QColor(0x1a, 0x7f, 0x37)},
        {QStringLiteral("Unhealthy"), QColor(0xbc, 0x4c, 0x00)},
        {QStringLiteral("Stopped"), QColor(0x57, 0x60, 0x6a)},
    };
    return colors.value(status, QColor(0x8a, 0x8f, 0x98));
}

namespace {

QPixmap canvas(int size = 32) {
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    return pm;
}

} // namespace

QIcon statusIcon(const QString& status) {
    static QHash<QString, QIcon> cache;
    auto it = cache.find(status);
    if (it != cache.end())
        return *it;
    QPixmap pm = canvas();
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor c = statusColor(status);
    const bool active = status == QLatin1String("Running") ||
                        status == QLatin1String("Preparing") ||
                        status == QLatin1String("Finalizing") ||
                        status == QLatin1String("Starting") ||
                        status == QLatin1String("Transitioning") ||
                        status == QLatin1String("Unhealthy");
    if (active) {
        p.setPen(QPen(c, 3));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(QRectF(4, 4, 24, 24));
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        p.drawEllipse(QRectF(10, 10, 12, 12));
    } else {
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        p.drawEllipse(QRectF(5, 5, 22, 22));
        p.setPen(QPen(Qt::white, 3, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        if (status == QLatin1String("Completed") || status == QLatin1String("Healthy")) {
            p.drawPolyline(QPolygonF({QPointF(10, 16.5), QPointF(14.5, 21), QPointF(22, 12)}));
        } else if (status == QLatin1String("Failed")) {
            p.drawLine(QPointF(11.5, 11.5), QPointF(20.5, 20.5));
            p.drawLine(QPointF(20.5, 11.5), QPointF(11.5, 20.5));
        } else if (status == QLatin1String("Canceled") || status == QLatin1String("Stopped")) {
            p.drawLine(QPointF(11, 16), QPointF(21, 16));
        } else if (status == QLatin1String("Preempted")) {
            // A pause sign: the run stopped but may run again.
            p.drawLine(QPointF(13, 11), QPointF(13, 21));
            p.drawLine(QPointF(19, 11), QPointF(19, 21));
        } else { // Queued: a clock hand
            p.drawLine(QPointF(16, 10), QPointF(16, 16));
            p.drawLine(QPointF(16, 16), QPointF(20, 18));
        }
    }
    p.end();
    return *cache.insert(status, QIcon(pm));
}

QIcon nodeIcon(const QString& kind) {
    static QHash<QString, QIcon> cache;
    auto it = cache.find(kind);
    if (it != cache.end())
        return *it;
    QPixmap pm = canvas();
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor ink(0x44, 0x4d, 0x56);
    p.setPen(QPen(ink, 2.2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    if (kind == QLatin1String("experiments") || kind == QLatin1String("experiment")) {
        // A flask.
        QPainterPath path;
        path.moveTo(12, 5);
        path.lineTo(12, 13);
        path.lineTo(5, 26);
        path.quadTo(4.5, 28, 7, 28);
        path.lineTo(25, 28);
        path.quadTo(27.5, 28, 27, 26);
        path.lineTo(20, 13);
        path.lineTo(20, 5);
        p.setBrush(kind == QLatin1String("experiment") ? QColor(0xdd, 0xe9, 0xfb) : Qt::NoBrush);
        p.drawPath(path);
        p.drawLine(QPointF(10, 5), QPointF(22, 5));
    } else if (kind == QLatin1String("targets") || kind == QLatin1String("target")) {
        // A server box.
        p.setBrush(QColor(0xee, 0xf1, 0xf4));
        p.drawRoundedRect(QRectF(5, 6, 22, 9), 2, 2);
        p.drawRoundedRect(QRectF(5, 17, 22, 9), 2, 2);
        p.setBrush(QColor(0x1a, 0x7f, 0x37));
        p.setPen(Qt::NoPen);
        p.drawEllipse(QRectF(8.5, 9, 3, 3));
        p.drawEllipse(QRectF(8.5, 20, 3, 3));
    } else if (kind == QLatin1String("models") || kind == QLatin1String("model") ||
               kind == QLatin1String("version")) {
        // A cube.
        p.setBrush(QColor(0xf3, 0xe8, 0xff));
        p.drawPolygon(QPolygonF({QPointF(16, 4), QPointF(27, 10), QPointF(27, 22),
                                 QPointF(16, 28), QPointF(5, 22), QPointF(5, 10)}));
        p.drawPolyline(QPolygonF({QPointF(5, 10), QPointF(16, 16), QPointF(27, 10)}));
        p.drawLine(QPointF(16, 16), QPointF(16, 28));
    } else if (kind == QLatin1String("endpoints") || kind == QLatin1String("endpoint")) {
        // A globe: a model served over the network.
        p.setBrush(QColor(0xdd, 0xf4, 0xff));
        p.drawEllipse(QRectF(5, 5, 22, 22));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(QRectF(11, 5, 10, 22));
        p.drawLine(QPointF(5, 16), QPointF(27, 16));
    } else {
        // A folder.
        p.setBrush(QColor(0xfb, 0xef, 0xc9));
        QPainterPath path;
        path.moveTo(4, 9);
        path.lineTo(12, 9);
        path.lineTo(15, 12);
        path.lineTo(28, 12);
        path.lineTo(28, 26);
        path.lineTo(4, 26);
        path.closeSubpath();
        p.drawPath(path);
    }
    p.end();
    return *cache.insert(kind, QIcon(pm));
}

} // namespace lb::ui
