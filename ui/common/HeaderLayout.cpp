#include "ui/common/HeaderLayout.h"

#include <QWidget>
#include <algorithm>

namespace lb::ui {

HeaderLayout::HeaderLayout(QWidget* parent)
    : QLayout(parent) {}

HeaderLayout::~HeaderLayout() {
    while (QLayoutItem* item = takeAt(0))
        delete item;
}

void HeaderLayout::addLead(QWidget* widget) {
    addChildWidget(widget);
    items_.prepend(new QWidgetItem(widget));
    invalidate();
}

void HeaderLayout::addTrailing(QWidget* widget) {
    addWidget(widget);
}

void HeaderLayout::addItem(QLayoutItem* item) {
    items_.append(item);
}

QLayoutItem* HeaderLayout::itemAt(int index) const {
    return items_.value(index);
}

QLayoutItem* HeaderLayout::takeAt(int index) {
    return index >= 0 && index < items_.size() ? items_.takeAt(index) : nullptr;
}

int HeaderLayout::count() const {
    return static_cast<int>(items_.size());
}

QSize HeaderLayout::sizeHint() const {
    const int sp = std::max(0, spacing());
    int w = 0, h = 0;
    for (QLayoutItem* item : items_) {
        if (item->isEmpty()) continue;
        const QSize s = item->sizeHint();
        w += s.width() + (w > 0 ? sp : 0);
        h = std::max(h, s.height());
    }
    const QMargins m = contentsMargins();
    return {w + m.left() + m.right(), h + m.top() + m.bottom()};
}

QSize HeaderLayout::minimumSize() const {
    // As narrow as the widest single piece; the height follows from heightForWidth.
    int w = 0, h = 0;
    for (QLayoutItem* item : items_) {
        if (item->isEmpty()) continue;
        w = std::max(w, item->minimumSize().width());
        h = std::max(h, item->minimumSize().height());
    }
    const QMargins m = contentsMargins();
    return {w + m.left() + m.right(), h + m.top() + m.bottom()};
}

int HeaderLayout::heightForWidth(int width) const {
    return arrange(QRect(0, 0, width, 0), false);
}

void HeaderLayout::setGeometry(const QRect& rect) {
    QLayout::setGeometry(rect);
    arrange(rect, true);
}

int HeaderLayout::arrange(const QRect& rect, bool apply) const {
    const QMargins m = contentsMargins();
    const QRect r = rect.marginsRemoved(m);
    const int sp = std::max(0, spacing());
    if (items_.isEmpty()) return m.top() + m.bottom();
    QLayoutItem* lead = items_.front();
    QList<QLayoutItem*> trailing;
    int trailingWidth = 0, trailingHeight = 0;
    for (qsizetype i = 1; i < items_.size(); ++i) {
        if (items_[i]->isEmpty()) continue;
        trailing.append(items_[i]);
        trailingWidth += items_[i]->sizeHint().width() + (trailing.size() > 1 ? sp : 0);
        trailingHeight = std::max(trailingHeight, items_[i]->sizeHint().height());
    }
    const auto leadHeight = [&](int w) {
        return lead->hasHeightForWidth() ? lead->heightForWidth(w) : lead->sizeHint().height();
    };
    const int leadMin = std::max(leadMinimum_, lead->minimumSize().width());
    const bool oneRow = trailing.isEmpty() || leadMin + sp + trailingWidth <= r.width();
    if (apply) wrapped_ = !oneRow;
    if (oneRow) {
        const int leadW = trailing.isEmpty() ? r.width() : r.width() - sp - trailingWidth;
        const int lh = leadHeight(leadW);
        const int rowH = std::max(lh, trailingHeight);
        if (apply) {
            lead->setGeometry(QRect(r.left(), r.top(), leadW, lh));
            int x = r.right() + 1 - trailingWidth;
            for (QLayoutItem* item : trailing) {
                const QSize s = item->sizeHint();
                item->setGeometry(
                    QRect(x, r.top() + (rowH - s.height()) / 2, s.width(), s.height()));
                x += s.width() + sp;
            }
        }
        return rowH + m.top() + m.bottom();
    }
    // Narrow: the lead on its own row, the buttons flowing below it.
    const int lh = leadHeight(r.width());
    if (apply) lead->setGeometry(QRect(r.left(), r.top(), r.width(), lh));
    int x = r.left(), y = r.top() + lh + sp, lineH = 0;
    for (QLayoutItem* item : trailing) {
        QSize s = item->sizeHint();
        s.setWidth(std::min(s.width(), r.width()));
        if (x > r.left() && x + s.width() > r.right() + 1) {
            x = r.left();
            y += lineH + sp;
            lineH = 0;
        }
        if (apply) item->setGeometry(QRect(QPoint(x, y), s));
        x += s.width() + sp;
        lineH = std::max(lineH, s.height());
    }
    return y + lineH - r.top() + m.top() + m.bottom();
}

} // namespace lb::ui
