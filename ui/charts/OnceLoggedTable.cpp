#include "ui/charts/OnceLoggedTable.h"

#include "core/live/MetricFeed.h"
#include "core/util/ShortestNumber.h"

#include <QDateTime>
#include <QHeaderView>

namespace lb::ui {

namespace {

enum Column { Name, Value, Step, Time, RunColumn };

} // namespace

OnceLoggedTable::OnceLoggedTable(const QStringList& runIds, const QStringList& runLabels,
                                 QWidget* parent)
    : QTableWidget(parent), runIds_(runIds), runLabels_(runLabels) {
    setObjectName(QStringLiteral("onceLoggedValues"));
    const bool several = runIds.size() > 1;
    setColumnCount(several ? 5 : 4);
    QStringList headers{tr("Name"), tr("Value"), tr("Step"), tr("Logged at")};
    if (several)
        headers << tr("Run");
    setHorizontalHeaderLabels(headers);
    verticalHeader()->hide();
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // as tall as its rows: the page scrolls
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setToolTip(tr("Values logged once. A metric logged again gets a chart below."));
    hide();
}

void OnceLoggedTable::showFrom(const MetricBuffers& buffers, const QStringList& names) {
    struct Row {
        QString name, value, step, time, run;
    };
    QList<Row> rows;
    for (const QString& name : names) {
        for (qsizetype i = 0; i < runIds_.size(); ++i) {
            const auto it = buffers.series.find({runIds_[i], name});
            if (it == buffers.series.end() || it->second.buffer.size() != 1)
                continue;
            const MetricSeriesBuffer& b = it->second.buffer;
            const QDateTime at = QDateTime::fromMSecsSinceEpoch(
                static_cast<qint64>(b.time(0) * 1000), Qt::UTC);
            // Charts keep floats: the shortest float text reads back what was stored there.
            rows.append({name, shortestNumber(static_cast<float>(b.value(0))),
                         QString::number(static_cast<qint64>(b.step(0))),
                         at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                         runLabels_.value(i, runIds_[i])});
        }
    }
    setRowCount(static_cast<int>(rows.size()));
    for (int r = 0; r < rows.size(); ++r) {
        const Row& row = rows[r];
        QStringList cells{row.name, row.value, row.step, row.time};
        if (columnCount() > RunColumn)
            cells << row.run;
        for (int c = 0; c < cells.size(); ++c) {
            QTableWidgetItem* item = this->item(r, c);
            if (!item) {
                item = new QTableWidgetItem;
                setItem(r, c, item);
            }
            item->setText(cells[c]);
            item->setTextAlignment(c == Value || c == Step ? Qt::AlignRight | Qt::AlignVCenter
                                                           : Qt::AlignLeft | Qt::AlignVCenter);
        }
    }
    setVisible(!rows.isEmpty());
    updateGeometry();
}

QStringList OnceLoggedTable::metricNames() const {
    QStringList names;
    for (int r = 0; r < rowCount(); ++r)
        if (const QTableWidgetItem* i = item(r, Name))
            names << i->text();
    return names;
}

QSize OnceLoggedTable::sizeHint() const {
    int height = horizontalHeader()->height() + 2 * frameWidth();
    for (int r = 0; r < rowCount(); ++r)
        height += rowHeight(r);
    return {QTableWidget::sizeHint().width(), height};
}

} // namespace lb::ui
