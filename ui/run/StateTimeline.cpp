#include "ui/run/StateTimeline.h"

#include "ui/common/StatusIcons.h"
#include "core/live/WorkspaceModel.h"

#include <QHeaderView>
#include <QPainter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace lb::ui {

class StateTimeline::Band : public QWidget {
public:
    QList<StateChange> history;
    bool final = false;
    QSize sizeHint() const override { return {600, 46}; }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const QRectF r = QRectF(rect()).adjusted(1, 8, -1, -14);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0xea, 0xee, 0xf2));
        p.drawRoundedRect(r, 4, 4);
        if (history.isEmpty())
            return;
        const QDateTime start = history.front().time;
        const QDateTime end = final ? history.back().time : QDateTime::currentDateTimeUtc();
        const double total = std::max<qint64>(1, start.msecsTo(end));
        // Every state gets at least a sliver so short ones stay visible.
        const double minWidth = 6;
        double x = r.left();
        QFont f = font();
        f.setPointSizeF(std::max(7.0, f.pointSizeF() - 1.5));
        p.setFont(f);
        for (qsizetype i = 0; i < history.size(); ++i) {
            const QDateTime from = history[i].time;
            const QDateTime to = i + 1 < history.size() ? history[i + 1].time : end;
            double w = r.width() * from.msecsTo(to) / total;
            if (i + 1 == history.size() && final)
                w = minWidth;
            w = std::max(w, minWidth);
            w = std::min(w, r.right() - x);
            const QColor c = statusColor(toString(history[i].status));
            p.setPen(Qt::NoPen);
            p.setBrush(c);
            p.drawRect(QRectF(x, r.top(), w, r.height()));
            // Label a segment only where its name fits; the list below names every state.
            const QString name = toString(history[i].status);
            if (p.fontMetrics().horizontalAdvance(name) + 6 < w) {
                p.setPen(QColor(0x57, 0x60, 0x6a));
                p.drawText(QPointF(x + 2, r.bottom() + 12), name);
            }
            x += w;
            if (x >= r.right())
                break;
        }
    }
};

StateTimeline::StateTimeline(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 12);
    band_ = new Band;
    band_->setMinimumHeight(46);
    layout->addWidget(band_);
    list_ = new QTreeWidget;
    list_->setHeaderLabels({tr("State"), tr("Time"), tr("Spent"), tr("Reason")});
    list_->setRootIsDecorated(false);
    list_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layout->addWidget(list_, 1);
    attempts_ = new QTreeWidget;
    attempts_->setObjectName(QStringLiteral("attemptsList"));
    attempts_->setHeaderLabels({tr("Attempt"), tr("Started"), tr("Ended"), tr("Status"), tr("Resumed from")});
    attempts_->setRootIsDecorated(false);
    attempts_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    attempts_->setVisible(false);
    layout->addWidget(attempts_);
}

void StateTimeline::setAttempts(const QList<RunAttempt>& attempts) {
    attempts_->clear();
    attempts_->setVisible(attempts.size() > 1);
    const auto when = [](const QDateTime& t) {
        return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QString();
    };
    for (const RunAttempt& a : attempts) {
        QString from = a.resumedFrom;
        if (!from.isEmpty() && a.resumeStep)
            from += tr(" (step %1)").arg(*a.resumeStep);
        if (from.isEmpty() && a.number > 1)
            from = tr("the start (no checkpoint)");
        const QString status = a.endStatus ? toString(*a.endStatus) : tr("running");
        auto* item = new QTreeWidgetItem({QString::number(a.number), when(a.started), when(a.ended), status, from});
        item->setToolTip(3, a.endReason);
        if (a.endStatus)
            item->setIcon(3, statusIcon(status));
        attempts_->addTopLevelItem(item);
    }
}

void StateTimeline::setHistory(const QList<StateChange>& history, bool final) {
    band_->history = history;
    band_->final = final;
    band_->update();
    list_->clear();
    for (qsizetype i = 0; i < history.size(); ++i) {
        const StateChange& s = history[i];
        const QDateTime next = i + 1 < history.size() ? history[i + 1].time
                                                      : (final ? QDateTime()
                                                               : QDateTime::currentDateTimeUtc());
        auto* item = new QTreeWidgetItem(
            {toString(s.status), s.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")),
             next.isValid() ? WorkspaceModel::formatDuration(s.time.secsTo(next)) : QString(),
             s.reason});
        item->setIcon(0, statusIcon(toString(s.status)));
        list_->addTopLevelItem(item);
    }
}

} // namespace lb::ui
