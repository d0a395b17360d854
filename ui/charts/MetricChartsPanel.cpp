#include "ui/charts/MetricChartsPanel.h"

#include "ui/charts/MetricChart.h"
#include "ui/charts/OnceLoggedTable.h"
#include "ui/common/AppStyle.h"
#include "core/util/AtomicFile.h"
#include "core/util/Error.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QScrollArea>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace lb::ui {

MetricChartsPanel::MetricChartsPanel(const QString& storePath, const QStringList& runIds,
                                     const QStringList& labels, QWidget* parent)
    : QWidget(parent)
    , runIds_(runIds)
    , labels_(labels) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("X axis")));
    xAxis_ = new QComboBox;
    xAxis_->addItems({tr("Step"), tr("Wall time")});
    bar->addWidget(xAxis_);
    bar->addSpacing(16);
    bar->addWidget(new QLabel(tr("Smoothing")));
    smoothing_ = new QSlider(Qt::Horizontal);
    smoothing_->setRange(0, 99);
    smoothing_->setFixedWidth(140);
    bar->addWidget(smoothing_);
    smoothingValue_ = new QLabel(QStringLiteral("0.00"));
    smoothingValue_->setMinimumWidth(32);
    bar->addWidget(smoothingValue_);
    bar->addSpacing(16);
    logScale_ = new QCheckBox(tr("Log scale"));
    bar->addWidget(logScale_);
    bar->addStretch();
    stats_ = new QLabel;
    stats_->setObjectName(QStringLiteral("muted"));
    bar->addWidget(stats_);
    layout->addLayout(bar);

    error_ = makeErrorBanner();
    layout->addWidget(error_);

    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* content = new QWidget;
    auto* column = new QVBoxLayout(content);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(10);
    onceLogged_ = new OnceLoggedTable(runIds, labels);
    column->addWidget(onceLogged_);
    grid_ = new QGridLayout;
    grid_->setSpacing(10);
    grid_->setContentsMargins(0, 0, 0, 0);
    column->addLayout(grid_, 1);
    empty_ = new QLabel(tr("No metrics yet. Points logged with labbench.log() or run.log() "
                           "appear here as they arrive."));
    empty_->setObjectName(QStringLiteral("muted"));
    empty_->setAlignment(Qt::AlignCenter);
    empty_->setMinimumHeight(120);
    grid_->addWidget(empty_, 0, 0, 1, 2);
    grid_->setRowStretch(100, 1);
    grid_->setColumnStretch(0, 1);
    grid_->setColumnStretch(1, 1);
    scroll->setWidget(content);
    layout->addWidget(scroll, 1);

    connect(xAxis_, &QComboBox::currentIndexChanged, this, [this](int i) { setTimeAxis(i == 1); });
    connect(smoothing_, &QSlider::valueChanged, this, [this](int v) { setSmoothing(v / 100.0); });
    connect(logScale_, &QCheckBox::toggled, this, &MetricChartsPanel::setLogScale);

    feed_ = new MetricFeed(storePath, runIds, this);
    connect(feed_, &MetricFeed::failed, this, [this](const QString& message) {
        error_->setText(message);
        error_->show();
    });
    connect(feed_, &MetricFeed::dataArrived, this, [this] {
        error_->hide();
        if (!frameTimer_.isActive()) frameTimer_.start();
    });
    // Coalesce: at most one frame per 33 ms, and only when the buffers changed.
    frameTimer_.setInterval(33);
    frameTimer_.setSingleShot(true);
    connect(&frameTimer_, &QTimer::timeout, this, &MetricChartsPanel::redrawIfChanged);
    feed_->start();
}

MetricChartsPanel::~MetricChartsPanel() {
    feed_->stop();
}

void MetricChartsPanel::addMissingCharts() {
    QStringList charted; // metrics with two points or more in some run: a chart each
    QStringList once;    // the others: one value per run, for the table
    {
        std::lock_guard lock(feed_->buffers()->mutex);
        const MetricBuffers& buffers = *feed_->buffers();
        for (const QString& name : buffers.metricNames) {
            std::size_t most = 0;
            for (const QString& run : runIds_) {
                const auto it = buffers.series.find({run, name});
                if (it != buffers.series.end())
                    most = std::max(most, it->second.buffer.size());
            }
            bool hasChart = false;
            for (const MetricChart* c : charts_)
                hasChart = hasChart || c->metric() == name;
            // A chart, once there, stays (a run reset to one point must not make it jump). A
            // system metric is a series from its first sample on.
            (most >= 2 || hasChart || (system_ && most >= 1) ? charted : once).append(name);
        }
        onceLogged_->showFrom(buffers, once);
    }
    for (const QString& name : charted) {
        bool have = false;
        for (const MetricChart* c : charts_)
            have = have || c->metric() == name;
        if (have) continue;
        auto* chart = new MetricChart(name, feed_->buffers());
        chart->setObjectName(QStringLiteral("metricChart"));
        chart->setContextMenuPolicy(Qt::CustomContextMenu);
        chart->setTimeAxis(xAxis_->currentIndex() == 1);
        chart->setLogScale(logScale_->isChecked());
        // Export lives in a small tool button on each chart's corner.
        auto* exportButton = new QToolButton;
        exportButton->setText(tr("Export"));
        exportButton->setPopupMode(QToolButton::InstantPopup);
        exportButton->setAutoRaise(true);
        auto* menu = new QMenu(exportButton);
        menu->addAction(tr("Save as PNG…"), this, [this, chart] { exportChart(chart, false); });
        menu->addAction(tr("Save as CSV…"), this, [this, chart] { exportChart(chart, true); });
        exportButton->setMenu(menu);
        chart->setCornerWidget(exportButton);
        const int index = static_cast<int>(charts_.size());
        grid_->addWidget(chart, index / 2, index % 2);
        charts_.append(chart);
        chart->setRuns(runIds_, labels_);
        chart->setGroups(groups_);
    }
    empty_->setVisible(charts_.isEmpty() && onceLogged_->isHidden());
}

