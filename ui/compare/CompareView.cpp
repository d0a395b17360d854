#include "ui/compare/CompareView.h"

#include "ui/charts/MetricChartsPanel.h"
#include "ui/common/AppStyle.h"
#include "core/live/CompareModel.h"
#include "core/live/StoreWatcher.h"

#include <QHeaderView>
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
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
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
    });
    connect(watcher_, &StoreWatcher::failed, this, [this](const QString& m) {
        error_->setText(m);
        error_->show();
    });
    watcher_->start();
}

} // namespace lb::ui
