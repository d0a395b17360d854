#include "ui/sweep/SweepDashboard.h"

#include "ui/charts/MetricChart.h"
#include "ui/common/DashboardHeader.h"
#include "core/store/RunDisplayName.h"
#include "ui/common/ElidedLabel.h"
#include "ui/common/StatusIcons.h"
#include "core/live/MetricFeed.h"
#include "core/live/StoreWatcher.h"
#include "core/live/SweepActions.h"
#include "core/live/SweepCoordinates.h"
#include "ui/sweep/ParallelCoordinatesView.h"
#include "core/workspace/Workspace.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace lb::ui {

namespace {

// Sorts on the core model's SortRole and paints the best child's row (a view concern).
class ChildrenProxy : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    QVariant data(const QModelIndex& index, int role) const override {
        if (role == Qt::BackgroundRole || role == Qt::FontRole || role == Qt::ForegroundRole) {
            const bool best = index.data(SweepChildrenModel::IsBestRole).toBool();
            if (role == Qt::BackgroundRole && best) return QColor(0xff, 0xf1, 0xc2);
            if (role == Qt::FontRole && best) {
                QFont f;
                f.setBold(true);
                return f;
            }
            if (role == Qt::ForegroundRole && index.column() == SweepChildrenModel::kStatusColumn)
                return statusColor(index.data(SweepChildrenModel::StatusRole).toString());
        }
        if (role == Qt::DecorationRole && index.column() == SweepChildrenModel::kIdColumn)
            return statusIcon(index.data(SweepChildrenModel::StatusRole).toString());
        return QSortFilterProxyModel::data(index, role);
    }
};

} // namespace

SweepDashboard::SweepDashboard(const QString& workspaceRoot, const QString& storePath,
                               const QString& sweepId, QWidget* parent)
    : QWidget(parent)
    , sweepId_(sweepId)
    , storePath_(storePath) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    const DashboardHeader header =
        makeDashboardHeader(layout, QStringLiteral("sweepHeader"), tr("Sweep %1").arg(sweepId));
    title_ = header.title;
    status_ = header.status;
    facts_ = header.facts;
    error_ = header.error;
    cancel_ = new QPushButton(tr("Cancel sweep"));
    cancel_->setObjectName(QStringLiteral("cancelSweep"));
    cancel_->setEnabled(false);
    openBest_ = new QPushButton(tr("Open best child"));
    openBest_->setObjectName(QStringLiteral("openBest"));
    openBest_->setEnabled(false);
    header.addButton(cancel_);
    header.addButton(openBest_);

    model_ = new SweepChildrenModel(this);
    proxy_ = new ChildrenProxy(this);
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(SweepChildrenModel::SortRole);
    proxy_->setDynamicSortFilter(true); // re-sorts as metrics arrive
    table_ = new QTableView;
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setAlternatingRowColors(true);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Ids and states change width as children move on (a sweep has tens of children, not
    // thousands, so measuring them is cheap).
    table_->horizontalHeader()->setSectionResizeMode(SweepChildrenModel::kIdColumn,
                                                     QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(SweepChildrenModel::kStatusColumn,
                                                     QHeaderView::ResizeToContents);

    chartHolder_ = new QWidget;
    auto* chartLayout = new QVBoxLayout(chartHolder_);
    chartLayout->setContentsMargins(8, 8, 8, 8);
    auto* noChart =
        new QLabel(tr("The primary metric of every child appears here as they report it."));
    noChart->setObjectName(QStringLiteral("muted"));
    noChart->setAlignment(Qt::AlignCenter);
    chartLayout->addWidget(noChart);
    coordinates_ = new ParallelCoordinatesView;

    auto* lower = new QSplitter(Qt::Horizontal);
    lower->addWidget(chartHolder_);
    lower->addWidget(coordinates_);
    lower->setChildrenCollapsible(false);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(table_);
    split->addWidget(lower);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setChildrenCollapsible(false);
    layout->addWidget(split, 1);

    actions_ = new SweepActions(workspaceRoot, this);
    connect(cancel_, &QPushButton::clicked, this, [this] {
        cancel_->setEnabled(false);
        cancel_->setText(tr("Canceling…"));
        actions_->cancel(sweepId_);
    });
    connect(actions_, &SweepActions::cancelFailed, this, [this](const QString&, const QString& m) {
        cancel_->setText(tr("Cancel sweep"));
        cancel_->setEnabled(true);
        showError(m);
    });
    connect(openBest_, &QPushButton::clicked, this, [this] {
        if (summary() && !summary()->bestId.isEmpty()) emit runRequested(summary()->bestId);
    });
    connect(table_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        emit runRequested(index.data(SweepChildrenModel::RunIdRole).toString());
    });
    connect(coordinates_, &ParallelCoordinatesView::childClicked, this, [this](const QString& id) {
        // A click selects the child's row; a double click in the table opens it.
        for (int r = 0; r < proxy_->rowCount(); ++r)
            if (proxy_->index(r, 0).data(SweepChildrenModel::RunIdRole).toString() == id)
                table_->selectRow(r);
    });

    frameTimer_.setInterval(33); // at most 30 redraws a second, only when points arrived
    frameTimer_.setSingleShot(true);
    connect(&frameTimer_, &QTimer::timeout, this, &SweepDashboard::redrawChart);

    const QString id = sweepId;
    watcher_ = new StoreWatcher(
        workspaceRoot,
        [id](Workspace& w) {
            return QVariant::fromValue(
                SweepSummaryPtr(std::make_shared<sweep::SweepSummary>(sweep::loadSweep(w, id))));
        },
        300, this);
    // Children move between states without the parent's row changing; reload now and then too.
    watcher_->setForcedReloadMs(2000);
    connect(watcher_, &StoreWatcher::loaded, this,
            [this](const QVariant& v) { onSummary(v.value<SweepSummaryPtr>()); });
    connect(watcher_, &StoreWatcher::failed, this, &SweepDashboard::showError);
    watcher_->start();
}

