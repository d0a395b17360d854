#include "ui/common/ElidedLabel.h"

#include <QPainter>
#include <QStyle>
#include <QStyleOption>

namespace lb::ui {

ElidedLabel::ElidedLabel(const QString& text, QWidget* parent)
    : QLabel(text, parent) {
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setWordWrap(false);
}

QSize ElidedLabel::minimumSizeHint() const {
    const QFontMetrics fm(font());
    const QMargins m = contentsMargins();
    return {fm.horizontalAdvance(QStringLiteral("Wo…")) + m.left() + m.right(),
            QLabel::minimumSizeHint().height()};
}

bool ElidedLabel::isElided() const {
    return fontMetrics().horizontalAdvance(text()) > contentsRect().width();
}

void ElidedLabel::paintEvent(QPaintEvent*) {
    QPainter p(this);
    QStyleOption opt;
    opt.initFrom(this);
    style()->drawPrimitive(QStyle::PE_Widget, &opt, &p, this);
    const QRect r = contentsRect();
    const QString shown = fontMetrics().elidedText(text(), Qt::ElideRight, r.width());
    setToolTip(shown == text() ? QString() : text());
    style()->drawItemText(&p, r, int(alignment() | Qt::TextSingleLine), palette(), isEnabled(),
                          shown, foregroundRole());
}

} // namespace lb::ui
