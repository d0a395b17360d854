#include "ui/endpoints/EndpointCharts.h"

#include "core/live/MetricFeed.h"
#include "ui/charts/MetricChart.h"
#include "ui/endpoints/EndpointHttp.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace lb::ui {

namespace {

const QString kRate = QStringLiteral("requests / s");
const QString kLatency = QStringLiteral("latency (ms)");
const QString kAnswered = QStringLiteral("answered");
const QString kErrors = QStringLiteral("errors");
const QString kP50 = QStringLiteral("p50");
const QString kP99 = QStringLiteral("p99");

} // namespace

EndpointCharts::EndpointCharts(EndpointHttp* http, QWidget* parent)
    : QWidget(parent)
    , http_(http)
    , buffers_(std::make_shared<MetricBuffers>()) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    rate_ = new MetricChart(kRate, buffers_);
    rate_->setObjectName(QStringLiteral("metricChart"));
    rate_->setRuns({kAnswered, kErrors}, {tr("answered"), tr("errors (4xx, 5xx)")});
    rate_->setTimeAxis(true);
    latency_ = new MetricChart(kLatency, buffers_);
    latency_->setObjectName(QStringLiteral("metricChart"));
    latency_->setRuns({kP50, kP99}, {tr("p50"), tr("p99")});
    latency_->setTimeAxis(true);
    for (MetricChart* chart : {rate_, latency_}) {
        chart->setMinimumHeight(180);
        row->addWidget(chart);
    }
    layout->addLayout(row);
    summary_ = new QLabel;
    summary_->setObjectName(QStringLiteral("muted"));
    layout->addWidget(summary_);

    poll_.setInterval(1000);
    connect(&poll_, &QTimer::timeout, this, &EndpointCharts::scrape);
    // Scrapes land at most once a second, but a burst of them (after a stall) draws once.
    redraw_.setSingleShot(true);
    redraw_.setInterval(40);
    connect(&redraw_, &QTimer::timeout, this, [this] {
        rate_->redraw();
        latency_->redraw();
    });
}

EndpointCharts::~EndpointCharts() = default;

void EndpointCharts::setEndpoint(const QString& name, const QString& baseUrl, const QString& key,
                                 bool up) {
    if (name != name_ || baseUrl != url_) {
        name_ = name;
        url_ = baseUrl;
        last_.reset();
        step_ = 0;
        {
            std::lock_guard lock(buffers_->mutex);
            buffers_->series.clear();
            ++buffers_->version;
        }
        rate_->resetZoom();
        latency_->resetZoom();
        summary_->setText(tr("Request rate and latency of POST /score, from the endpoint's "
                             "/metrics once a second."));
    }
    key_ = key;
    if (up && !poll_.isActive()) {
        poll_.start();
        scrape();
    } else if (!up) {
        poll_.stop();
        last_.reset(); // a restarted server counts from zero again
    }
}

void EndpointCharts::scrape() {
    if (inFlight_ || url_.isEmpty())
        return; // one scrape at a time: a slow server is not asked twice
    inFlight_ = true;
    const QString asked = url_;
    http_->get(
        url_ + QStringLiteral("/metrics"), key_, this,
        [this, asked](const HttpAnswer& a) {
            inFlight_ = false;
            if (asked == url_ && a.status == 200) onScrape(a.body);
        },
        5000);
}

void EndpointCharts::onScrape(const QByteArray& text) {
    ++scrapes_;
    const ScoreCounters now = parseScoreCounters(text);
    const qint64 ms = QDateTime::currentMSecsSinceEpoch();
    if (last_) {
        const ScoreRates r = ratesBetween(*last_, now, (ms - lastMs_) / 1000.0);
        const double t = ms / 1000.0;
        append(kAnswered, kRate, r.requestsPerSecond, t);
        append(kErrors, kRate, r.errorsPerSecond, t);
        if (r.hasLatency) {
            append(kP50, kLatency, r.p50Ms, t);
            append(kP99, kLatency, r.p99Ms, t);
        }
        ++step_;
        summary_->setText(
            tr("%1 requests answered · %2 errors · mean latency %3 ms")
                .arg(now.requests)
                .arg(now.errors)
                .arg(now.latencyCount > 0 ? 1000.0 * now.latencySum / now.latencyCount : 0.0, 0,
                     'f', 2));
        if (!redraw_.isActive()) redraw_.start();
    }
    last_ = now;
    lastMs_ = ms;
}

void EndpointCharts::append(const QString& series, const QString& metric, double value,
                            double time) {
    std::lock_guard lock(buffers_->mutex);
    auto [it, added] = buffers_->series.try_emplace(MetricBuffers::Key{series, metric});
    if (added) {
        it->second.buffer.setView(MetricSeriesBuffer::XAxis::Time, 0);
        if (!buffers_->metricNames.contains(metric)) buffers_->metricNames.append(metric);
    }
    it->second.buffer.append(step_, value, time);
    ++buffers_->version;
}

} // namespace lb::ui