SweepDashboard::~SweepDashboard() {
    delete watcher_; // stop the producers before the views they feed
    if (feed_) feed_->stop();
}

QString SweepDashboard::title() const {
    const SweepSummaryPtr& s = summary();
    if (!s) return tr("Sweep %1").arg(sweepId_);
    return tr("%1 · sweep %2").arg(s->parent.experiment).arg(s->parent.number);
}

void SweepDashboard::showError(const QString& message) {
    error_->setText(message);
    error_->show();
}

void SweepDashboard::onSummary(const SweepSummaryPtr& summary) {
    if (!summary) return;
    const bool first = !model_->summary();
    error_->hide();
    model_->setSummary(summary);
    if (first || !sortedOnce_) {
        // Best first: descending when maximizing.
        table_->sortByColumn(model_->metricColumn(), model_->bestFirstOrder());
        table_->resizeColumnsToContents();
        sortedOnce_ = model_->rowCount() > 0;
    }
    if (first) emit titleChanged(title());
    const sweep::SweepSpec& spec = summary->spec;
    title_->setText(title());
    const QString status = toString(summary->parent.status);
    status_->setText(status);
    status_->setStyleSheet(QStringLiteral("background: %1;").arg(statusColor(status).name()));
    const bool final = isTerminal(summary->parent.status);
    if (final) cancel_->setText(tr("Cancel sweep"));
    cancel_->setEnabled(!final && cancel_->text() == tr("Cancel sweep"));
    openBest_->setEnabled(!summary->bestId.isEmpty());

    int running = 0;
    for (const sweep::SweepChild& c : summary->children)
        running += isTerminal(c.run.status) ? 0 : 1;
    QStringList facts;
    facts << tr("id %1").arg(summary->parent.id);
    facts << tr("%1 sampling").arg(spec.methodName());
    facts << tr("%1 (%2)").arg(spec.primaryMetric, spec.maximize ? tr("maximize") : tr("minimize"));
    facts << tr("%1 of %2 children, %3 active (at most %4)")
                 .arg(summary->children.size())
                 .arg(spec.maxTotalRuns)
                 .arg(running)
                 .arg(spec.maxConcurrentRuns);
    facts << tr("early termination: %1").arg(spec.policy.name());
    if (!summary->bestId.isEmpty())
        facts << tr("best %1 = %2")
                     .arg(summary->bestId)
                     .arg(summary->bestValue ? QString::number(*summary->bestValue, 'g', 6)
                                             : QString());
    if (!summary->parent.reason.isEmpty())
        facts << summary->parent.reason.section(QLatin1Char('\n'), 0, 0).left(160);
    facts_->setText(joinFacts(facts));

    coordinates_->setData(parallelCoordinates(*summary));
    ensureChart(spec.primaryMetric);
    const QStringList ids = model_->childIds();
    if (ids != chartRuns_) {
        chartRuns_ = ids;
        QStringList labels;
        for (const sweep::SweepChild& c : summary->children) {
            QStringList values;
            for (const sweep::Parameter& p : spec.parameters)
                if (c.params.contains(toStd(p.name)))
                    values << QStringLiteral("%1=%2").arg(
                        p.name, sweep::valueText(c.params[toStd(p.name)]));
            // The run's one display name, then what this sweep varied (#23 item 10).
            labels << QStringLiteral("%1 %2").arg(runDisplayName(c.run), values.join(QLatin1Char(' ')));
        }
        feed_->setRunIds(ids);
        chart_->setRuns(ids, labels);
        chartBest_.clear();
    }
    highlightBest();
}

