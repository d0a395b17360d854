#include "ui/compare/CompareView.h"

#include "ui/charts/MetricChartsPanel.h"
#include "ui/common/AppStyle.h"
#include "core/live/CompareModel.h"
#include "core/live/CompareTable.h"
#include "core/live/RunGroups.h"
#include "core/live/StoreWatcher.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"

#include <QBuffer>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QMenu>
#include <QToolButton>
#include <QStyledItemDelegate>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace lb::ui {

namespace {

// Parameters whose value is not the same in every run get a soft highlight (issue 17).
class DiffersDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.data(CompareModel::DiffersRole).toBool())
            option->backgroundBrush = QColor(255, 236, 179);
    }
};

} // namespace

CompareView::CompareView(const QString& workspaceRoot, const QString& storePath,
                         const QStringList& runIds, const QStringList& labels, QWidget* parent)
    : QWidget(parent), runIds_(runIds) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(8, 6, 8, 0);
    groupButton_ = new QToolButton;
    groupButton_->setObjectName(QStringLiteral("compareGroupBy"));
    groupButton_->setText(tr("Group by"));
    groupButton_->setToolTip(tr("Group runs by parameters: each group is drawn as its mean ± std over its runs"));
    groupButton_->setPopupMode(QToolButton::InstantPopup);
    groupButton_->setMenu(new QMenu(groupButton_));
    auto* exportButton = new QToolButton;
    exportButton->setObjectName(QStringLiteral("compareExport"));
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(exportButton);
    exportMenu->addAction(tr("Table as CSV…"), this, [this] { exportWithDialog(0); });
    exportMenu->addAction(tr("Metric series as CSV…"), this, [this] { exportWithDialog(1); });
    exportMenu->addAction(tr("Charts as PNG…"), this, [this] { exportWithDialog(2); });
    exportButton->setMenu(exportMenu);
    bar->addWidget(groupButton_);
    bar->addWidget(exportButton);
    bar->addStretch();
    layout->addLayout(bar);
    error_ = makeErrorBanner();
    layout->addWidget(error_);
    auto* split = new QSplitter(Qt::Vertical);
    charts_ = new MetricChartsPanel(storePath, runIds, labels);
    split->addWidget(charts_);
    model_ = new CompareModel(this);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(CompareModel::SortRole);
    auto* table = new QTableView;
    table->setModel(proxy_);
    table->setSortingEnabled(true);
    table->setAlternatingRowColors(true);
    table->setItemDelegate(new DiffersDelegate(table));
    table->verticalHeader()->setVisible(false);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
    split->addWidget(table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    watcher_ = new StoreWatcher(
        workspaceRoot,
        [runIds](Workspace& w) {
            return QVariant::fromValue(
                CompareDataPtr(std::make_shared<CompareData>(CompareData::load(w, runIds))));
        },
        1000, this);
    connect(watcher_, &StoreWatcher::loaded, this, [this](const QVariant& v) {
        error_->hide();
        model_->setData(v.value<CompareDataPtr>());
        rebuildGroupMenu();
        applyGroups(); // a run's parameters are known now (or changed)
    });
    connect(watcher_, &StoreWatcher::failed, this, [this](const QString& m) {
        error_->setText(m);
        error_->show();
    });
    watcher_->start();
}

void CompareView::setGroupBy(const QStringList& params) {
    groupBy_ = params;
    rebuildGroupMenu();
    applyGroups();
}

void CompareView::rebuildGroupMenu() {
    QMenu* menu = groupButton_->menu();
    menu->clear();
    for (const QString& p : model_->paramColumns()) {
        QAction* a = menu->addAction(p);
        a->setCheckable(true);
        a->setChecked(groupBy_.contains(p));
        connect(a, &QAction::toggled, this, [this, p](bool on) {
            QStringList params = groupBy_;
            params.removeAll(p);
            if (on)
                params << p;
            setGroupBy(params);
        });
    }
    groupButton_->setText(groupBy_.isEmpty() ? tr("Group by") : tr("Group by %1").arg(groupBy_.join(QStringLiteral(", "))));
}

void CompareView::applyGroups() {
    const CompareDataPtr data = model_->compareData();
    charts_->setGroups(data ? groupRunsByParams(data->rows, groupBy_) : QList<RunGroup>());
}

void CompareView::exportTableCsv(const QString& path) const {
    const CompareDataPtr data = model_->compareData();
    if (!data || data->rows.isEmpty())
        throw Error(tr("The runs have not been read yet; export again in a moment."));
    const CompareTable t = compareTable(*data);
    writeFileAtomically(path, toCsv(t.header, t.rows));
}

void CompareView::exportSeriesCsv(const QString& path) const {
    QByteArray csv;
    {
        std::lock_guard lock(charts_->feed()->buffers()->mutex);
        csv = metricSeriesCsv(*charts_->feed()->buffers(), runIds_);
    }
    writeFileAtomically(path, csv);
}

void CompareView::exportChartsPng(const QString& path) const {
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!charts_->grab().save(&buffer, "PNG"))
        throw Error(tr("Could not draw the charts into a PNG image."));
    writeFileAtomically(path, png);
}

void CompareView::exportWithDialog(int kind) {
    static const char* const names[] = {"compare.csv", "metrics.csv", "charts.png"};
    const QString path = QFileDialog::getSaveFileName(this, tr("Export"), QString::fromLatin1(names[kind]),
                                                      kind == 2 ? tr("PNG images (*.png)") : tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    try {
        if (kind == 0)
            exportTableCsv(path);
        else if (kind == 1)
            exportSeriesCsv(path);
        else
            exportChartsPng(path);
    } catch (const Error& e) {
        error_->setText(e.message());
        error_->show();
    }
}

} // namespace lb::ui