void MetricChartsPanel::redrawIfChanged() {
    std::uint64_t version = 0;
    std::size_t points = 0, bytes = 0;
    {
        std::lock_guard lock(feed_->buffers()->mutex);
        version = feed_->buffers()->version;
        if (version != drawnVersion_) {
            points = feed_->buffers()->pointCount();
            bytes = feed_->buffers()->memoryBytes();
        }
    }
    if (version == drawnVersion_) return;
    drawnVersion_ = version;
    if (system_) followNodes();
    addMissingCharts();
    for (MetricChart* c : charts_)
        c->redraw();
    ++frames_;
    stats_->setText(tr("%L1 points · %2 MB").arg(points).arg(bytes / 1048576.0, 0, 'f', 1));
}

void MetricChartsPanel::followSystemMetricsOf(const QString& runId) {
    system_ = true;
    empty_->setText(tr("No system metrics yet. CPU, memory, disk, network and GPUs are sampled "
                       "every few seconds on each node while the run runs."));
    feed_->setSystemMetricsOf(runId);
}

void MetricChartsPanel::followNodes() {
    QStringList nodes;
    {
        std::lock_guard lock(feed_->buffers()->mutex);
        for (const auto& [key, entry] : feed_->buffers()->series)
            if (!nodes.contains(key.runId)) nodes.append(key.runId);
    }
    if (nodes == runIds_) return;
    runIds_ = labels_ = nodes;
    for (MetricChart* c : charts_)
        c->setRuns(runIds_, labels_);
}

void MetricChartsPanel::applyView() {
    {
        std::lock_guard lock(feed_->buffers()->mutex);
        feed_->buffers()->setView(xAxis_->currentIndex() == 1 ? MetricSeriesBuffer::XAxis::Time
                                                              : MetricSeriesBuffer::XAxis::Step,
                                  smoothing_->value() / 100.0);
    }
    for (MetricChart* c : charts_)
        c->resetZoom();
    drawnVersion_ = 0;
    redrawIfChanged();
}

void MetricChartsPanel::setLogScale(bool on) {
    if (logScale_->isChecked() != on) logScale_->setChecked(on);
    for (MetricChart* c : charts_)
        c->setLogScale(on);
}

void MetricChartsPanel::setTimeAxis(bool on) {
    if ((xAxis_->currentIndex() == 1) != on) {
        xAxis_->setCurrentIndex(on ? 1 : 0);
        return; // the combo's signal comes back here
    }
    applyView();
    for (MetricChart* c : charts_)
        c->setTimeAxis(on);
}

void MetricChartsPanel::setSmoothing(double weight) {
    const int v = static_cast<int>(std::lround(weight * 100));
    if (smoothing_->value() != v) {
        smoothing_->setValue(v);
        return;
    }
    smoothingValue_->setText(QString::number(weight, 'f', 2));
    applyView();
}

void MetricChartsPanel::setGroups(const QList<RunGroup>& groups) {
    groups_ = groups;
    for (MetricChart* c : charts_)
        c->setGroups(groups);
}

void MetricChartsPanel::exportChart(MetricChart* chart, bool csv) {
    const QString path = QFileDialog::getSaveFileName(
        this,
        csv ? tr("Export %1 as CSV").arg(chart->metric())
            : tr("Export %1 as PNG").arg(chart->metric()),
        chart->metric() + (csv ? QStringLiteral(".csv") : QStringLiteral(".png")),
        csv ? tr("CSV files (*.csv)") : tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    try {
        if (csv)
            writeFileAtomically(path, chart->toCsv()); // the core writes files, not the view
        else if (!chart->grab().save(path, "PNG"))
            throw Error(tr("Could not write %1; choose another folder.").arg(path));
    } catch (const Error& e) {
        error_->setText(e.message());
        error_->show();
    }
}

} // namespace lb::ui