void SweepDashboard::ensureChart(const QString& metric) {
    if (chart_) return;
    feed_ = new MetricFeed(storePath_, {}, this);
    feed_->setMetricNames({metric});
    chart_ = new MetricChart(metric, feed_->buffers());
    chart_->setObjectName(QStringLiteral("sweepMetricChart"));
    auto* layout = static_cast<QVBoxLayout*>(chartHolder_->layout());
    while (QLayoutItem* item = layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    layout->addWidget(chart_);
    connect(feed_, &MetricFeed::dataArrived, this, [this] {
        if (!frameTimer_.isActive()) frameTimer_.start();
    });
    connect(feed_, &MetricFeed::failed, this, &SweepDashboard::showError);
    feed_->start();
}

void SweepDashboard::redrawChart() {
    std::uint64_t version = 0;
    {
        std::lock_guard lock(feed_->buffers()->mutex);
        version = feed_->buffers()->version;
    }
    if (version == drawnVersion_) return;
    drawnVersion_ = version;
    chart_->redraw();
}

void SweepDashboard::highlightBest() {
    const QString best = summary() ? summary()->bestId : QString();
    if (!chart_ || best == chartBest_) return;
    chartBest_ = best;
    // The series follow chartRuns_' order (MetricChart::setRuns); the best one is drawn thick.
    const QList<QAbstractSeries*> series = chart_->chart()->series();
    for (qsizetype i = 0; i < series.size() && i < chartRuns_.size(); ++i) {
        auto* line = qobject_cast<QLineSeries*>(series[i]);
        if (!line) continue;
        QPen pen = line->pen();
        pen.setWidthF(chartRuns_[i] == best ? 3.0 : 1.0);
        line->setPen(pen);
        if (chartRuns_[i] == best)
            line->setName(line->name().startsWith(QStringLiteral("★"))
                              ? line->name()
                              : QStringLiteral("★ ") + line->name());
        else if (line->name().startsWith(QStringLiteral("★ ")))
            line->setName(line->name().mid(2));
    }
}

} // namespace lb::ui
